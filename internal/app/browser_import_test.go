package app_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/site"
)

// importBadCSV has two rows the import rejects: data line 3 (the header is
// line 1) has an email address without a domain, line 5 a postcode that is
// not one.
const importBadCSV = "First name,Last name,Email address,Postcode,Mobile\n" +
	"Ada,Okafor,ada.okafor@example.org,E8 1DY,07700 900101\n" +
	"Bob,Mensah,bob.mensah@,E8 2PB,07700 900102\n" +
	"Carys,Lloyd,carys.lloyd@example.org,E5 0LL,\n" +
	"Dev,Patel,dev.patel@example.org,E8 XYZ,07700 900104\n" +
	"Esi,Boateng,esi.boateng@example.org,E8 3RL,07700 900105\n"

// importFixedCSV is importBadCSV with both rows corrected.
var importFixedCSV = strings.NewReplacer("bob.mensah@,", "bob.mensah@example.org,", "E8 XYZ", "E8 4QX").Replace(importBadCSV)

// importPeople are the people of the file: name and email address.
var importPeople = [][2]string{
	{"Ada Okafor", "ada.okafor@example.org"},
	{"Bob Mensah", "bob.mensah@example.org"},
	{"Carys Lloyd", "carys.lloyd@example.org"},
	{"Dev Patel", "dev.patel@example.org"},
	{"Esi Boateng", "esi.boateng@example.org"},
}

// TestBrowserOrganiserImport: an organiser imports a CSV with two bad rows,
// sees both errors with their line numbers, fixes the file, imports it.
// In a real browser, from the login page through the group's "Import
// people" button, the upload form (a real file chosen in the file input),
// the detected columns, the dry run and the progress page to the people
// list. At desktop and phone sizes, on both engines.
func TestBrowserOrganiserImport(t *testing.T) {
	for _, screen := range screens {
		t.Run(screen.name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, dbURL string) {
				organiserImport(t, dbURL, screen.name, screen.opts)
			})
		})
	}
}

