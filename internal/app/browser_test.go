package app_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// screens are the two sizes every browser test runs at.
var screens = []struct {
	name string
	opts browsertest.Options
}{
	{"desktop", browsertest.Options{Width: 1280, Height: 800}},
	{"phone", browsertest.Options{Width: 390, Height: 844, Mobile: true}},
}

// TestBrowserNewcomerJourney walks a newcomer through the account pages in
// a real browser, with mail through a real SMTP server: sign up, confirm the
// address from the mail and so be signed in ("Welcome, …"), see the spent
// link refused in a second browser, log out, log in with the password
// ("Welcome back, …"), log out, log in again with a link from a second mail.
func TestBrowserNewcomerJourney(t *testing.T) {
	for _, screen := range screens {
		t.Run(screen.name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, dbURL string) {
				newcomerJourney(t, dbURL, screen.name, screen.opts)
			})
		})
	}
}

func newcomerJourney(t *testing.T, dbURL, screen string, opts browsertest.Options) {
	tab := browsertest.Start(t, opts) // first: it skips when there is no browser
	mp := mailtest.Start(t)
	n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: mp.SMTPURL})
	const (
		name     = "Rosa Newcomer-Okonkwo"
		password = "a long walk to the polling station"
	)
	// A long address with no hyphen to break at, as many are: it must wrap on
	// a phone, not widen the page.
	email := "rosa.okonkwo." + screen + "@hackneymomentum.example.org"

	// 1. From the home page to "check your inbox".
	wantStatus(t, "home page", tab.Navigate(n.URL+"/"), http.StatusOK)
	wantFits(t, tab)
	wantNav(t, tab, true)
	tab.ClickText("main", "Join us")
	wantPath(t, tab, "/signup")
	wantFits(t, tab)
	tab.Fill("#f-name", name)
	tab.Fill("#f-email", email)
	tab.Fill("#f-password", password)
	wantStatus(t, "sign up", tab.ClickText("main", "Sign up"), http.StatusOK)
	wantPath(t, tab, "/signup/sent")
	wantText(t, tab, "main h1", "Check your inbox")
	wantFits(t, tab)

	// 2. The link in the mail shows a button; pressing it confirms.
	verifyMail := mp.WaitFor(t, email, 15*time.Second)
	if verifyMail.Subject != "Confirm your email address" {
		t.Errorf("first mail's subject = %q, want the verification mail", verifyMail.Subject)
	}
	wantStatus(t, "verification link", tab.Navigate(mailtest.FindLink(t, verifyMail.Text, n.URL+"/verify/")), http.StatusOK)
	wantText(t, tab, "main h1", "Confirm your email address")
	wantStatus(t, "confirm", tab.ClickText("main", "Confirm my email address"), http.StatusOK)
	// issue 16: confirming signs the newcomer in, with the first greeting.
	wantPath(t, tab, "/dashboard")
	wantContains(t, tab, ".flash", "Welcome, "+name+".")
	if flash := tab.Text(".flash"); strings.Contains(flash, "Welcome back") {
		t.Errorf("a newcomer is welcomed back: %q", flash)
	}
	wantText(t, tab, "main h1", "Hello, "+name)
	wantFits(t, tab)

	// The link is spent: in another browser it signs nobody in.
	other := browsertest.Start(t, opts)
	wantStatus(t, "reused link", other.Navigate(mailtest.FindLink(t, verifyMail.Text, n.URL+"/verify/")), http.StatusOK)
	wantStatus(t, "confirm again", other.ClickText("main", "Confirm my email address"), http.StatusUnprocessableEntity)
	wantContains(t, other, "main", "This link has expired or has already been used.")
	other.Navigate(n.URL + "/dashboard")
	wantPath(t, other, "/login")

	// 3. Log out, log in with the password: the returning greeting.
	wantStatus(t, "log out first", tab.ClickText("header", "Log out"), http.StatusOK)
	wantPath(t, tab, "/")
	tab.Navigate(n.URL + "/login")
	tab.Fill("#f-email", email)
	tab.Fill("#f-password", password)
	wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
	wantPath(t, tab, "/dashboard")
	wantContains(t, tab, ".flash", "Welcome back, "+name+".")
	wantText(t, tab, "main h1", "Hello, "+name)
	if text := tab.Text("main"); strings.Contains(text, "Please confirm your email address") {
		t.Errorf("the dashboard still asks to confirm the address after it was confirmed:\n%s", text)
	}
	wantNav(t, tab, false)
	wantFits(t, tab)
	wantStatus(t, "log out", tab.ClickText("header", "Log out"), http.StatusOK)
	wantPath(t, tab, "/")
	wantContains(t, tab, ".flash", "You have logged out.")
	wantNav(t, tab, true)
	tab.Navigate(n.URL + "/dashboard")
	wantPath(t, tab, "/login") // the session is gone, not just the link to it

	// 4. Ask for a login link; the second mail's link logs in.
	tab.Navigate(n.URL + "/login")
	tab.Fill("#f-link_email", email)
	wantStatus(t, "email me a link", tab.ClickText("main", "Email me a link"), http.StatusOK)
	wantPath(t, tab, "/login/sent")
	wantText(t, tab, "main h1", "Check your inbox")
	wantStatus(t, "login link", tab.Navigate(waitForLink(t, mp, email, n.URL+"/login/link/", 15*time.Second)), http.StatusOK)
	wantText(t, tab, "main h1", "Log in")
	wantStatus(t, "log me in", tab.ClickText("main", "Log me in"), http.StatusOK)
	wantPath(t, tab, "/dashboard")
	wantText(t, tab, "main h1", "Hello, "+name)
	wantText(t, tab, ".facts dd", email)
	wantNav(t, tab, false)
	wantFits(t, tab)
	for _, p := range tab.Screenshot("dashboard-" + screen + "-" + engineName(dbURL) + ".png") {
		t.Logf("screenshot: %s", p)
	}
	wantCleanConsole(t, tab)
}

