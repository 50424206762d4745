package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestBrowserLibraryOnPhone (issue 13), at 390 px: a member finds a guide
// from the library's front page, reads it, looks at its revisions and
// what changed, and ticks it off on a learning path; no page scrolls
// sideways, and none needs a script.
func TestBrowserLibraryOnPhone(t *testing.T) {
	phone := browsertest.Options{Width: 390, Height: 844, Mobile: true}
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		tab := browsertest.Start(t, phone)
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		lib := n.App.Library
		sys := auth.WithSystem(context.Background())
		const email, pass = "mo@example.org", "reading the guides"
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		n.CreateUser(t, email, pass, auth.RoleMember)
		f, err := lib.CreateFolder(sys, library.FolderInput{Name: "Organising guides", Visibility: library.Public})
		if err != nil {
			t.Fatal(err)
		}
		long := "A-very-long-word-with-no-spaces-" + strings.Repeat("x", 120)
		d, err := lib.CreateDocument(sys, library.DocInput{FolderID: f.ID, Title: "Canvassing safely", Visibility: library.Public,
			Body: "# Canvassing safely\n\nWork in pairs.\n\n" + long})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lib.Save(sys, d.ID, library.DocInput{Title: "Canvassing safely", Visibility: library.Public, BaseRevision: 1,
			Body: "# Canvassing safely\n\nWork in pairs, always.\n\nEnd by 8pm.\n\n" + long, Note: "End by 8pm"}); err != nil {
			t.Fatal(err)
		}
		p, err := lib.CreatePath(sys, library.PathInput{Title: "New organiser", Visibility: library.Public})
		if err != nil {
			t.Fatal(err)
		}
		if err := lib.AddStep(sys, p.ID, d.ID); err != nil {
			t.Fatal(err)
		}

		wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
		tab.Fill("#f-email", email)
		tab.Fill("#f-password", pass)
		wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
		wantStatus(t, "library", tab.Navigate(n.URL+"/library"), http.StatusOK)
		wantFits(t, tab)
		wantStatus(t, "folder", tab.ClickText("main", "Organising guides"), http.StatusOK)
		wantStatus(t, "guide", tab.ClickText("main", "Canvassing safely"), http.StatusOK)
		wantPath(t, tab, "/library/d/"+d.ID)
		wantContains(t, tab, "main h1", "Canvassing safely")
		wantContains(t, tab, "main", "Revision 2")
		wantFits(t, tab)
		tab.Screenshot("library-document-" + engineName(dbURL) + ".png")
		wantStatus(t, "revisions", tab.ClickText("main", "Revisions"), http.StatusOK)
		wantContains(t, tab, "main", "End by 8pm")
		wantFits(t, tab)
		wantStatus(t, "diff", tab.ClickText("main", "What changed"), http.StatusOK)
		wantContains(t, tab, "main ins", "Work in pairs, always.")
		wantContains(t, tab, "main del", "Work in pairs.")
		// A changed line has a sign and a colour of its own (app.css's .diff__line).
		wantContains(t, tab, "main .diff__line--added", "+")
		wantContains(t, tab, "main .diff__line--removed", "−")
		if bg := browsertest.Eval[string](tab, `[".diff__line--added", ".diff__line--removed", ".diff__line"].map(s => getComputedStyle(document.querySelector("main " + s)).backgroundColor).join(" | ")`); strings.Count(bg, "rgba(0, 0, 0, 0)") != 1 || strings.Split(bg, " | ")[0] == strings.Split(bg, " | ")[1] {
			t.Errorf("added, removed and unchanged lines' backgrounds: %s", bg)
		}
		wantFits(t, tab)
		tab.Screenshot("library-diff-" + engineName(dbURL) + ".png")
		wantStatus(t, "paths", tab.Navigate(n.URL+"/library/paths"), http.StatusOK)
		wantContains(t, tab, "main", "0 of 1 done")
		wantStatus(t, "path", tab.ClickText("main", "New organiser"), http.StatusOK)
		wantStatus(t, "tick", tab.ClickText("main", "Tick off"), http.StatusOK)
		wantContains(t, tab, "main", "1 of 1 done")
		wantFits(t, tab)
		tab.Screenshot("library-path-" + engineName(dbURL) + ".png")
		wantCleanConsole(t, tab)
	})
}
