package authweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/auth/authweb"
)

// setCookie returns the Set-Cookie line for name in h, or "".
func setCookie(h http.Header, name string) string {
	for _, line := range h.Values("Set-Cookie") {
		if strings.HasPrefix(line, name+"=") {
			return line
		}
	}
	return ""
}

func TestSessionCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		Name   string
		Secure bool
	}{
		{"HTTP", false},
		{"HTTPS", true},
	} {
		t.Run(tc.Name, func(t *testing.T) {
			e := newEnv(t, envOptions{secureCookies: tc.Secure})
			e.mustSignUp(t, "Ann Organiser", "ann@example.org", "correct horse battery")
			res := e.do(t, e.newClient(t), "POST", "/login",
				url.Values{"email": {"ann@example.org"}, "password": {"correct horse battery"}}, nil)
			if res.Status != http.StatusSeeOther {
				t.Fatalf("login: status %d", res.Status)
			}
			line := setCookie(res.Header, authweb.SessionCookie)
			if line == "" {
				t.Fatalf("no session cookie set: %v", res.Header.Values("Set-Cookie"))
			}
			for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/;", "Max-Age="} {
				if !strings.Contains(line+";", want) {
					t.Errorf("session cookie %q lacks %s", line, want)
				}
			}
			if got := strings.Contains(line, "Secure"); got != tc.Secure {
				t.Errorf("session cookie %q: Secure = %v, want %v", line, got, tc.Secure)
			}
		})
	}
}

func TestStaleCookieCleared(t *testing.T) {
	e := newEnv(t, envOptions{})
	res := e.do(t, e.client, "GET", "/api/whoami", nil, http.Header{"Cookie": {authweb.SessionCookie + "=forged"}})
	if res.Status != http.StatusOK || res.Body != "anonymous" {
		t.Errorf("stale cookie: status %d body %q, want 200 anonymous", res.Status, res.Body)
	}
	line := setCookie(res.Header, authweb.SessionCookie)
	if !strings.Contains(line, "Max-Age=0") {
		t.Errorf("stale cookie not cleared: Set-Cookie %q", line)
	}
}

func TestAPIToken(t *testing.T) {
	e := newEnv(t, envOptions{})
	plain, _, err := e.svc.CreateAPIToken(auth.WithSystem(context.Background()), "hub sync")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		Name           string
		Header         http.Header
		ExpectedStatus int
		ExpectedBody   string
	}{
		{"OSDIHeader", http.Header{"Osdi-Api-Token": {plain}}, http.StatusOK, "token:hub sync token=true viewer=false"},
		{"Bearer", http.Header{"Authorization": {"Bearer " + plain}}, http.StatusOK, "token:hub sync token=true viewer=false"},
		{"NoToken", nil, http.StatusOK, "anonymous"},
		{"BadToken", http.Header{"Osdi-Api-Token": {"mtm_nope"}}, http.StatusUnauthorized, `"code":"unauthorized"`},
		{"BasicAuthIgnored", http.Header{"Authorization": {"Basic " + plain}}, http.StatusOK, "anonymous"},
	} {
		t.Run(tc.Name, func(t *testing.T) {
			res := e.do(t, e.newClient(t), "GET", "/api/whoami", nil, tc.Header)
			if res.Status != tc.ExpectedStatus || !strings.Contains(res.Body, tc.ExpectedBody) {
				t.Errorf("status %d body %q; want %d containing %q", res.Status, res.Body, tc.ExpectedStatus, tc.ExpectedBody)
			}
		})
	}
}

func TestSessionPrincipal(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.mustSignUp(t, "Ann Organiser", "ann@example.org", "correct horse battery")
	e.mustLogIn(t, "ann@example.org", "correct horse battery")
	res := e.get(t, "/api/whoami")
	if res.Body != "ann@example.org token=false viewer=true" {
		t.Errorf("signed-in principal: %q", res.Body)
	}
}
