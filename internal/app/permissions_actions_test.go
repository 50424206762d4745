package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// The actions pages' rows (issue 14, actionsweb): the organiser pages are
// group A's organisers' and the admins'; the public pages and the embeds
// anyone's. Posts without a form token are refused as input (R), so they
// change nothing. The live count (/act/{slug}/live) shares the pattern of
// the thanks row and streams forever, so it has no row of its own. They
// go before the log-out row, which ends every role's session.
func init() {
	at := len(matrix)
	for i, r := range matrix {
		if r.path == "/logout" {
			at = i
		}
	}
	matrix = slices.Insert(matrix, at, []permRow{
		{"GET", "/actions", nil, "LAAAAA", ""},
		{"GET", "/actions/new?kind=petition&group={AID}", nil, "LAAAAA", ""},
		{"POST", "/actions", form("kind", "petition", "group_id", "{AID}", "title", "Matrix petition", "consent_wording", "Yes, email me."), "LDDDAA", ""},
		{"GET", "/actions/{ACT}", nil, "LDDDAA", ""},
		{"GET", "/actions/{ACT}/edit", nil, "LDDDAA", ""},
		{"POST", "/actions/{ACT}", form("title", "Matrix petition, changed", "consent_wording", "Yes, email me."), "LDDDAA", ""},
		{"POST", "/actions/{ACT}/status", form("status", "open"), "LDDDAA", ""},
		{"GET", "/actions/{ACT}/responses", nil, "LDDDAA", ""},
		{"GET", "/actions/{ACT}/responses.csv", nil, "LDDDAA", ""},
		{"GET", "/act/{ACTSLUG}", nil, "AAAAAA", ""},
		{"POST", "/act/{ACTSLUG}", form("given_name", "Matrix", "email", "matrix@example.org"), "RRRRRR", ""},
		{"GET", "/act/{ACTSLUG}/{THANKS}", nil, "AAAAAA", ""},
		{"GET", "/act/{CONFIRM}/{token}", nil, "DDDDDD", ""},
		{"GET", "/embed/act/{ACTSLUG}", nil, "AAAAAA", ""},
		{"GET", "/embed/act/{ACTJS}", nil, "AAAAAA", ""},
		{"GET", "/embed/act/{ACTSLUG}/token", nil, "AAAAAA", ""},
		{"POST", "/embed/act/{ACTSLUG}", form("given_name", "Matrix", "email", "matrix@example.org"), "RRRRRR", ""},
		{"OPTIONS", "/embed/act/{ACTSLUG}", nil, "AAAAAA", ""},
		{"GET", "/embed/events/{EV}", nil, "AAAAAA", ""},
		{"GET", "/embed/events/{EVJS}", nil, "AAAAAA", ""},
		{"GET", "/embed/events/{EVG}", nil, "DDDDDD", ""}, // not public: no embed
		{"GET", "/embed/events/{EV}/token", nil, "AAAAAA", ""},
		{"POST", "/embed/events/{EV}", form("name", "Matrix", "email", "matrix@example.org", "status", "accepted"), "RRRRRR", ""},
		{"OPTIONS", "/embed/events/{EV}", nil, "AAAAAA", ""},
	}...)
}

// actionsFixtures makes {ACT}, an open petition of group A, with its slug
// {ACTSLUG} and script {ACTJS}, and the script of the public event {EVJS}.
func actionsFixtures(t *testing.T, a *app.App, vals map[string]string, groupA, organiserA string) {
	t.Helper()
	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: organiserA, Role: auth.RoleMember, Verified: true})
	p, err := a.Actions.Create(ctx, actions.Input{Kind: actions.KindPetition, GroupID: groupA, Slug: "matrix-petition",
		Title: "Matrix petition", Goal: 10, ConsentWording: "Yes, email me."})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Actions.SetStatus(ctx, p.ID, actions.StatusOpen); err != nil {
		t.Fatal(err)
	}
	vals["{ACT}"], vals["{ACTSLUG}"], vals["{ACTJS}"] = p.ID, p.Slug, p.Slug+".js"
	vals["{THANKS}"], vals["{CONFIRM}"], vals["{EVJS}"] = "thanks", "confirm", vals["{EV}"]+".js"
}
