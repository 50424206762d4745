package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestBallotsMoveThroughTheJob: the decisions job, run through River as
// every minute, moves a batch of sealed ballots into the ballot box and
// records it in the audit log as the system. On both engines.
func TestBallotsMoveThroughTheJob(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a := n.App
		sys := auth.WithSystem(context.Background())
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin) // the first account is the admin
		g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
		if err != nil {
			t.Fatal(err)
		}
		var voters []context.Context
		var ms []groups.NewMember
		for i := range decisions.BatchMin {
			email := fmt.Sprintf("voter%02d@example.org", i)
			u := n.CreateUser(t, email, "Password-For-batches", auth.RoleMember)
			id, err := a.People.Match(sys, email, "")
			if err != nil {
				t.Fatal(err)
			}
			ms = append(ms, groups.NewMember{GroupID: g.ID, PersonID: id, Role: groups.RoleMember})
			voters = append(voters, auth.WithPrincipal(context.Background(), &auth.Principal{UserID: u.ID, Role: auth.RoleMember, Verified: true}))
		}
		if _, err := a.Groups.ImportMembers(sys, ms); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		d, err := a.Decisions.Create(sys, decisions.Input{GroupID: g.ID, Title: "Where shall we meet?", Kind: decisions.KindPoll,
			Options: []decisions.OptionInput{{Label: "Library"}, {Label: "Pub"}}, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.StartDiscussion(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.OpenVoting(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		for i, v := range voters {
			tok, err := a.Decisions.BallotToken(v, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Decisions.Vote(v, d.ID, tok, decisions.Choice{Option: 1 + i%2}); err != nil {
				t.Fatal(err)
			}
		}
		count := func(q string) int {
			var c int
			if err := a.DB.QueryRow(context.Background(), q, d.ID).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		if box := count(`SELECT COUNT(*) FROM decision_ballots WHERE decision_id = ?`); box != 0 {
			t.Fatalf("%d ballots in the box before the job ran, want 0: they wait sealed", box)
		}
		if _, err := a.Jobs.Insert(sys, decisions.AdvanceArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(15 * time.Second)
		for count(`SELECT COUNT(*) FROM decision_sealed WHERE decision_id = ?`) > 0 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		box := count(`SELECT COUNT(*) FROM decision_ballots WHERE decision_id = ?`)
		batches := count(`SELECT COUNT(*) FROM audit_log WHERE action = 'decision.ballots_cast' AND target_id = ? AND actor_id IS NULL`)
		if box != decisions.BatchMin || batches != 1 {
			t.Fatalf("after the job: %d ballots in the box and %d batches in the audit log, want %d and 1", box, batches, decisions.BatchMin)
		}
	})
}
