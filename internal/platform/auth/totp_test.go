package auth

import (
	"context"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode is a six-digit code that is not right at any of the three
// accepted steps around at.
func wrongCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if _, ok := checkCode(secret, c, 0, at); !ok {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// enrol turns TOTP on for u and returns the secret.
func (e *env) enrol(t *testing.T, u *User) string {
	t.Helper()
	ctx := as(u)
	secret, url, err := e.svc.BeginTOTP(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if secret == "" || url == "" {
		t.Fatalf("secret %q url %q", secret, url)
	}
	if err := e.svc.ConfirmTOTP(ctx, u.ID, code(t, secret, e.clock.Now())); err != nil {
		t.Fatalf("confirm totp: %v", err)
	}
	e.clock.Advance(30 * time.Second) // the next code is a new one
	return secret
}

func TestTOTPLogin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.signUp(t, "ada@example.org")

		_, url, err := e.svc.BeginTOTP(as(u), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := "otpauth://totp/Test%20Network:ada@example.org?"; len(url) < len(want) || url[:len(want)] != want {
			t.Fatalf("otpauth URL = %q", url)
		}
		// Until confirmed, login needs no code.
		if l := e.login(t, "ada@example.org", goodPassword); l.NeedsTOTP {
			t.Fatal("unconfirmed TOTP required at login")
		}
		secret := e.enrol(t, u)
		got, _ := e.svc.GetUser(as(u), u.ID)
		if !got.TOTPEnabled {
			t.Fatal("TOTP not enabled after ConfirmTOTP")
		}
		_, _, err = e.svc.BeginTOTP(as(u), u.ID)
		wantCode(t, err, errs.Conflict)

		pending := e.login(t, "ada@example.org", goodPassword)
		if !pending.NeedsTOTP || !pending.Session.MFAPending {
			t.Fatal("login with TOTP on did not ask for a code")
		}
		_, _, err = e.svc.Authenticate(ctx, pending.Token)
		wantCode(t, err, errs.Unauthorized)

		_, err = e.svc.CompleteTOTP(ctx, pending.Token, wrongCode(t, secret, e.clock.Now()))
		wantField(t, err, "code", "not right")

		ok := code(t, secret, e.clock.Now())
		full, err := e.svc.CompleteTOTP(ctx, pending.Token, ok)
		if err != nil {
			t.Fatal(err)
		}
		if full.Token == pending.Token || full.NeedsTOTP {
			t.Fatal("CompleteTOTP did not rotate the session id")
		}
		if _, _, err := e.svc.Authenticate(ctx, full.Token); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.CompleteTOTP(ctx, pending.Token, ok)
		wantCode(t, err, errs.Unauthorized)

		t.Run("CodeNotReplayable", func(t *testing.T) {
			again := e.login(t, "ada@example.org", goodPassword)
			_, err := e.svc.CompleteTOTP(ctx, again.Token, ok)
			wantField(t, err, "code", "not right")
		})
		t.Run("PendingSessionTimesOut", func(t *testing.T) {
			p := e.login(t, "ada@example.org", goodPassword)
			e.clock.Advance(11 * time.Minute)
			_, err := e.svc.CompleteTOTP(ctx, p.Token, code(t, secret, e.clock.Now()))
			wantCode(t, err, errs.Unauthorized)
		})
		t.Run("WrongCodesThrottled", func(t *testing.T) {
			e.clock.Advance(15 * time.Minute)
			p := e.login(t, "ada@example.org", goodPassword)
			bad := wrongCode(t, secret, e.clock.Now())
			for i := 0; i < 5; i++ {
				_, err := e.svc.CompleteTOTP(ctx, p.Token, bad)
				wantCode(t, err, errs.Invalid)
			}
			_, err := e.svc.CompleteTOTP(ctx, p.Token, code(t, secret, e.clock.Now()))
			wantCode(t, err, errs.TooMany)
		})
		t.Run("Disable", func(t *testing.T) {
			e.clock.Advance(15 * time.Minute)
			err := e.svc.DisableTOTP(as(u), u.ID, wrongCode(t, secret, e.clock.Now()))
			wantCode(t, err, errs.Invalid)
			if err := e.svc.DisableTOTP(as(u), u.ID, code(t, secret, e.clock.Now())); err != nil {
				t.Fatal(err)
			}
			if l := e.login(t, "ada@example.org", goodPassword); l.NeedsTOTP {
				t.Fatal("code still needed after DisableTOTP")
			}
		})
		t.Run("OnlyForOneself", func(t *testing.T) {
			other := e.signUp(t, "mallory@example.org")
			_, _, err := e.svc.BeginTOTP(as(other), u.ID)
			wantCode(t, err, errs.Forbidden)
			_, _, err = e.svc.BeginTOTP(ctx, u.ID)
			wantCode(t, err, errs.Unauthorized)
		})
	})
}

func TestLoginLinkStillNeedsTOTP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.signUp(t, "ada@example.org")
		e.enrol(t, u)
		if err := e.svc.RequestLoginLink(ctx, "ada@example.org", "192.0.2.1", ""); err != nil {
			t.Fatal(err)
		}
		l, err := e.svc.LoginWithLink(ctx, e.mail.token(t, "auth.login_link", "ada@example.org", "/login/link/"), "192.0.2.1", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if !l.NeedsTOTP {
			t.Fatal("a login link skipped the second factor")
		}
		_, _, err = e.svc.Authenticate(ctx, l.Token)
		wantCode(t, err, errs.Unauthorized)
	})
}

func TestRequireAdminTOTP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		strict := newEnv(t, d, func(c *Config) { c.RequireAdminTOTP = true })
		lax := newEnv(t, d)
		admin, err := strict.svc.CreateAdmin(WithSystem(ctx), "root@example.org", goodPassword, "Root")
		if err != nil {
			t.Fatal(err)
		}
		strict.signUp(t, "member@example.org")

		l := strict.login(t, "root@example.org", goodPassword)
		if _, s, _ := strict.svc.Authenticate(ctx, l.Token); !s.MustEnrolTOTP {
			t.Fatal("admin without TOTP not sent to enrol")
		}
		if _, s, _ := lax.svc.Authenticate(ctx, l.Token); s.MustEnrolTOTP {
			t.Fatal("MustEnrolTOTP set with the flag off")
		}
		m := strict.login(t, "member@example.org", goodPassword)
		if _, s, _ := strict.svc.Authenticate(ctx, m.Token); s.MustEnrolTOTP {
			t.Fatal("non-admin sent to enrol")
		}
		secret := strict.enrol(t, admin)
		p := strict.login(t, "root@example.org", goodPassword)
		full, err := strict.svc.CompleteTOTP(ctx, p.Token, code(t, secret, strict.clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		if _, s, _ := strict.svc.Authenticate(ctx, full.Token); s.MustEnrolTOTP {
			t.Fatal("admin with TOTP still sent to enrol")
		}
	})
}
