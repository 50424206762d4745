package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// issue 14: the demo's petitions and sign-up form.

// demoAction is one of the demo's actions and how many demo people
// respond to it.
type demoAction struct {
	in        actions.Input
	responses int
	comments  []string
	answers   func(i int) map[string]string
}

var demoConsent = "Yes, email me about this campaign and others like it. I can unsubscribe at any time."

var demoActions = []demoAction{
	{in: actions.Input{Kind: actions.KindPetition, Slug: "rent-controls-now", Title: "Rent controls now",
		Target: "The Secretary of State for Housing", Goal: 500, Comments: true, ConsentWording: demoConsent,
		Tags: []string{"petition-rent-controls"},
		Text: "Rents have risen three times faster than wages since 2015. We call on the government to:\n\n" +
			"- cap rent rises at inflation for sitting tenants;\n- end no-fault evictions for good;\n" +
			"- fund councils to license and inspect every private landlord.",
		ThanksSubject: "Thank you for signing, {{given_name}}",
		ThanksText: "Dear {{given_name}},\n\nThank you for signing **{{title}}**. " +
			"Please share the petition with two friends: that is how we reach the goal."},
		responses: 120, comments: []string{"My rent went up 18% this year.", "We can't save for anything.",
			"Housing is a right.", "Three moves in four years, all no-fault."}},
	{in: actions.Input{Kind: actions.KindPetition, Slug: "save-our-library", Title: "Save our library",
		Target: "The council's cabinet member for culture", Goal: 150, Comments: true, ConsentWording: demoConsent,
		Tags: []string{"petition-library"},
		Text: "The council plans to close the library on the high street. It is the only free, warm, quiet place " +
			"for miles. Keep it open, with its opening hours."},
		responses: 40, comments: []string{"My kids learnt to read there.", "Where else do we go in winter?"}},
	{in: actions.Input{Kind: actions.KindForm, Slug: "volunteer", Title: "Volunteer with us",
		ConsentWording: demoConsent, Tags: []string{"volunteer"},
		Text: "Tell us how you would like to help, and a local organiser will be in touch.",
		Questions: []actions.Question{
			{Key: "help", Label: "How would you like to help?", Kind: actions.QChoice, Required: true,
				Choices: []string{"Door knocking", "Phone banking", "Social media", "Running a stall"}},
			{Key: "postcode", Label: "Your postcode", Kind: actions.QText, Field: "postcode"},
			{Key: "hours", Label: "Hours a week you could give", Kind: actions.QNumber},
			{Key: "from", Label: "Available from", Kind: actions.QDate},
			{Key: "car", Label: "I can drive people to events", Kind: actions.QCheckbox},
		}},
		responses: 25, answers: func(i int) map[string]string {
			help := []string{"Door knocking", "Phone banking", "Social media", "Running a stall"}
			a := map[string]string{"help": help[i%4], "hours": fmt.Sprint(1 + i%6)}
			if i%3 == 0 {
				a["car"] = "yes"
			}
			if i%2 == 0 {
				a["from"] = "2026-04-01"
			}
			return a
		}},
}

// loadActions creates the demo's two petitions (the network's, and the
// largest group's, each with a goal) and its volunteer form, opens them,
// and has demo people respond through the actions service, as visitors
// to the public pages would. Actions are found by slug and a person's
// second response is a duplicate, so a killed run is finished without
// making anything twice. Response times are spread over the past weeks.
func loadActions(ctx context.Context, a *app.App, nw Network, began time.Time) error {
	var adminID string
	if err := a.DB.QueryRow(ctx, `SELECT id FROM users WHERE email = ?`, nw.AdminEmail).Scan(&adminID); err != nil {
		return fmt.Errorf("demo actions: the admin: %w", err)
	}
	as := auth.WithPrincipal(ctx, &auth.Principal{UserID: adminID, Role: auth.RoleAdmin, Verified: true, Label: nw.AdminEmail})
	groups, err := largestGroups(ctx, a.DB, 1)
	if err != nil {
		return err
	}
	offset := 0
	for i, da := range demoActions {
		in := da.in
		if i == 1 && len(groups) > 0 {
			in.GroupID = groups[0]
		}
		act, err := a.Actions.Public(ctx, in.Slug)
		if errs.Is(err, errs.NotFound) {
			if act, err = a.Actions.Create(as, in); err == nil {
				err = a.Actions.SetStatus(as, act.ID, actions.StatusOpen)
			}
		}
		if err != nil {
			return fmt.Errorf("demo actions %s: %w", in.Slug, err)
		}
		signers, err := demoSigners(ctx, a, in.GroupID, offset, da.responses)
		if err != nil {
			return err
		}
		offset += da.responses
		for j, s := range signers {
			r := actions.Respond{GivenName: s.given, FamilyName: s.family, Email: s.email, EmailOptIn: j%3 != 0,
				Source: "page"}
			if len(da.comments) > 0 && j%4 == 0 {
				r.Comment = da.comments[(j/4)%len(da.comments)]
			}
			if da.answers != nil {
				r.Answers = da.answers(j)
			}
			res, err := a.Actions.Respond(ctx, act.ID, r)
			if err != nil {
				return fmt.Errorf("demo actions %s: respond: %w", in.Slug, err)
			}
			if res.Duplicate || res.Response.ID == "" {
				continue
			}
			at := began.Add(-time.Duration(da.responses-j) * 3 * time.Hour)
			if _, err := a.DB.Exec(ctx, `UPDATE action_responses SET created_at = ? WHERE id = ?`, at, res.Response.ID); err != nil {
				return fmt.Errorf("demo actions: %w", err)
			}
			if _, err := a.DB.Exec(ctx, `UPDATE action_responses SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NOT NULL`,
				at, res.Response.ID); err != nil {
				return fmt.Errorf("demo actions: %w", err)
			}
		}
	}
	return nil
}

type demoSigner struct{ given, family, email string }

// demoSigners picks n demo people with an address, from offset on
// (round the list): members of groupID first when it is set.
func demoSigners(ctx context.Context, a *app.App, groupID string, offset, n int) ([]demoSigner, error) {
	pool, err := demoPeople(ctx, a, `SELECT p.given_name, p.family_name, p.email FROM people p
		WHERE p.email IS NOT NULL AND p.erased_at IS NULL ORDER BY p.id`)
	if err != nil || len(pool) == 0 {
		return nil, err
	}
	var out []demoSigner
	seen := map[string]bool{}
	if groupID != "" {
		members, err := demoPeople(ctx, a, `SELECT p.given_name, p.family_name, p.email FROM people p
			JOIN group_members m ON m.person_id = p.id WHERE m.group_id = ? AND m.status = 'active'
			AND p.email IS NOT NULL AND p.erased_at IS NULL ORDER BY p.id`, groupID)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if len(out) < n {
				out, seen[m.email] = append(out, m), true
			}
		}
	}
	for i := 0; i < len(pool) && len(out) < n; i++ {
		if s := pool[(offset+i)%len(pool)]; !seen[s.email] {
			out, seen[s.email] = append(out, s), true
		}
	}
	return out, nil
}

func demoPeople(ctx context.Context, a *app.App, q string, args ...any) ([]demoSigner, error) {
	rows, err := a.DB.Q().Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("demo actions: signers: %w", err)
	}
	defer rows.Close()
	var out []demoSigner
	for rows.Next() {
		var s demoSigner
		if err := rows.Scan(&s.given, &s.family, &s.email); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
