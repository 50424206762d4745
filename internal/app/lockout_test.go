package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

// postFrom posts a form as a same-origin browser at address ip would,
// through a reverse proxy that appends the client's address to
// X-Forwarded-For (the node trusts it: MOMENTUM_TRUST_PROXY).
func postFrom(t *testing.T, c *http.Client, ip, u string, form url.Values) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", ip)
	return apptest.Do(t, c, req)
}

// TestLoginLockoutCannotBeTurnedAgainstOwner is issue 11's acceptance line
// through the real server: 100 failed log-ins from 100 other addresses do
// not stop the owner logging in from their usual browser (wherever it is),
// from their usual address in a new browser, or by an emailed link, while
// the attackers are slowed.
func TestLoginLockoutCannotBeTurnedAgainstOwner(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL,
			Configure: func(c *config.Config) { c.TrustProxy = true }})
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		n.CreateUser(t, supEmail, supPass, auth.RoleSupporter)
		const home = "192.0.2.10"
		owner := apptest.Client(t)
		if res := postFrom(t, owner, home, n.URL+"/login", url.Values{"email": {supEmail}, "password": {supPass}}); res.Status != http.StatusSeeOther {
			t.Fatalf("owner's first log-in: %d", res.Status)
		}

		attacker := apptest.Client(t)
		slowed := 0
		for i := range 100 {
			res := postFrom(t, attacker, fmt.Sprintf("203.0.%d.9", i), n.URL+"/login",
				url.Values{"email": {supEmail}, "password": {fmt.Sprintf("guess %d", i)}})
			switch res.Status {
			case http.StatusUnprocessableEntity:
			case http.StatusTooManyRequests:
				slowed++
			default:
				t.Fatalf("attempt %d: status %d", i, res.Status)
			}
		}
		if slowed < 50 {
			t.Errorf("only %d of 100 attempts were refused as too many", slowed)
		}
		if res := postFrom(t, attacker, "203.0.250.9", n.URL+"/login", url.Values{"email": {supEmail}, "password": {supPass}}); res.Status != http.StatusTooManyRequests {
			t.Errorf("a stranger with the right password during the attack: %d, want 429", res.Status)
		}

		t.Run("UsualBrowserElsewhere", func(t *testing.T) {
			// Only the device cookie tells this address from an attacker's.
			res := postFrom(t, owner, "198.51.100.77", n.URL+"/login", url.Values{"email": {supEmail}, "password": {supPass}})
			if res.Status != http.StatusSeeOther || sessionCookie(t, owner, n.URL) == "" {
				t.Fatalf("owner's browser at a café: status %d\n%s", res.Status, res.Body)
			}
		})
		t.Run("UsualAddressNewBrowser", func(t *testing.T) {
			c := apptest.Client(t)
			res := postFrom(t, c, home, n.URL+"/login", url.Values{"email": {supEmail}, "password": {supPass}})
			if res.Status != http.StatusSeeOther || sessionCookie(t, c, n.URL) == "" {
				t.Fatalf("owner's usual address: status %d\n%s", res.Status, res.Body)
			}
		})
		t.Run("EmailedLink", func(t *testing.T) {
			c := apptest.Client(t)
			const away = "198.51.100.20"
			if res := postFrom(t, c, away, n.URL+"/login/link", url.Values{"link_email": {supEmail}}); res.Status != http.StatusSeeOther {
				t.Fatalf("ask for a link: %d", res.Status)
			}
			link := linkFromOutbox(t, n, supEmail, "/login/link/")
			res := postFrom(t, c, away, link, nil)
			if res.Status != http.StatusSeeOther || sessionCookie(t, c, n.URL) == "" {
				t.Fatalf("owner's emailed link: status %d\n%s", res.Status, res.Body)
			}
		})
	})
}
