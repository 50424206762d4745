package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestCSRFWithoutOriginHeaders: a state-changing request that carries the
// session cookie but neither Origin nor Sec-Fetch-Site (a browser too old
// to send them) is refused; the same request with a matching Origin is
// served; API clients (a token header, no cookie) and cookie-less form
// posts are not affected (SECURITY.md, "Cross-site requests").
func TestCSRFWithoutOriginHeaders(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		n.CreateUser(t, supEmail, supPass, auth.RoleSupporter)
		post := func(c *http.Client, path string, headers map[string]string) apptest.Response {
			req, _ := http.NewRequest("POST", n.URL+path, strings.NewReader(""))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			return apptest.Do(t, c, req)
		}

		t.Run("SessionCookieNoHeadersRefused", func(t *testing.T) {
			c := apptest.Client(t)
			n.Login(t, c, supEmail, supPass)
			res := post(c, "/logout", nil)
			if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "did not say which site") {
				t.Fatalf("POST /logout with the session cookie and no Origin: %d, want 403 with the explanation", res.Status)
			}
			if got := apptest.Get(t, c, n.URL+"/dashboard"); got.Status != http.StatusOK {
				t.Fatalf("the refused request logged out anyway: /dashboard %d", got.Status)
			}
		})
		t.Run("SessionCookieMatchingOriginServed", func(t *testing.T) {
			c := apptest.Client(t)
			n.Login(t, c, supEmail, supPass)
			if res := post(c, "/logout", map[string]string{"Origin": n.URL}); res.Status != http.StatusSeeOther {
				t.Fatalf("POST /logout with a matching Origin: %d, want 303", res.Status)
			}
			if sessionCookie(t, c, n.URL) != "" {
				t.Fatal("still signed in after logging out")
			}
		})
		t.Run("CookielessLoginServed", func(t *testing.T) {
			// A log-in carries no one's authority yet: a script or an old
			// browser may post it without the headers (a login CSRF in
			// such a browser is the documented remainder).
			c := apptest.Client(t)
			req, _ := http.NewRequest("POST", n.URL+"/login", strings.NewReader(url.Values{"email": {supEmail}, "password": {supPass}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if res := apptest.Do(t, c, req); res.Status != http.StatusSeeOther {
				t.Fatalf("cookie-less POST /login: %d, want 303", res.Status)
			}
		})
		t.Run("APITokenNoOriginServed", func(t *testing.T) {
			sys := auth.WithSystem(context.Background())
			token, _, err := n.App.Auth.CreateAPIToken(sys, "crm sync")
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("POST", n.URL+"/api/v1/people",
				strings.NewReader(`{"given_name":"Api","email_addresses":[{"address":"api.person@example.org","primary":true}]}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("OSDI-API-Token", token)
			if res := apptest.Do(t, apptest.Client(t), req); res.Status != http.StatusCreated && res.Status != http.StatusOK {
				t.Fatalf("API POST with a token and no Origin: %d\n%s", res.Status, res.Body)
			}
		})
	})
}