// TestBrowserSignupErrors submits the signup form wrongly three times and
// checks that each error is shown next to its field, read out with it
// (aria-describedby), and that what was typed is kept, except the password.
func TestBrowserSignupErrors(t *testing.T) {
	for _, screen := range screens {
		t.Run(screen.name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, dbURL string) {
				tab := browsertest.Start(t, screen.opts)
				n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
				// The first account is always an admin; any account takes the address.
				n.CreateUser(t, "taken@example.org", "a password nobody guesses", auth.RoleAdmin)
				tab.Navigate(n.URL + "/signup")

				steps := []struct {
					name, email, password string
					field, want           string
				}{
					{"InvalidEmail", "grace-at-example.org", "a long enough password", "email",
						"Enter an email address like name@example.org"},
					{"ShortPassword", "grace@example.org", "short", "password", "at least 10 characters"},
					{"TakenEmail", "Taken@Example.org", "a long enough password", "email",
						"An account with this email already exists"},
				}
				for _, s := range steps {
					// Each step edits the form the previous one left, as a person would.
					tab.Fill("#f-name", "Grace Hopper")
					tab.Fill("#f-email", s.email)
					tab.Fill("#f-password", s.password)
					wantStatus(t, s.name, tab.ClickText("main", "Sign up"), http.StatusUnprocessableEntity)
					wantPath(t, tab, "/signup")
					wantFieldError(t, tab, s.field, s.want)
					for _, other := range []string{"name", "email", "password"} {
						if other != s.field && tab.Attr("#f-"+other, "aria-invalid") != "" {
							t.Errorf("%s: field %s is marked invalid too", s.name, other)
						}
					}
					wantValue(t, tab, s.name, "#f-name", "Grace Hopper")
					wantValue(t, tab, s.name, "#f-email", s.email)
					wantValue(t, tab, s.name, "#f-password", "")
					wantFits(t, tab)
				}
				for _, p := range tab.Screenshot("signup-errors-" + screen.name + "-" + engineName(dbURL) + ".png") {
					t.Logf("screenshot: %s", p)
				}
				wantCleanConsole(t, tab)
			})
		})
	}
}

func engineName(dbURL string) string {
	if dbURL == "" {
		return "sqlite"
	}
	return "postgres"
}

// waitForLink returns the link starting with prefix from the newest mail to
// to that has one.
func waitForLink(t *testing.T, mp *mailtest.Mailpit, to, prefix string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, m := range mp.Messages(t) { // newest first
			if slices.ContainsFunc(m.To, func(a string) bool { return strings.EqualFold(a, to) }) &&
				strings.Contains(m.Text, prefix) {
				return mailtest.FindLink(t, m.Text, prefix)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail to %s with a link %s… within %s", to, prefix, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func wantStatus(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: HTTP status %d, want %d", what, got, want)
	}
}

func wantPath(t *testing.T, tab *browsertest.Tab, want string) {
	t.Helper()
	if got := tab.Path(); got != want {
		t.Fatalf("browser is at %s, want %s", got, want)
	}
}

