package app_test

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// messagingFixtures adds what the matrix's messaging rows act on: {MSG}, a
// draft broadcast of group A to its members.
func messagingFixtures(t *testing.T, a *app.App, vals map[string]string) {
	t.Helper()
	sys := auth.WithSystem(context.Background())
	b, err := a.Messaging.Create(sys, messaging.Input{Channel: messaging.ChannelEmail, GroupID: vals["{AID}"],
		Subject: "Matrix message", Body: "Hello {{first_name}}",
		Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: vals["{AID}"]}}})
	if err != nil {
		t.Fatal(err)
	}
	vals["{MSG}"] = b.ID
}
