package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// decisionFixtures adds the decisions the permission matrix acts on, all in
// group A with its active members as the electorate: {DECA} open for
// voting, {DECC} closed with the member's ballot (receipt {RCPT}), drafts
// {DECD} and {DECW}, and an election {NOMD} taking nominations with
// organiser A's nomination {NOM}.
func decisionFixtures(t *testing.T, a *app.App, vals map[string]string, groupA, organiserA, member string) {
	t.Helper()
	sys := auth.WithSystem(context.Background())
	as := func(userID string) context.Context {
		return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: userID, Role: auth.RoleMember, Verified: true})
	}
	now := time.Now().UTC().Truncate(time.Second)
	mk := func(title string, kind decisions.Kind, opens, closes time.Time) *decisions.Decision {
		in := decisions.Input{GroupID: groupA, Title: title, Kind: kind, OpensAt: opens, ClosesAt: closes}
		if kind != decisions.KindElection {
			in.Options = []decisions.OptionInput{{Label: "Library"}, {Label: "Pub"}}
		}
		d, err := a.Decisions.Create(sys, in)
		if err != nil {
			t.Fatalf("decision fixture %q: %v", title, err)
		}
		return d
	}
	open := func(d *decisions.Decision) {
		if _, err := a.Decisions.StartDiscussion(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.OpenVoting(sys, d.ID); err != nil {
			t.Fatal(err)
		}
	}
	deca := mk("Matrix poll", decisions.KindPoll, now.Add(-time.Minute), now.Add(time.Hour))
	open(deca)
	closesSoon := now.Add(2 * time.Second)
	decc := mk("Matrix closed poll", decisions.KindPoll, now.Add(-time.Minute), closesSoon)
	open(decc)
	tok, err := a.Decisions.BallotToken(as(member), decc.ID)
	if err != nil {
		t.Fatal(err)
	}
	rcpt, err := a.Decisions.Vote(as(member), decc.ID, tok, decisions.Choice{Option: 1})
	if err != nil {
		t.Fatalf("fixture vote: %v", err)
	}
	decd := mk("Matrix draft", decisions.KindPoll, now.Add(time.Hour), now.Add(2*time.Hour))
	decw := mk("Matrix draft to withdraw", decisions.KindPoll, now.Add(time.Hour), now.Add(2*time.Hour))
	nomd := mk("Matrix election", decisions.KindElection, now.Add(time.Hour), now.Add(2*time.Hour))
	if _, err := a.Decisions.OpenNominations(sys, nomd.ID); err != nil {
		t.Fatal(err)
	}
	nom, err := a.Decisions.Nominate(as(organiserA), nomd.ID, decisions.NominationInput{Statement: "I will."})
	if err != nil {
		t.Fatalf("fixture nomination: %v", err)
	}
	time.Sleep(time.Until(closesSoon))
	if _, err := a.Decisions.Close(sys, decc.ID); err != nil {
		t.Fatalf("fixture close: %v", err)
	}
	for k, v := range map[string]string{"{DECA}": deca.ID, "{DECC}": decc.ID, "{DECD}": decd.ID, "{DECW}": decw.ID,
		"{NOMD}": nomd.ID, "{NOM}": nom.ID, "{RCPT}": rcpt} {
		vals[k] = v
	}
}

// ballotTokens gives each signed-in role its own ballot token for the
// decision, made by the service as the ballot page makes it (a token is
// bound to its user and decision). Every role gets a valid one, so the vote
// row's letters are the policy's: a role that may not vote is refused with
// a token in hand, not for lacking one.
func ballotTokens(t *testing.T, a *app.App, decisionID string, users map[string]*auth.Principal) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for role, p := range users {
		tok, err := a.Decisions.BallotToken(auth.WithPrincipal(context.Background(), p), decisionID)
		if err != nil {
			t.Fatalf("ballot token for %s: %v", role, err)
		}
		out[role] = map[string]string{"{BALLOT}": tok}
	}
	return out
}
