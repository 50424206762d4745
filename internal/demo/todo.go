package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/talk"
	"github.com/momentum-movement/momentum/tally"
)

// stepPersonas: the printed personas' work (issue 16), added once their
// accounts exist; each item is found by its title when run again.
const stepPersonas = "personas"

// account is a printed persona as the database knows them.
type account struct {
	userID, personID, name, email string
	groupID                       string // their group: organised (organiser), first joined (member); "" for the admin
}

// ctx is the persona (or another member) signed in.
func (u account) ctx(ctx context.Context) context.Context {
	return auth.WithPrincipal(ctx, &auth.Principal{UserID: u.userID, Role: auth.RoleMember, Verified: true, Label: u.email})
}

// loadPersonaWork (issue 16) gives each printed persona something to do
// when they first log in: every one of them a vote open to them that they
// have not cast, an upcoming event they have not answered, and a thread
// that asks them something by @name; the organiser also a request to join
// their group. The demo's own decisions and threads are in groups none of
// the personas belongs to, so these are made for them, through the
// services, as the network's members would. It runs once, after Load has
// finished (never on a database that is not the demo's), and is recorded
// in demo_steps.
func loadPersonaWork(ctx context.Context, a *app.App, nw Network, ps []Persona) error {
	p := progress{a.DB}
	if fin, err := p.has(ctx, stepFinished); err != nil || !fin {
		return err
	}
	if done, err := p.has(ctx, stepPersonas); err != nil || done {
		return err
	}
	var admin, org, member *account
	for _, pe := range ps {
		u, err := personaAccount(ctx, a, pe.Email)
		if err != nil {
			return err
		}
		switch pe.Role {
		case "admin":
			admin = u
		case "organiser":
			org = u
			u.groupID, err = groupIDByName(ctx, a, nw.groupOf(nw.persona("organiser")))
		case "member":
			member = u
			i := nw.persona("member")
			u.groupID, err = groupIDByName(ctx, a, nw.Groups[nw.People[i].Groups[0].Group].Name)
		}
		if err != nil {
			return err
		}
	}
	now := time.Now().UTC()
	work := []func() error{
		func() error {
			return personaVote(ctx, a, now, "", decisions.Input{Title: "Our campaign priorities for next year",
				Body: "Everyone on our lists has a say: agree, abstain or disagree with the three priorities the " +
					"National Committee proposes (housing, the NHS, climate jobs), or block with a reason.",
				Kind: decisions.KindProposal, Electorate: decisions.Electorate{Scope: decisions.ScopeNetwork},
				OpensAt: now.Add(-time.Hour), ClosesAt: now.AddDate(0, 0, 9)})
		},
	}
	for _, u := range []*account{org, member} {
		if u == nil || u.groupID == "" {
			continue
		}
		role, title, body := "organiser", "Run a stall at the Saturday market", "A stall every other Saturday to sign people up and sell the paper."
		if u == member {
			role, title, body = "member", "Hold a newcomers' evening every month", "The first Thursday of each month, for anyone who has joined since the last one."
		}
		work = append(work,
			func() error {
				return personaVote(ctx, a, now, u.groupID, decisions.Input{GroupID: u.groupID, Title: title,
					Body: body + " Agree, abstain, disagree, or block with a reason.", Kind: decisions.KindProposal,
					OpensAt: now.Add(-time.Hour), ClosesAt: now.AddDate(0, 0, 6), QuorumPercent: 10}, u.userID)
			},
			func() error { return personaEvent(ctx, a, now, u, role == "member") },
			func() error { return personaThread(ctx, a, u, role) },
		)
	}
	if admin != nil {
		work = append(work, func() error { return personaThread(ctx, a, admin, "admin") })
	}
	if org != nil && org.groupID != "" {
		work = append(work, func() error { return joinRequest(ctx, a, org.groupID) })
	}
	for _, w := range work {
		if err := w(); err != nil {
			return fmt.Errorf("demo personas: %w", err)
		}
	}
	return p.mark(ctx, stepPersonas, "", "")
}

