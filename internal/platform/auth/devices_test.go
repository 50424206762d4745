package auth

import (
	"context"
	"fmt"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

const ownerIP = "192.0.2.10"

// TestLoginLockoutCannotBeTurnedAgainstOwner is issue 11's acceptance line:
// 100 failed attempts from other addresses do not stop the owner logging in
// from their usual address, from a browser they used before, or by an
// emailed link; and the attackers are themselves slowed.
func TestLoginLockoutCannotBeTurnedAgainstOwner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		e.signUp(t, "ada@example.org")
		first, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: ownerIP})
		if err != nil {
			t.Fatal(err)
		}
		if first.Device == "" {
			t.Fatal("a successful log-in gave no device cookie")
		}

		// 100 addresses in 100 networks, one wrong password each.
		refused := 0
		for i := range 100 {
			_, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: "guess " + fmt.Sprint(i),
				IP: fmt.Sprintf("203.0.%d.7", i)})
			switch errs.CodeOf(err) {
			case errs.Invalid:
			case errs.TooMany:
				refused++
			default:
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if refused != 50 {
			t.Errorf("strangers refused %d of 100 attempts, want the last 50 (the account's strangers' budget is 50)", refused)
		}
		// Even the right password is refused from a stranger's address now:
		// the attacker cannot use the rest of the hour.
		_, err = e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: "203.0.200.7"})
		wantCode(t, err, errs.TooMany)

		t.Run("KnownBrowser", func(t *testing.T) {
			l, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: "198.51.100.77", Device: first.Device})
			if err != nil {
				t.Fatalf("owner's browser, from a café: %v", err)
			}
			if l.Device != first.Device {
				t.Errorf("a known browser's cookie was replaced")
			}
		})
		t.Run("UsualAddress", func(t *testing.T) {
			if _, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: ownerIP}); err != nil {
				t.Fatalf("owner's usual address, cookies cleared: %v", err)
			}
		})
		t.Run("EmailedLink", func(t *testing.T) {
			if err := e.svc.RequestLoginLink(ctx, "ada@example.org", "198.51.100.200", ""); err != nil {
				t.Fatal(err)
			}
			link := e.mail.token(t, "auth.login_link", "ada@example.org", "/login/link/")
			if _, err := e.svc.LoginWithLink(ctx, link, "198.51.100.200", "", "test"); err != nil {
				t.Fatalf("owner's emailed link: %v", err)
			}
		})
	})
}

func TestLoginLimitsBySource(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		e.signUp(t, "ada@example.org")
		e.signUp(t, "bob@example.org")
		l, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: ownerIP})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("ANetworkIsSlowed", func(t *testing.T) {
			// 100 failures from 100 addresses of one /24, spread over
			// accounts so no per-account or per-address limit trips.
			for i := range 100 {
				_, err := e.svc.Login(ctx, LoginInput{Email: fmt.Sprintf("nobody%d@example.org", i), Password: "x", IP: fmt.Sprintf("198.51.100.%d", i)})
				wantCode(t, err, errs.Invalid)
			}
			_, err := e.svc.Login(ctx, LoginInput{Email: "bob@example.org", Password: goodPassword, IP: "198.51.100.250"})
			wantCode(t, err, errs.TooMany)
			// The owner's usual address is not counted by its network.
			if _, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: ownerIP}); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("AKnownBrowserHasItsOwnBudget", func(t *testing.T) {
			for range 10 {
				_, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: "typo", IP: ownerIP, Device: l.Device})
				wantCode(t, err, errs.Invalid)
			}
			_, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: ownerIP, Device: l.Device})
			wantCode(t, err, errs.TooMany)
			// Its failures did not use up the usual address's budget.
			if _, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: ownerIP}); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("ACookieOfAnotherAccountIsNotKnown", func(t *testing.T) {
			src, err := e.svc.sourceOf(ctx, &userRow{User: User{ID: "someone-else"}}, l.Device, "")
			if err != nil || src != sourceStranger {
				t.Fatalf("source = %v, %v: want a stranger", src, err)
			}
		})

		t.Run("BadLinksDoNotBlockAGoodOne", func(t *testing.T) {
			if err := e.svc.RequestLoginLink(ctx, "bob@example.org", "192.0.2.50", ""); err != nil {
				t.Fatal(err)
			}
			link := e.mail.token(t, "auth.login_link", "bob@example.org", "/login/link/")
			var last error
			for range 25 {
				_, last = e.svc.LoginWithLink(ctx, "not-a-link", "192.0.2.50", "", "test")
			}
			wantCode(t, last, errs.TooMany)
			if _, err := e.svc.LoginWithLink(ctx, link, "192.0.2.50", "", "test"); err != nil {
				t.Fatalf("good link after bad ones: %v", err)
			}
		})

		t.Run("KnownBrowserMayAskForLinks", func(t *testing.T) {
			for range 5 {
				if err := e.svc.RequestLoginLink(ctx, "ada@example.org", fmt.Sprintf("203.0.113.%d", 1), ""); err != nil {
					t.Fatal(err)
				}
			}
			wantCode(t, e.svc.RequestLoginLink(ctx, "ada@example.org", "203.0.113.2", ""), errs.TooMany)
			if err := e.svc.RequestLoginLink(ctx, "ada@example.org", ownerIP, l.Device); err != nil {
				t.Fatalf("owner's browser asking for a link: %v", err)
			}
		})

		t.Run("ErasureForgetsDevices", func(t *testing.T) {
			err := d.InTx(ctx, func(tx *db.Tx) error { return e.svc.EraseAccount(ctx, tx, l.User.ID) })
			if err != nil {
				t.Fatal(err)
			}
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM login_sources WHERE user_id = ?`, l.User.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Fatalf("after erasure: %d devices remembered", n)
			}
		})
	})
}

func TestNetwork(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":        "203.0.113.0/24",
		"::ffff:203.0.113.7": "203.0.113.0/24",
		"2001:db8:1:2:3::4":  "2001:db8:1:2::/64",
		"not an address":     "not an address",
		"":                   "",
	} {
		if got := network(in); got != want {
			t.Errorf("network(%q) = %q, want %q", in, got, want)
		}
	}
}