func organiserImport(t *testing.T, dbURL, screen string, opts browsertest.Options) {
	opts.Timeout = 2 * time.Minute // the whole wizard and a background job, not one form
	tab := browsertest.Start(t, opts)
	n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
	ctx := auth.WithSystem(context.Background())

	// An admin, a local group, and its organiser, who has a member account.
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	g, err := n.App.Groups.Create(ctx, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal,
		JoinPolicy: groups.JoinOpen, Districts: []string{"E8", "E5"}})
	if err != nil {
		t.Fatal(err)
	}
	const orgEmail, orgPass = "olu.organiser@example.org", "a long walk to the polling station"
	n.CreateUser(t, orgEmail, orgPass, auth.RoleMember)
	orgPerson, err := n.App.People.Match(ctx, orgEmail, "")
	if err != nil || orgPerson == "" {
		t.Fatalf("the organiser's person record: %q, %v", orgPerson, err)
	}
	if _, err := n.App.Groups.ImportMembers(ctx, []groups.NewMember{
		{GroupID: g.ID, PersonID: orgPerson, Role: groups.RoleOrganiser}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	badPath, fixedPath := filepath.Join(dir, "hackney-members.csv"), filepath.Join(dir, "hackney-members-fixed.csv")

	// Every signed-in page listens to live announcements, and the wizard
	// goes through more pages than a browser opens connections to one site
	// over HTTP/1.1 (six). If the pages left behind, kept in the browser's
	// back/forward cache, kept their streams open, a later click would wait
	// for a connection forever: the step times out with "context deadline
	// exceeded" and the server never sees the request (see app.js).

	// 1. Log in through the login page and go to the group's page.
	wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
	tab.Fill("#f-email", orgEmail)
	tab.Fill("#f-password", orgPass)
	wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
	wantPath(t, tab, "/dashboard")
	wantContains(t, tab, "main", "Hackney Momentum")
	wantStatus(t, "group page", tab.Navigate(n.URL+"/groups/"+g.Slug), http.StatusOK)

	// 2. Upload the file with two bad rows into the group.
	wantStatus(t, "import people", tab.ClickText("main", "Import people"), http.StatusOK)
	wantPath(t, tab, "/people/import")
	wantText(t, tab, "main h1", "Import people")
	if got := tab.Value("#f-group_id"); got != g.ID {
		t.Errorf("the upload form imports into %q, want the organiser's group %s", got, g.ID)
	}
	if opts := tab.Text("#f-group_id"); strings.Contains(opts, "whole network") {
		t.Errorf("an organiser is offered a network-wide import: %q", opts)
	}
	wantFits(t, tab)
	writeCSV(t, badPath, importBadCSV)
	tab.UploadFile("#f-file", badPath)
	tab.Fill("#f-tags", "Hackney petition")
	bad := uploadAndCheckColumns(t, tab, "hackney-members.csv", "")

	// 3. Keep the detected columns; the dry run lists both bad rows by line.
	wantStatus(t, "save the columns", clickSubmit(t, tab, "Save and check the file"), http.StatusOK)
	wantPath(t, tab, "/imports/"+bad+"/preview")
	wantText(t, tab, "main h1", "Check before importing")
	wantFacts(t, tab, "#counts", map[string]string{"New people": "3", "Rows rejected": "2"})
	wantRowErrors(t, tab, []string{
		"line 3: Email address: 'bob.mensah@' is not an email address",
		"line 5: Postcode: 'E8 XYZ' is not a UK postcode",
	})
	wantFits(t, tab)
	tab.Screenshot("import-errors-" + screen + "-" + engineName(dbURL) + ".png")
	if id, _ := n.App.People.Match(ctx, "ada.okafor@example.org", ""); id != "" {
		t.Fatalf("the dry run saved Ada Okafor (%s)", id)
	}

	// 4. Back to the columns: the browser restores the page from its
	// back/forward cache as it was left, its button disabled by app.js on
	// submit and its live announcements closed. app.js must open both again,
	// and the columns can be saved once more.
	tab.Back()
	wantPath(t, tab, "/imports/"+bad)
	if nav := browsertest.Eval[string](tab, `performance.getEntriesByType("navigation")[0].type`); nav != "navigate" {
		t.Fatalf("Back loaded the columns page again (%s) instead of restoring it from the back/forward cache, "+
			"so this step checks nothing", nav)
	}
	wantAnnouncement(t, n, tab, "Phone bank tonight at 7pm")
	wantButtonReady(t, tab, "Save and check the file")
	wantStatus(t, "save the columns after Back", tab.PressText("main", "Save and check the file"), http.StatusOK)
	wantPath(t, tab, "/imports/"+bad+"/preview")
	wantRowErrors(t, tab, []string{
		"line 3: Email address: 'bob.mensah@' is not an email address",
		"line 5: Postcode: 'E8 XYZ' is not a UK postcode",
	})

	// 5. Fix the file and upload it again from the preview: the wizard
	// keeps the group and tags of the first upload.
	writeCSV(t, fixedPath, importFixedCSV)
	wantStatus(t, "upload a corrected file", tab.ClickText("main", "Upload a corrected file"), http.StatusOK)
	wantPath(t, tab, "/people/import")
	wantValue(t, tab, "corrected file", "#f-group_id", g.ID)
	wantValue(t, tab, "corrected file", "#f-tags", "Hackney petition")
	tab.UploadFile("#f-file", fixedPath)
	fixed := uploadAndCheckColumns(t, tab, "hackney-members-fixed.csv", bad)

	// 6. Its dry run has no errors.
	wantStatus(t, "save the columns again", clickSubmit(t, tab, "Save and check the file"), http.StatusOK)
	wantPath(t, tab, "/imports/"+fixed+"/preview")
	wantFacts(t, tab, "#counts", map[string]string{"New people": "5", "Rows rejected": "0"})
	wantRowErrors(t, tab, nil)
	if text := tab.Text("main"); strings.Contains(text, "would be rejected") {
		t.Errorf("the preview of the fixed file still speaks of rejected rows:\n%s", text)
	}

	// 7. Import, and follow the run until it is done.
	wantStatus(t, "import", clickSubmit(t, tab, "Import"), http.StatusOK)
	run := strings.TrimPrefix(tab.Path(), "/imports/")
	if run == fixed || run == bad || strings.Contains(run, "/") {
		t.Fatalf("after Import the browser is at %s, want a run's page", tab.Path())
	}
	wantText(t, tab, "main h1", "Importing hackney-members-fixed.csv")
	waitForStatus(t, tab, n.URL+"/imports/"+run, "Done", 60*time.Second)
	wantFacts(t, tab, "#counts", map[string]string{"Status": "done", "New people": "5",
		"People updated": "0", "Rows rejected": "0"})
	wantContains(t, tab, "#progress", "5 of 5")
	wantRowErrors(t, tab, nil)
	wantFits(t, tab)
	for _, p := range tab.Screenshot("import-done-" + screen + "-" + engineName(dbURL) + ".png") {
		t.Logf("screenshot: %s", p)
	}

	// The run is on the group's list of imports, reached from its page.
	wantStatus(t, "all imports", tab.ClickText("main", "All imports"), http.StatusOK)
	wantPath(t, tab, "/people/imports")
	wantContains(t, tab, "main table", "hackney-members-fixed.csv")
	wantFits(t, tab)

	// 8. The five are in the group, tagged, and on the organiser's list.
	count, err := n.App.People.Count(ctx, people.Filter{GroupID: g.ID, Tags: []string{"Hackney petition"}})
	if err != nil || count != len(importPeople) {
		t.Errorf("people of the group with the tag: %d (%v), want %d", count, err, len(importPeople))
	}
	for _, p := range importPeople {
		if id, err := n.App.People.Match(ctx, p[1], ""); err != nil || id == "" {
			t.Errorf("%s (%s) was not imported: %q, %v", p[0], p[1], id, err)
		}
	}
	wantStatus(t, "the group's people", tab.Navigate(n.URL+"/people?group="+g.ID), http.StatusOK)
	wantText(t, tab, "#results", "6 people match") // the five and the organiser
	list := tab.Text("main table")
	for _, p := range importPeople {
		if !strings.Contains(list, p[0]) {
			t.Errorf("the group's people list lacks %s:\n%s", p[0], list)
		}
	}
	wantFits(t, tab)
	wantCleanConsole(t, tab)
}

func writeCSV(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// uploadAndCheckColumns submits the upload form and checks the columns
// page it leads to: the detected mapping of the file's five columns. It
// returns the draft's id, which must differ from other.
func uploadAndCheckColumns(t *testing.T, tab *browsertest.Tab, file, other string) string {
	t.Helper()
	wantStatus(t, "upload "+file, clickSubmit(t, tab, "Upload and check the columns"), http.StatusOK)
	id, ok := strings.CutPrefix(tab.Path(), "/imports/")
	if !ok || strings.Contains(id, "/") || id == other {
		t.Fatalf("after uploading %s the browser is at %s, want a new draft's columns", file, tab.Path())
	}
	wantText(t, tab, "main h1", "Which column holds what?")
	wantContains(t, tab, ".flash", "Uploaded "+file)
	for i, want := range []string{"given_name", "family_name", "email", "postcode", "phone"} {
		wantValue(t, tab, "detected columns of "+file, "#col-"+string(rune('0'+i)), want)
	}
	wantFits(t, tab)
	return id
}

// clickSubmit presses the button of main whose text is text, once it has
// checked that the button can be pressed.
func clickSubmit(t *testing.T, tab *browsertest.Tab, text string) int {
	t.Helper()
	wantButtonReady(t, tab, text)
	return tab.ClickText("main", text)
}

// wantButtonReady checks that the button of main whose text is text can be
// pressed: a disabled button does nothing, and the test would only time out
// waiting for a page.
func wantButtonReady(t *testing.T, tab *browsertest.Tab, text string) {
	t.Helper()
	state := browsertest.Eval[string](tab, `(() => {
		const b = [...document.querySelectorAll("main button")].find(b => b.textContent.trim() === `+strconv.Quote(text)+`);
		return !b ? "missing" : b.disabled ? "disabled" : "ready";
	})()`)
	if state != "ready" {
		t.Fatalf("the %q button on %s is %s", text, tab.Path(), state)
	}
}

// wantFacts checks terms of the definition list sel.
func wantFacts(t *testing.T, tab *browsertest.Tab, sel string, want map[string]string) {
	t.Helper()
	got := browsertest.Eval[map[string]string](tab, `(() => {
		const out = {};
		for (const dt of document.querySelectorAll(`+strconv.Quote(sel+" dt")+`)) {
			const dd = dt.nextElementSibling;
			out[dt.textContent.trim()] = dd ? dd.textContent.trim() : "";
		}
		return out;
	})()`)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s on %s: %q is %q, want %q (all: %v)", sel, tab.Path(), k, got[k], v, got)
		}
	}
}

