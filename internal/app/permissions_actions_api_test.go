package app_test

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// actionsAPIFixtures makes the actions API rows' records (issue 14,
// apievents): {APET}, an open petition of group A, with {ASIG}, a
// signature; {AFORM}, an open form of group A, with {ASUB}, a submission.
func actionsAPIFixtures(t *testing.T, a *app.App, vals map[string]string, groupA string) {
	t.Helper()
	sys := auth.WithSystem(context.Background())
	for _, k := range []struct{ kind, action, response string }{
		{actions.KindPetition, "{APET}", "{ASIG}"}, {actions.KindForm, "{AFORM}", "{ASUB}"}} {
		act, err := a.Actions.Create(sys, actions.Input{Kind: k.kind, GroupID: groupA, Title: "Matrix " + k.kind,
			Text: "Matrix text.", ConsentWording: "Email me about group A."})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Actions.SetStatus(sys, act.ID, actions.StatusOpen); err != nil {
			t.Fatal(err)
		}
		res, err := a.Actions.Respond(sys, act.ID, actions.Respond{GivenName: "Matrix", Email: "matrix.responder@example.org", Source: "matrix"})
		if err != nil {
			t.Fatal(err)
		}
		vals[k.action], vals[k.response] = act.ID, res.Response.ID
	}
}
