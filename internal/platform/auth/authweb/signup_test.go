package authweb_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSignupErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.mustSignUp(t, "Bea Taken", "bea@example.org", "a long enough password")

	form := func(name, email, password string) url.Values {
		return url.Values{"name": {name}, "email": {email}, "password": {password}}
	}
	for _, s := range []scenario{
		{
			Name: "InvalidEmail", Method: "POST", URL: "/signup",
			Form:           form("Ann Organiser", "ann@nowhere", "correct horse battery"),
			ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{
				`id="f-email-error"`, `aria-describedby="f-email-error"`,
				"Enter an email address like name@example.org",
				`value="Ann Organiser"`, `value="ann@nowhere"`,
			},
			NotExpectedContent: []string{"correct horse battery", `aria-describedby="f-name-error"`},
		},
		{
			Name: "ShortPassword", Method: "POST", URL: "/signup",
			Form:           form("Ann Organiser", "ann@example.org", "short"),
			ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{
				`id="f-password-error"`, `aria-describedby="f-password-hint f-password-error"`,
				"Use at least 10 characters for your password.",
				`value="Ann Organiser"`, `value="ann@example.org"`,
			},
			NotExpectedContent: []string{`value="short"`, `id="f-email-error"`},
		},
		{
			Name: "TakenEmail", Method: "POST", URL: "/signup",
			Form:           form("Ann Organiser", "Bea@Example.org", "correct horse battery"),
			ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{
				`aria-describedby="f-email-error"`,
				"An account with this email already exists.",
				`value="Bea@Example.org"`,
			},
			NotExpectedContent: []string{"correct horse battery"},
		},
		{
			Name: "EverythingMissing", Method: "POST", URL: "/signup",
			ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{
				`aria-describedby="f-name-error"`, "Enter your name.",
				`aria-describedby="f-email-error"`, `id="f-password-error"`,
			},
		},
		{
			Name: "FormIsLabelled", Method: "GET", URL: "/signup",
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`<label for="f-name">Your name</label>`, `<label for="f-email">Email address</label>`,
				`<label for="f-password">Password</label>`, `action="/signup"`,
			},
			NotExpectedContent: []string{"aria-invalid"},
		},
	} {
		t.Run(s.Name, func(t *testing.T) {
			e.run(t, s)
		})
	}
	if n := e.mail.count(); n != 1 {
		t.Errorf("%d mails sent, want 1 (only the fixture's verification)", n)
	}
}

// TestSignupVerifyLoginLogout walks the path a new supporter takes.
func TestSignupVerifyLoginLogout(t *testing.T) {
	e := newEnv(t, envOptions{})
	const email, pw = "ann@example.org", "correct horse battery"

	e.run(t, scenario{Method: "POST", URL: "/signup",
		Form:           url.Values{"name": {"Ann Organiser"}, "email": {email}, "password": {pw}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/signup/sent"})
	e.run(t, scenario{Method: "GET", URL: "/signup/sent", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Check your inbox"}})

	link := e.mail.link(t, email, "/verify/")
	// Opening the link (or a mail scanner fetching it) only shows a button.
	e.run(t, scenario{Method: "GET", URL: link, ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{`action="` + link + `"`, "Confirm my email address"}})
	if e.verified(t, email) {
		t.Fatal("GET of the verification link confirmed the address")
	}
	// Pressing the button confirms and signs in (issue 16), with the first
	// greeting.
	res := e.run(t, scenario{Method: "POST", URL: link, ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/dashboard"})
	if !e.verified(t, email) {
		t.Fatal("POST of the verification link did not confirm the address")
	}
	if got := flashOf(t, res); got != "Welcome, Ann Organiser." {
		t.Errorf("flash after confirming = %q, want the first greeting", got)
	}
	e.run(t, scenario{Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Hello Ann Organiser"}})

	// The link is spent: neither this browser nor another is signed in by it.
	other := e.newClient(t)
	for who, c := range map[string]*http.Client{"same browser": e.client, "other browser": other} {
		res := e.do(t, c, "POST", link, url.Values{}, nil)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "This link has expired or has already been used.") ||
			strings.Contains(res.Body, "Confirm my email address</button>") {
			t.Errorf("%s: reused link answered %d:\n%s", who, res.Status, res.Body)
		}
	}
	if c := e.sessionCookie(other); c != "" {
		t.Errorf("a reused link gave another browser a session")
	}
	if res := e.do(t, other, "GET", "/dashboard", nil, nil); res.Status != http.StatusSeeOther {
		t.Errorf("other browser's dashboard after a reused link: %d, want a redirect to log in", res.Status)
	}

	// Log out and in again: now the returning greeting.
	e.run(t, scenario{Method: "POST", URL: "/logout", ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/"})
	res = e.run(t, scenario{Method: "POST", URL: "/login", Form: url.Values{"email": {email}, "password": {pw}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/dashboard"})
	if got := flashOf(t, res); got != "Welcome back, Ann Organiser." {
		t.Errorf("flash at the second log-in = %q, want the returning greeting", got)
	}
	e.run(t, scenario{Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Hello Ann Organiser"}})
	e.run(t, scenario{Method: "GET", URL: "/account", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"ann@example.org", "Confirmed", `action="/logout"`}})

	e.run(t, scenario{Method: "POST", URL: "/logout", ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/"})
	if c := e.sessionCookie(e.client); c != "" {
		t.Errorf("session cookie still set after logout: %q", c)
	}
	e.run(t, scenario{Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusSeeOther,
		ExpectedLocation: "/login?next=%2Fdashboard"})
	e.run(t, scenario{Method: "GET", URL: "/account", ExpectedStatus: http.StatusSeeOther,
		ExpectedLocation: "/login?next=%2Faccount"})
}

// flashOf is the message of the flash cookie a response sets, "" for none.
func flashOf(t *testing.T, res response) string {
	t.Helper()
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name != "momentum_flash" || c.Value == "" {
			continue
		}
		b, err := base64.RawURLEncoding.DecodeString(c.Value)
		if err != nil {
			t.Fatalf("flash cookie %q: %v", c.Value, err)
		}
		_, msg, _ := strings.Cut(string(b), "\n")
		return msg
	}
	return ""
}