// wantRowErrors checks the rejected rows the page lists, in order.
func wantRowErrors(t *testing.T, tab *browsertest.Tab, want []string) {
	t.Helper()
	got := browsertest.Eval[[]string](tab, `[...document.querySelectorAll(".row-errors li")].map(li => li.textContent.trim().replace(/\s+/g, " "))`)
	if !slices.Equal(got, want) {
		t.Fatalf("rejected rows on %s:\n got %q\nwant %q", tab.Path(), got, want)
	}
}

// wantAnnouncement publishes an admin announcement until the page shows it
// in its live announcement line: the page is listening.
func wantAnnouncement(t *testing.T, n *apptest.Node, tab *browsertest.Tab, msg string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Published again each time: a page still connecting misses it.
		if err := n.App.Live.Publish(context.Background(), live.Event{Topic: site.TopicAnnouncements, Data: msg}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		got := browsertest.Eval[string](tab, `(() => { const a = document.querySelector(".announcement"); return a && !a.hidden ? a.textContent : ""; })()`)
		if got == msg {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not show the live announcement %q (it shows %q): the page is not listening", tab.Path(), msg, got)
		}
	}
}

// waitForStatus reloads the run's page until its status heading says want.
// The page refreshes itself every two seconds while the run is going; each
// reload here starts that over, so the page is never read mid-refresh.
func waitForStatus(t *testing.T, tab *browsertest.Tab, url, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := strings.TrimSpace(tab.Text("#status"))
		if got == want {
			return
		}
		if got == "The import failed" || time.Now().After(deadline) {
			t.Fatalf("the run's page says %q, want %q", got, want)
		}
		time.Sleep(200 * time.Millisecond)
		wantStatus(t, "the run's page", tab.Navigate(url), http.StatusOK)
	}
}
