package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestBrowserSearch (issue 13): a visitor searches from the search page,
// misspells a word, follows "Did you mean", sees the hit with its marked
// words and group, narrows by kind, all without JavaScript's help and
// within the width of a phone. On both engines, desktop and phone.
func TestBrowserSearch(t *testing.T) {
	for _, screen := range screens {
		t.Run(screen.name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, dbURL string) {
				tab := browsertest.Start(t, screen.opts)
				n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
				n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
				ctx := auth.WithSystem(context.Background())
				g, err := n.App.Groups.Create(ctx, groups.Input{Name: "Hackney Tenants", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen,
					Districts: []string{"E8"}, Description: "Tenants organising for repairs and fair rents."})
				if err != nil {
					t.Fatal(err)
				}
				day := time.Now().AddDate(0, 0, 3)
				if _, err := n.App.Events.Create(ctx, events.Input{GroupID: g.ID, Title: "Rent strike assembly", Visibility: events.Public,
					Description: "The assembly is for every tenant on the estate: we vote on the strike.", Place: events.Place{Name: "Round Chapel"},
					Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
					End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)}); err != nil {
					t.Fatal(err)
				}

				wantStatus(t, "search page", tab.Navigate(n.URL+"/search"), http.StatusOK)
				if tab.Attr("header form[role=search]", "action") != "/search" {
					t.Error("no search box in the header")
				}
				tab.Fill("#f-q", "asembly")
				wantStatus(t, "search", tab.ClickText("main", "Search"), http.StatusOK)
				wantContains(t, tab, "main", "No results for")
				wantContains(t, tab, ".did-you-mean", "assembly")
				wantStatus(t, "did you mean", tab.Click(".did-you-mean a"), http.StatusOK)
				wantText(t, tab, ".search-results h3", "Rent strike assembly")
				wantContains(t, tab, ".search-results", "Hackney Tenants")
				if got := tab.Text(".search-results mark"); got != "assembly" && got != "Assembly" {
					t.Errorf("marked word %q", got)
				}
				wantFits(t, tab)

				tab.Fill("#f-q", "tenants")
				// Ticking a box loads no page: click (or tap) its label
				// straight through chromedp.
				var tick chromedp.Action[chromedp.Void] = chromedp.Click(chromedp.CSS(`label[for="f-kind-group"]`))
				if tab.Mobile() {
					tick = chromedp.Tap(chromedp.CSS(`label[for="f-kind-group"]`))
				}
				if _, err := chromedp.Run(tab.Context(), tick); err != nil {
					t.Fatalf("tick Groups: %v", err)
				}
				wantStatus(t, "groups only", tab.ClickText("main", "Search"), http.StatusOK)
				wantText(t, tab, ".search-results h3", "Hackney Tenants")
				wantFits(t, tab)
				tab.Screenshot("search-" + screen.name + "-" + engineName(dbURL))
				wantCleanConsole(t, tab)
			})
		})
	}
}
