package app_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// TestBrowserNewcomerFindsGroup: a newcomer types their postcode on the home
// page, is offered the nearest local group first, joins it, and sees it on
// their dashboard. At desktop and phone sizes, on both engines.
func TestBrowserNewcomerFindsGroup(t *testing.T) {
	for _, screen := range screens {
		t.Run(screen.name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, dbURL string) {
				tab := browsertest.Start(t, screen.opts)
				n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
				n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
				ctx := auth.WithSystem(context.Background())
				mk := func(name string, districts []string, centre geo.Point) {
					if _, err := n.App.Groups.Create(ctx, groups.Input{Name: name, Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen,
						Districts: districts, Centre: &centre, RadiusKm: 2}); err != nil {
						t.Fatal(err)
					}
				}
				mk("Islington Momentum", []string{"N1", "N5"}, geo.Point{Lat: 51.546, Lng: -0.105})
				mk("Hackney Momentum", []string{"E8", "E5"}, geo.Point{Lat: 51.545, Lng: -0.055})
				mk("Leeds Momentum", []string{"LS6"}, geo.Point{Lat: 53.800, Lng: -1.549})
				const email, pass = "newcomer@example.org", "a long walk to the polling station"
				n.CreateUser(t, email, pass, auth.RoleSupporter)

				wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
				tab.Fill("#f-email", email)
				tab.Fill("#f-password", pass)
				wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
				wantPath(t, tab, "/dashboard")
				wantContains(t, tab, "main", "You are not in a group yet.")

				wantStatus(t, "home", tab.Navigate(n.URL+"/"), http.StatusOK)
				tab.Fill("#f-postcode", "e8 1dy")
				wantStatus(t, "search", tab.ClickText("main", "Find groups near me"), http.StatusOK)
				wantPath(t, tab, "/groups/near")
				wantFits(t, tab)
				first := tab.Text("main section .card h3")
				if first != "Hackney Momentum" {
					t.Fatalf("the first group offered for E8 1DY is %q, want Hackney Momentum", first)
				}
				wantContains(t, tab, "main section .card", "Covers your area")
				wantStatus(t, "join", tab.ClickText("main", "Join Hackney Momentum"), http.StatusOK)
				wantStatus(t, "dashboard", tab.Navigate(n.URL+"/dashboard"), http.StatusOK)
				wantContains(t, tab, "main", "Hackney Momentum")
				wantFits(t, tab)
				tab.Screenshot("groups-dashboard-" + screen.name + "-" + engineName(dbURL))
				wantCleanConsole(t, tab)
			})
		})
	}
}
