package app_test

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// webhookFixtures adds what the matrix's webhook rows act on (issue 14):
// {WH}, a disabled endpoint of group A (so nothing is ever sent to its
// address), {WHD}, its pending test delivery, and {WHX}, an endpoint the
// admin's row deletes.
func webhookFixtures(t *testing.T, a *app.App, vals map[string]string, groupA string) {
	t.Helper()
	ctx := auth.WithSystem(context.Background())
	in := webhooks.Input{GroupID: groupA, URL: "https://hooks.example.org/matrix", Kinds: []string{"person.created"}}
	ep, _, err := a.Webhooks.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.Webhooks.Test(ctx, ep.ID)
	if err != nil {
		t.Fatal(err)
	}
	in.GroupID = ""
	x, _, err := a.Webhooks.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	vals["{WH}"], vals["{WHD}"], vals["{WHX}"] = ep.ID, d.ID, x.ID
}
