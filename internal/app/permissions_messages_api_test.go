package app_test

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// messagesAPIFixtures adds what the matrix's messages API rows act on: two
// drafts of group A to its members, {AMSG} (read, changed, scheduled and
// unscheduled) and {AMSGS} (sent, then stopped); person pa, a member of A,
// says yes to email so that sending has someone to send to.
func messagesAPIFixtures(t *testing.T, a *app.App, vals map[string]string, groupA, pa string) {
	t.Helper()
	sys := auth.WithSystem(context.Background())
	if err := a.People.SetConsent(sys, pa, people.Consent{Channel: people.ChannelEmail, Status: people.ConsentGranted,
		Source: "matrix", Wording: "Email me about group A."}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"{AMSG}", "{AMSGS}"} {
		b, err := a.Messaging.Create(sys, messaging.Input{GroupID: groupA, Subject: "Matrix " + key, Body: "Hello {{first_name}}.",
			Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: groupA}}})
		if err != nil {
			t.Fatal(err)
		}
		vals[key] = b.ID
	}
}
