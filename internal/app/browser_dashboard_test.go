package app_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestBrowserOrganiserDashboard (issue 16): an organiser's dashboard, at
// desktop and phone sizes, shows the join request waiting first with its
// count and the group's quick actions; the organiser follows it from the
// dashboard, approves the request, and the dashboard then says nobody is
// waiting and offers the next thing to do. The page fits the screen. On
// SQLite (TestDashboardByRole checks the figures on both engines).
func TestBrowserOrganiserDashboard(t *testing.T) {
	for _, screen := range screens {
		t.Run(screen.name, func(t *testing.T) {
			tab := browsertest.Start(t, screen.opts)
			n := apptest.Start(t, apptest.Options{})
			a, sys := n.App, auth.WithSystem(context.Background())
			g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinRequest, Districts: []string{"E8"}})
			if err != nil {
				t.Fatal(err)
			}
			n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin) // the first account is the admin
			const orgEmail, pass = "organiser16@example.org", "a long walk to the polling station"
			n.CreateUser(t, orgEmail, pass, auth.RoleMember)
			org, err := a.People.Match(sys, orgEmail, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: g.ID, PersonID: org, Role: groups.RoleOrganiser}}); err != nil {
				t.Fatal(err)
			}
			asker := n.CreateUser(t, "asker16@example.org", pass, auth.RoleMember)
			if _, err := a.Groups.Join(auth.WithPrincipal(context.Background(), &auth.Principal{UserID: asker.ID, Role: auth.RoleMember, Verified: true}), g.ID); err != nil {
				t.Fatal(err)
			}

			wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
			tab.Fill("#f-email", orgEmail)
			tab.Fill("#f-password", pass)
			wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
			wantPath(t, tab, "/dashboard")
			wantContains(t, tab, "main", "Needs you now")
			wantContains(t, tab, ".card--urgent", "Join requests")
			wantContains(t, tab, ".card--urgent", "1 person waiting")
			wantText(t, tab, ".card--urgent .dash-count", "1")
			if href := tab.Attr(".dash-quick a.button", "href"); href != "/decisions/new?group="+g.ID {
				t.Errorf("the first quick action goes to %q", href)
			}
			wantFits(t, tab)
			tab.Screenshot("dashboard-organiser-" + screen.name + ".png")

			wantStatus(t, "the request", tab.Click(`.card--urgent a[href="/groups/`+g.Slug+`#requests"]`), http.StatusOK)
			wantPath(t, tab, "/groups/"+g.Slug)
			wantStatus(t, "approve", tab.ClickText("main", "Approve"), http.StatusOK)
			wantStatus(t, "dashboard", tab.Navigate(n.URL+"/dashboard"), http.StatusOK)
			wantContains(t, tab, "main", "Nobody is waiting to join your groups.")
			wantContains(t, tab, "main", "New members this week")
			wantFits(t, tab)
			wantCleanConsole(t, tab)
		})
	}
}