// personaAccount looks a persona up by email.
func personaAccount(ctx context.Context, a *app.App, email string) (*account, error) {
	u := &account{email: email}
	err := a.DB.QueryRow(ctx, `SELECT u.id, u.name, COALESCE(p.id, '') FROM users u LEFT JOIN people p ON p.user_id = u.id
		WHERE u.email = ?`, auth.NormalizeEmail(email)).Scan(&u.userID, &u.name, &u.personID)
	if err != nil {
		return nil, fmt.Errorf("demo persona %s: %w", email, err)
	}
	return u, nil
}

func groupIDByName(ctx context.Context, a *app.App, name string) (string, error) {
	var id string
	err := a.DB.QueryRow(ctx, `SELECT id FROM groups WHERE name = ?`, name).Scan(&id)
	if db.IsNotFound(err) {
		return "", nil
	}
	return id, err
}

// personaVote opens a proposal (found by title, or made) and has up to
// three of the group's other members with accounts vote in it, so that it
// is under way; the personas (skip) have not voted.
func personaVote(ctx context.Context, a *app.App, now time.Time, groupID string, in decisions.Input, skip ...string) error {
	clock := now.Add(-2 * time.Hour)
	svc := a.Decisions.WithClock(func() time.Time { return clock })
	d, err := findOrCreate(ctx, a, svc, groupID, in)
	if err != nil {
		return err
	}
	if err := openVoting(ctx, svc, d, &clock); err != nil {
		return err
	}
	if groupID == "" {
		return nil
	}
	clock = now
	others, err := talkers(ctx, a, groupID)
	if err != nil {
		return err
	}
	positions := []tally.Position{"agree", "agree", "abstain"}
	for i, v := range others {
		if v.handle == "" || isOneOf(v.userID, skip) {
			continue
		}
		tok, err := svc.BallotToken(v.ctx, d.ID)
		if err == nil {
			_, err = svc.Vote(v.ctx, d.ID, tok, decisions.Choice{Position: positions[i%len(positions)]})
		}
		if err != nil && !isRefusal(err) {
			return err
		}
	}
	return nil
}

func isOneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// personaEvent adds an event in the persona's group in the coming days,
// answered by a few of its other members but not by the persona.
func personaEvent(ctx context.Context, a *app.App, now time.Time, u *account, canvass bool) error {
	title, kind, days, hour := "Newcomers' evening", events.KindSocial, 5, 19
	if canvass {
		title, kind, days, hour = "Saturday doorknocking", events.KindCanvass, 3, 11
	}
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE title = ? AND group_id = ?`, title, u.groupID).Scan(&n); err != nil || n > 0 {
		return err
	}
	svc, err := events.New(events.Deps{DB: a.DB, Policy: a.Policy, Log: a.Log, People: a.People, Recorder: a.People,
		Notifier: quiet{}, Guests: events.PeopleGuests{People: a.People}, BaseURL: a.Config.PublicURL(), Zone: a.Zone,
		Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	day := now.In(a.Zone).AddDate(0, 0, days)
	start := time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, time.UTC) // wall clock, read in the event's zone
	in := events.Input{GroupID: u.groupID, Kind: kind, Title: title, Start: start, End: start.Add(2 * time.Hour),
		Description: "Everyone is welcome, whether you have been to one before or not. Tell us you are coming so we know how many to expect.",
		Place:       events.Place{Name: "The community centre"}}
	var centre geo.Point
	var lat, lng *float64
	if err := a.DB.QueryRow(ctx, `SELECT centre_lat, centre_lng FROM groups WHERE id = ?`, u.groupID).Scan(&lat, &lng); err == nil && lat != nil && lng != nil {
		centre = geo.Point{Lat: *lat, Lng: *lng}
		in.Place.Location = &centre
	}
	e, err := svc.Create(ctx, in)
	if err != nil {
		return err
	}
	rows, err := a.DB.Q().Query(ctx, `SELECT person_id FROM group_members WHERE group_id = ? AND status = 'active' AND person_id <> ?
		ORDER BY person_id LIMIT 4`, u.groupID, u.personID)
	if err != nil {
		return err
	}
	var guests []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		guests = append(guests, id)
	}
	rows.Close()
	for _, g := range guests {
		if _, err := svc.RSVP(ctx, e.ID, events.RSVPInput{PersonID: g, Status: events.Accepted, Source: "demo"}); err != nil {
			return err
		}
	}
	return nil
}

// personaThread starts a thread, by another member, that asks the persona
// something by @name: in their group when it has another member with an
// account to ask, otherwise among the network's members.
func personaThread(ctx context.Context, a *app.App, u *account, role string) error {
	by, err := talkers(ctx, a, u.groupID)
	if err != nil {
		return err
	}
	if others := without(by, u.userID); len(others) > 0 {
		by = others
	} else {
		u2 := *u
		u2.groupID = ""
		if by, err = talkers(ctx, a, ""); err != nil {
			return err
		}
		by = without(by, u.userID)
		u = &u2
	}
	if len(by) == 0 {
		return nil
	}
	handle := "@" + talk.Handle(u.name)
	in := talk.ThreadInput{GroupID: u.groupID, Title: "Can you help with the room booking?",
		Body: handle + ", you know the community centre best: could you book the small hall for " +
			"our next meeting and tell us the time here? Anyone else who can help, say so below."}
	switch {
	case role == "admin":
		in.Title = "Could we have a group for renters?"
		in.Body = handle + ", a few of us want to organise renters across the city: " +
			"could you set up a working group for us, or tell us how to ask for one?"
	case role == "member":
		in.Title = "Who can bring the leaflets on Saturday?"
		in.Body = handle + ", you said you live near the print shop: could you collect the leaflets " +
			"on Friday and bring them to the doorknocking? Reply here so we know they are covered."
	}
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM talk_threads WHERE title = ? AND COALESCE(group_id, '') = ?`,
		in.Title, u.groupID).Scan(&n); err != nil || n > 0 {
		return err
	}
	th, err := a.Talk.StartThread(by[0].ctx, in)
	if err != nil {
		return fmt.Errorf("thread %q: %w", in.Title, err)
	}
	if len(by) > 1 {
		if _, err := a.Talk.Comment(by[1].ctx, th.ID, talk.CommentInput{Body: "+1, I can help set up the chairs."}); err != nil {
			return err
		}
	}
	return nil
}

func without(ts []talker, userID string) []talker {
	var out []talker
	for _, t := range ts {
		if t.userID != userID {
			out = append(out, t)
		}
	}
	return out
}

// joinRequest has a member with an account who is not in the group ask to
// join it (the organiser's group takes requests: Network.persona prefers
// such a group), unless someone already has.
func joinRequest(ctx context.Context, a *app.App, groupID string) error {
	var policy string
	var pending int
	if err := a.DB.QueryRow(ctx, `SELECT join_policy, (SELECT COUNT(*) FROM group_members WHERE group_id = g.id AND status = 'requested')
		FROM groups g WHERE g.id = ?`, groupID).Scan(&policy, &pending); err != nil || policy != "request" || pending > 0 {
		return err
	}
	var id, email string
	err := a.DB.QueryRow(ctx, `SELECT u.id, u.email FROM users u JOIN people p ON p.user_id = u.id WHERE u.role = 'member'
		AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = ? AND m.person_id = p.id)
		ORDER BY u.id LIMIT 1`, groupID).Scan(&id, &email)
	if db.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	asker := account{userID: id, email: email}
	_, err = a.Groups.Join(asker.ctx(ctx), groupID)
	return err
}
