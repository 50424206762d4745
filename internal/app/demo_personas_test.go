package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/talk"
)

// TestDemoPersonasHaveWork (issue 16): each account the demo prints has
// something to do when it first logs in: a vote open to it that it has not
// cast, an upcoming event it has not answered, a thread that asks it
// something by @name, and for the organiser a request to join their group.
// Printing the personas again (every serve --demo does) adds nothing.
func TestDemoPersonasHaveWork(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		nw := demo.Generate(1, 400)
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Before: apptest.LoadDemo(nw)})
		ctx := context.Background()
		personas, err := demo.Personas(ctx, n.App, nw)
		if err != nil || len(personas) != 3 {
			t.Fatalf("Personas = %v, %v", personas, err)
		}
		countThreads := func() (c int) {
			n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM talk_threads`).Scan(&c)
			return c
		}
		threads := countThreads()
		if _, err := demo.Personas(ctx, n.App, nw); err != nil {
			t.Fatal(err)
		}
		if again := countThreads(); again != threads {
			t.Errorf("printing the personas again added %d threads", again-threads)
		}

		now := time.Now().UTC()
		for _, p := range personas {
			t.Run(p.Role, func(t *testing.T) {
				var userID, personID, name string
				var role auth.Role
				if err := n.App.DB.QueryRow(ctx, `SELECT u.id, u.role, u.name, COALESCE(p.id, '') FROM users u
					LEFT JOIN people p ON p.user_id = u.id WHERE u.email = ?`, p.Email).Scan(&userID, &role, &name, &personID); err != nil {
					t.Fatal(err)
				}
				as := auth.WithPrincipal(ctx, &auth.Principal{UserID: userID, Role: role, Verified: true, Label: p.Email})

				// A vote open to them, not yet cast: what the dashboard lists.
				votes, err := n.App.Decisions.OpenVotes(as, 20)
				if err != nil {
					t.Fatal(err)
				}
				open := 0
				for _, v := range votes {
					if !v.Voted {
						open++
					}
				}
				if open == 0 {
					t.Errorf("%s has no open vote to cast (open votes: %+v)", p.Email, votes)
				}

				// An upcoming event in one of their groups (any public one for
				// the admin, who is in none) that they have not answered.
				var events int
				n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM events e WHERE e.status = 'scheduled' AND e.starts_at > ?
					AND (? = 'admin' AND e.visibility = 'public' OR EXISTS (SELECT 1 FROM group_members m
						WHERE m.group_id = e.group_id AND m.person_id = ? AND m.status = 'active'))
					AND NOT EXISTS (SELECT 1 FROM event_rsvps r WHERE r.event_id = e.id AND r.person_id = ?)`,
					now, p.Role, personID, personID).Scan(&events)
				if events == 0 {
					t.Errorf("%s has no upcoming event to answer", p.Email)
				}

				// A thread they can read that asks them by @name, which they
				// have not answered.
				var asked int
				n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM talk_threads th WHERE th.body LIKE ?
					AND COALESCE(th.author_id, '') <> ?
					AND (th.group_id IS NULL OR EXISTS (SELECT 1 FROM group_members m
						WHERE m.group_id = th.group_id AND m.person_id = ? AND m.status = 'active'))
					AND NOT EXISTS (SELECT 1 FROM talk_comments c WHERE c.thread_id = th.id AND c.author_id = ?)`,
					"%@"+talk.Handle(name)+"%", userID, personID, userID).Scan(&asked)
				if asked == 0 {
					t.Errorf("%s has no thread asking them by @%s", p.Email, talk.Handle(name))
				}

				if p.Role != "organiser" {
					return
				}
				var groupID string
				if err := n.App.DB.QueryRow(ctx, `SELECT group_id FROM group_members WHERE person_id = ? AND role = 'organiser'
					AND group_id IN (SELECT id FROM groups WHERE join_policy = 'request') ORDER BY group_id LIMIT 1`, personID).Scan(&groupID); err != nil {
					t.Fatalf("the organiser organises no group that takes requests: %v", err)
				}
				pending, _, err := n.App.Groups.Pending(as, groupID, "", 10)
				if err != nil || len(pending) == 0 {
					t.Errorf("the organiser has no request to join to approve: %v, %v", pending, err)
				}
			})
		}
	})
}