func wantText(t *testing.T, tab *browsertest.Tab, sel, want string) {
	t.Helper()
	if got := strings.TrimSpace(tab.Text(sel)); got != want {
		t.Fatalf("%s says %q, want %q", sel, got, want)
	}
}

func wantContains(t *testing.T, tab *browsertest.Tab, sel, want string) {
	t.Helper()
	if got := tab.Text(sel); !strings.Contains(got, want) {
		t.Fatalf("%s says %q, want it to contain %q", sel, got, want)
	}
}

func wantValue(t *testing.T, tab *browsertest.Tab, step, sel, want string) {
	t.Helper()
	if got := tab.Value(sel); got != want {
		t.Errorf("%s: %s holds %q, want %q", step, sel, got, want)
	}
}

// wantNav checks the header for the links of an anonymous visitor or for the
// log-out button of someone logged in.
func wantNav(t *testing.T, tab *browsertest.Tab, anonymous bool) {
	t.Helper()
	nav := tab.Text("header nav")
	hasLogIn, hasLogOut := strings.Contains(nav, "Log in"), strings.Contains(nav, "Log out")
	if anonymous && (!hasLogIn || hasLogOut) || !anonymous && (hasLogIn || !hasLogOut) {
		t.Fatalf("header nav shows %q; want anonymous=%v", nav, anonymous)
	}
}

// wantFieldError checks that the field's error is in the element its input
// names in aria-describedby, inside the field's own box, and that the input
// is marked invalid.
func wantFieldError(t *testing.T, tab *browsertest.Tab, field, want string) {
	t.Helper()
	input := "#f-" + field
	if got := tab.Attr(input, "aria-invalid"); got != "true" {
		t.Errorf("%s: aria-invalid=%q, want true", input, got)
	}
	ids := strings.Fields(tab.Attr(input, "aria-describedby"))
	errID := "f-" + field + "-error"
	if !slices.Contains(ids, errID) {
		t.Fatalf("%s: aria-describedby=%q does not name the error %s", input, ids, errID)
	}
	if got := tab.Text("#" + errID); !strings.Contains(got, want) {
		t.Errorf("%s: error says %q, want it to contain %q", input, got, want)
	}
	next := browsertest.Eval[bool](tab, `(() => {
		const input = document.querySelector(`+strconv.Quote(input)+`);
		const err = document.getElementById(`+strconv.Quote(errID)+`);
		return !!(input && err && input.closest(".field") === err.closest(".field"));
	})()`)
	if !next {
		t.Errorf("%s: the error #%s is not in the same field box as the input", input, errID)
	}
}

// wantFits checks that the page does not scroll sideways, and names the
// elements that stick out when it does.
func wantFits(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	type fit struct {
		ScrollWidth int64    `json:"scrollWidth"`
		InnerWidth  int64    `json:"innerWidth"`
		Wide        []string `json:"wide"`
	}
	f := browsertest.Eval[fit](tab, `((limit) => {
		const wide = [];
		for (const el of document.querySelectorAll("body *")) {
			const r = el.getBoundingClientRect();
			if (r.width > 0 && r.right > limit + 0.5) {
				wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
					(typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "") +
					" (right edge at " + r.right.toFixed(1) + "px)");
			}
		}
		return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide: wide.slice(0, 8)};
	})(`+strconv.FormatInt(tab.Width(), 10)+`)`)
	// A phone browser widens its layout viewport to fit a wide page, so the
	// screen's own width is the limit too.
	if f.ScrollWidth > f.InnerWidth || f.InnerWidth > tab.Width() {
		t.Errorf("%s scrolls sideways at %dpx: scrollWidth %d, innerWidth %d; too wide: %s",
			tab.Path(), tab.Width(), f.ScrollWidth, f.InnerWidth, strings.Join(f.Wide, ", "))
	}
}

// wantCleanConsole fails on uncaught exceptions and on what the browser
// itself reports as errors (a script or style blocked by the
// Content-Security-Policy, a missing asset). A 422 answer to a form is the
// app's way to say "try again", so the browser's note about it is fine, and
// so is the browser's own guess at /favicon.ico: the site has no icon.
func wantCleanConsole(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	for _, m := range tab.Console() {
		expected := strings.Contains(m.Text, "status of 422") || strings.HasSuffix(m.URL, "/favicon.ico")
		if m.IsException() || m.Type == "error" && !expected {
			t.Errorf("browser console: %s (%s)", m, m.URL)
		}
	}
}
