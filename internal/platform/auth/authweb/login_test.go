package authweb_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth/authweb"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestLoginNext(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.mustSignUp(t, "Ann Organiser", "ann@example.org", "correct horse battery")
	login := url.Values{"email": {"ann@example.org"}, "password": {"correct horse battery"}}
	with := func(next string) url.Values {
		v := url.Values{"next": {next}}
		for k, vs := range login {
			v[k] = vs
		}
		return v
	}
	for _, s := range []scenario{
		{Name: "FormKeepsNext", Method: "GET", URL: "/login?next=%2Faccount", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`name="next" value="/account"`, `<label for="f-email">`, `<label for="f-link_email">`}},
		{Name: "FormDropsForeignNext", Method: "GET", URL: "/login?next=%2F%2Fevil.example", ExpectedStatus: http.StatusOK,
			NotExpectedContent: []string{`name="next"`}},
		{Name: "WrongPassword", Method: "POST", URL: "/login",
			Form:           url.Values{"email": {"ann@example.org"}, "password": {"wrong password"}},
			ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{"That email and password don&#39;t match an account.", `value="ann@example.org"`,
				`role="alert"`},
			NotExpectedContent: []string{"wrong password"}},
		{Name: "Next", Method: "POST", URL: "/login", Form: with("/account"),
			ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account"},
		{Name: "ForeignNext", Method: "POST", URL: "/login", Form: with("//evil.example/"),
			ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/dashboard"},
		{Name: "SignedInLoginPageGoesOn", Method: "GET", URL: "/login?next=%2Faccount",
			ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account"},
	} {
		t.Run(s.Name, func(t *testing.T) { e.run(t, s) })
	}
}

// TestLoginRotatesSession: a login always starts a new session, and the one
// the browser held before stops working.
func TestLoginRotatesSession(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.mustSignUp(t, "Ann Organiser", "ann@example.org", "correct horse battery")

	e.mustLogIn(t, "ann@example.org", "correct horse battery")
	before := e.sessionCookie(e.client)
	if before == "" {
		t.Fatal("no session cookie after the first login")
	}
	e.mustLogIn(t, "ann@example.org", "correct horse battery")
	after := e.sessionCookie(e.client)
	if after == "" || after == before {
		t.Fatalf("session cookie not replaced at login: before %q, after %q", before, after)
	}
	if _, _, err := e.svc.Authenticate(context.Background(), before); !errs.Is(err, errs.Unauthorized) {
		t.Errorf("old session still authenticates: err = %v", err)
	}
	e.run(t, scenario{Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Hello Ann Organiser"}})
}

func TestLoginLink(t *testing.T) {
	e := newEnv(t, envOptions{})
	const email = "ann@example.org"
	e.mustSignUp(t, "Ann Organiser", email, "correct horse battery")
	mailsBefore := e.mail.count()

	e.run(t, scenario{Method: "POST", URL: "/login/link", Form: url.Values{"link_email": {"nobody@example.org"}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/login/sent"})
	if n := e.mail.count(); n != mailsBefore {
		t.Fatalf("a link was mailed for an address with no account")
	}
	e.run(t, scenario{Method: "POST", URL: "/login/link", Form: url.Values{"link_email": {"not an address"}},
		ExpectedStatus:  http.StatusUnprocessableEntity,
		ExpectedContent: []string{`aria-describedby="f-link_email-error"`, "Enter an email address", `value="not an address"`}})
	e.run(t, scenario{Method: "POST", URL: "/login/link", Form: url.Values{"link_email": {email}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/login/sent"})
	e.run(t, scenario{Method: "GET", URL: "/login/sent", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"If an account exists for that address"}})
	link := e.mail.link(t, email, "/login/link/")

	t.Run("GetDoesNotLogIn", func(t *testing.T) {
		e.run(t, scenario{Method: "GET", URL: link, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`<form method="post" action="` + link + `">`, "Log me in"}})
		if c := e.sessionCookie(e.client); c != "" {
			t.Fatalf("GET of a login link set a session cookie")
		}
		e.run(t, scenario{Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusSeeOther,
			ExpectedLocation: "/login?next=%2Fdashboard"})
	})
	t.Run("PostLogsIn", func(t *testing.T) {
		e.run(t, scenario{Method: "POST", URL: link, ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/dashboard"})
		e.run(t, scenario{Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"Hello Ann Organiser"}})
	})
	t.Run("UsedTwice", func(t *testing.T) {
		other := e.newClient(t)
		res := e.do(t, other, "POST", link, url.Values{}, nil)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("second use: status %d, want 422", res.Status)
		}
		mustContain(t, res.Body, "This link has expired or has already been used.", `href="/login"`)
		if c := e.sessionCookie(other); c != "" {
			t.Errorf("second use of a link set a session cookie")
		}
	})
	t.Run("Expired", func(t *testing.T) {
		e.run(t, scenario{Method: "POST", URL: "/login/link", Form: url.Values{"link_email": {email}},
			ExpectedStatus: http.StatusSeeOther})
		fresh := e.mail.link(t, email, "/login/link/")
		if fresh == link {
			t.Fatal("the same link was mailed twice")
		}
		e.clock.Advance(21 * time.Minute)
		other := e.newClient(t)
		res := e.do(t, other, "POST", fresh, url.Values{}, nil)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("expired link: status %d, want 422", res.Status)
		}
		mustContain(t, res.Body, "This link has expired or has already been used.")
		if c := e.sessionCookie(other); c != "" {
			t.Errorf("an expired link set a session cookie")
		}
	})
}

func TestLoginThrottled(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.mustSignUp(t, "Ann Organiser", "ann@example.org", "correct horse battery")
	wrong := url.Values{"email": {"ann@example.org"}, "password": {"not my password"}}
	for i := range 5 {
		res := e.do(t, e.client, "POST", "/login", wrong, nil)
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d, want 422", i+1, res.Status)
		}
	}
	e.run(t, scenario{Method: "POST", URL: "/login", Form: wrong,
		ExpectedStatus:     http.StatusTooManyRequests,
		ExpectedContent:    []string{"Too many attempts. Please try again in", `value="ann@example.org"`, `action="/login"`},
		NotExpectedContent: []string{"not my password"}})
	// Even the right password waits out the window.
	e.run(t, scenario{Method: "POST", URL: "/login",
		Form:           url.Values{"email": {"ann@example.org"}, "password": {"correct horse battery"}},
		ExpectedStatus: http.StatusTooManyRequests, ExpectedContent: []string{"Too many attempts."}})
}

// TestLoginSetsDeviceCookie: a successful log-in marks the browser with a
// long-lived, script-proof device cookie that is not the session, and keeps
// the same one at the next log-in.
func TestLoginSetsDeviceCookie(t *testing.T) {
	e := newEnv(t, envOptions{secureCookies: true})
	e.mustSignUp(t, "Ann Organiser", "ann@example.org", "correct horse battery")
	good := url.Values{"email": {"ann@example.org"}, "password": {"correct horse battery"}}
	device := func(res response) *http.Cookie {
		for _, c := range res.Header.Values("Set-Cookie") {
			if ck, err := http.ParseSetCookie(c); err == nil && ck.Name == authweb.DeviceCookie {
				return ck
			}
		}
		return nil
	}
	if c := device(e.do(t, e.client, "POST", "/login", url.Values{"email": {"ann@example.org"}, "password": {"wrong"}}, nil)); c != nil {
		t.Fatal("a failed log-in set a device cookie")
	}
	first := device(e.do(t, e.client, "POST", "/login", good, nil))
	if first == nil || first.Value == "" || !first.HttpOnly || !first.Secure || first.SameSite != http.SameSiteLaxMode ||
		first.Path != "/" || first.MaxAge < 300*24*3600 {
		t.Fatalf("device cookie = %+v; want HttpOnly, Secure, SameSite=Lax, path /, kept for about a year", first)
	}
	if first.Value == e.sessionCookie(e.client) {
		t.Fatal("the device cookie is the session")
	}
	// The jar drops Secure cookies over plain HTTP; send it by hand.
	res := e.do(t, e.newClient(t), "POST", "/login", good, http.Header{"Cookie": {authweb.DeviceCookie + "=" + first.Value}})
	if again := device(res); again == nil || again.Value != first.Value {
		t.Fatalf("a known browser got a new device cookie: %+v", again)
	}
}
