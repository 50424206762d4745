package authweb_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

var secretRE = regexp.MustCompile(`<code id="totp-secret">([A-Z2-7]+)</code>`)

// code returns the TOTP code for secret at the env's clock; wrong returns
// one that is not (the right one with its first digit changed).
func (e *env) code(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wrong(code string) string {
	return string('0'+(code[0]-'0'+1)%10) + code[1:]
}

func TestTOTPEnrolAndLogin(t *testing.T) {
	e := newEnv(t, envOptions{})
	const email, pw = "ann@example.org", "correct horse battery"
	e.mustSignUp(t, "Ann Organiser", email, pw)
	e.mustLogIn(t, email, pw)

	e.run(t, scenario{Method: "GET", URL: "/account/totp", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Two-step login is <strong>off</strong>", `action="/account/totp/begin"`}})
	res := e.run(t, scenario{Method: "POST", URL: "/account/totp/begin", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"otpauth://totp/", `<label for="f-code">`, `action="/account/totp"`}})
	m := secretRE.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no secret shown on the set-up page:\n%s", res.Body)
	}
	secret := m[1]
	hidden := func(code string) url.Values {
		return url.Values{"code": {code}, "secret": {secret}, "otpauth": {"otpauth://totp/x"}}
	}

	e.run(t, scenario{Method: "POST", URL: "/account/totp", Form: hidden(wrong(e.code(t, secret))),
		ExpectedStatus:  http.StatusUnprocessableEntity,
		ExpectedContent: []string{"That code is not right.", `aria-describedby="f-code-error"`, secret}})
	e.run(t, scenario{Method: "POST", URL: "/account/totp", Form: hidden(e.code(t, secret)),
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account"})
	e.run(t, scenario{Method: "GET", URL: "/account", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Two-step login is on.", "Manage two-step login"}})

	e.run(t, scenario{Method: "POST", URL: "/logout", ExpectedStatus: http.StatusSeeOther})
	e.clock.Advance(30 * time.Second) // a code is accepted once: wait for the next one

	e.run(t, scenario{Method: "POST", URL: "/login",
		Form:           url.Values{"email": {email}, "password": {pw}, "next": {"/account"}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/login/totp?next=%2Faccount"})
	if c := e.sessionCookie(e.client); c != "" {
		t.Fatal("a session cookie was set before the TOTP code")
	}
	e.run(t, scenario{Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusSeeOther,
		ExpectedLocation: "/login?next=%2Fdashboard"})
	e.run(t, scenario{Method: "GET", URL: "/login/totp?next=%2Faccount", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{`<label for="f-code">6-digit code</label>`, `name="next" value="/account"`}})
	e.run(t, scenario{Method: "POST", URL: "/login/totp",
		Form:            url.Values{"code": {wrong(e.code(t, secret))}, "next": {"/account"}},
		ExpectedStatus:  http.StatusUnprocessableEntity,
		ExpectedContent: []string{"That code is not right.", `aria-describedby="f-code-error"`}})
	e.run(t, scenario{Method: "POST", URL: "/login/totp",
		Form:           url.Values{"code": {e.code(t, secret)}, "next": {"/account"}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account"})
	e.run(t, scenario{Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Hello Ann Organiser"}})

	t.Run("PendingCookieGone", func(t *testing.T) {
		e.run(t, scenario{Method: "GET", URL: "/login/totp", ExpectedStatus: http.StatusSeeOther,
			ExpectedLocation: "/login"})
	})
	t.Run("Disable", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		e.run(t, scenario{Method: "POST", URL: "/account/totp/disable", Form: url.Values{"code": {"12"}},
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{"That code is not right."}})
		e.run(t, scenario{Method: "POST", URL: "/account/totp/disable", Form: url.Values{"code": {e.code(t, secret)}},
			ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account"})
		e.run(t, scenario{Method: "GET", URL: "/account", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"Two-step login is off.", "Set up two-step login"}})
	})
}

// TestMustEnrolTOTP: when admins must use TOTP, an admin without it can
// reach nothing but the set-up pages (and log out).
func TestMustEnrolTOTP(t *testing.T) {
	e := newEnv(t, envOptions{requireAdminTOTP: true})
	const email, pw = "root@example.org", "correct horse battery"
	if _, err := e.svc.CreateAdmin(auth.WithSystem(context.Background()), email, pw, "Rosa Admin"); err != nil {
		t.Fatal(err)
	}
	e.mustLogIn(t, email, pw)
	for _, s := range []scenario{
		{Name: "Dashboard", Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account/totp"},
		{Name: "Account", Method: "GET", URL: "/account", ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account/totp"},
		{Name: "PostElsewhere", Method: "POST", URL: "/account/password", ExpectedStatus: http.StatusForbidden,
			ExpectedContent: []string{"must use two-step login. Please set it up"}},
		{Name: "SetUpPage", Method: "GET", URL: "/account/totp", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`<p class="flash flash--info">Administrators of this site must use two-step login.`,
				`action="/account/totp/begin"`}},
	} {
		t.Run(s.Name, func(t *testing.T) { e.run(t, s) })
	}
	res := e.run(t, scenario{Method: "POST", URL: "/account/totp/begin", ExpectedStatus: http.StatusOK})
	m := secretRE.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no secret shown:\n%s", res.Body)
	}
	e.run(t, scenario{Method: "POST", URL: "/account/totp", Form: url.Values{"code": {e.code(t, m[1])}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account"})
	e.run(t, scenario{Method: "GET", URL: "/dashboard", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Hello Rosa Admin"}})
}
