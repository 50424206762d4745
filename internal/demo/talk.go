package demo

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/talk"
)

// talker is a demo account that writes in discussions.
type talker struct {
	ctx    context.Context
	handle string
	userID string // issue 16: so a persona's own work leaves them out
}

// loadTalk (issue 13) adds discussions: a pinned welcome thread for the
// network's members, and in each group with a proposal a thread of its own
// and the proposal's discussion, with replies and @mentions (which notify,
// as they would). Everything is written through the talk service by
// members with accounts. A thread a killed run made is found by its title
// (or its decision) and left as it is.
func loadTalk(ctx context.Context, a *app.App) error {
	users, err := talkers(ctx, a, "")
	if err != nil || len(users) < 3 {
		return err
	}
	welcome := "Welcome! Introduce yourself"
	if err := demoThread(ctx, a, users, talk.ThreadInput{Title: welcome, Visibility: talk.Members,
		Body: "New here? Say hello: where you are, what you care about, and what you would like to help with."}, []string{
		"Hello from the allotment society! Keen to help with **door knocking**.",
		"Hi all: I'm a nurse and can help with the health campaign. @" + users[0].handle + " is that still going?",
	}, true); err != nil {
		return err
	}
	rows, err := a.DB.Q().Query(ctx, `SELECT id, group_id FROM decisions WHERE kind = 'proposal' AND group_id IS NOT NULL
		ORDER BY id LIMIT 3`)
	if err != nil {
		return fmt.Errorf("demo talk: %w", err)
	}
	var decs [][2]string
	for rows.Next() {
		var d [2]string
		if err := rows.Scan(&d[0], &d[1]); err != nil {
			rows.Close()
			return err
		}
		decs = append(decs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range decs {
		in, err := talkers(ctx, a, d[1])
		if err != nil {
			return err
		}
		if len(in) < 2 {
			continue
		}
		if err := demoThread(ctx, a, in, talk.ThreadInput{GroupID: d[1], Title: "Leaflets for the high street stall",
			Body: "We have 2,000 leaflets left. Who can take a box for Saturday's stall?"}, []string{
			"I'll take a box, and can do 10 till 12.",
			"Thanks! @" + in[0].handle + " has the keys to the store room, ask them.",
		}, false); err != nil {
			return err
		}
		tid, err := threadBySubject(ctx, a, d[0])
		if err != nil {
			return err
		}
		if tid != "" {
			continue // a killed run started it
		}
		first, err := commentOn(in[len(in)-1].ctx, a, d[0], "", "Agree in principle: @"+in[0].handle+", what would it cost us?")
		if err != nil {
			return err
		}
		if _, err := commentOn(in[0].ctx, a, d[0], first.ID, "Very little: the hall is free on weeknights."); err != nil {
			return err
		}
		if _, err := commentOn(in[1%len(in)].ctx, a, d[0], "", "I'd support it if we review it after six months."); err != nil {
			return err
		}
	}
	return nil
}

func commentOn(ctx context.Context, a *app.App, decisionID, parent, body string) (*talk.Comment, error) {
	_, c, err := a.Talk.CommentOn(ctx, talk.SubjectDecision, decisionID, talk.CommentInput{ParentID: parent, Body: body})
	if err != nil {
		return nil, fmt.Errorf("demo talk on decision: %w", err)
	}
	return c, nil
}

func threadBySubject(ctx context.Context, a *app.App, decisionID string) (string, error) {
	var id string
	err := a.DB.QueryRow(ctx, `SELECT id FROM talk_threads WHERE subject_kind = 'decision' AND subject_id = ?`, decisionID).Scan(&id)
	if db.IsNotFound(err) {
		return "", nil
	}
	return id, err
}

// demoThread starts a thread (by the first talker) with comments by the
// others, the first of them answered by the thread's author; unless a
// killed run made it.
func demoThread(ctx context.Context, a *app.App, by []talker, in talk.ThreadInput, comments []string, pin bool) error {
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM talk_threads WHERE title = ? AND COALESCE(group_id, '') = ?`,
		in.Title, in.GroupID).Scan(&n); err != nil || n > 0 {
		return err
	}
	th, err := a.Talk.StartThread(by[0].ctx, in)
	if err != nil {
		return fmt.Errorf("demo thread %q: %w", in.Title, err)
	}
	for i, body := range comments {
		c, err := a.Talk.Comment(by[1+i%(len(by)-1)].ctx, th.ID, talk.CommentInput{Body: body})
		if err != nil {
			return fmt.Errorf("demo comment: %w", err)
		}
		if i == 0 {
			if _, err := a.Talk.Comment(by[0].ctx, th.ID, talk.CommentInput{ParentID: c.ID, Body: "Brilliant, thank you!"}); err != nil {
				return fmt.Errorf("demo reply: %w", err)
			}
		}
	}
	if pin {
		return a.Talk.Pin(ctx, th.ID, true)
	}
	return nil
}

// talkers are up to four members with accounts: a group's active members,
// or (groupID "") the network's, each signed in.
func talkers(ctx context.Context, a *app.App, groupID string) ([]talker, error) {
	q, args := `SELECT id, name, email FROM users WHERE role = 'member' AND name <> '' ORDER BY id LIMIT 4`, []any{}
	if groupID != "" {
		q, args = `SELECT u.id, u.name, u.email FROM group_members m JOIN people p ON p.id = m.person_id
			JOIN users u ON u.id = p.user_id WHERE m.group_id = ? AND m.status = 'active' AND u.role <> 'supporter'
			ORDER BY m.role DESC, u.id LIMIT 4`, []any{groupID}
	}
	rows, err := a.DB.Q().Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("demo talkers: %w", err)
	}
	defer rows.Close()
	var out []talker
	for rows.Next() {
		var id, name, email string
		if err := rows.Scan(&id, &name, &email); err != nil {
			return nil, err
		}
		out = append(out, talker{handle: talk.Handle(name), userID: id,
			ctx: auth.WithPrincipal(ctx, &auth.Principal{UserID: id, Role: auth.RoleMember, Verified: true, Label: email})})
	}
	return out, rows.Err()
}
