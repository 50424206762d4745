package auth

import (
	"context"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestConfirmSignUp: the verification link confirms and signs in once, in
// any browser; the first log-in is marked First and later ones are not.
func TestConfirmSignUp(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signUp(t, "ada@example.org")
		tok := e.mail.token(t, "auth.verify_email", "ada@example.org", "/verify/")

		t.Run("Expired", func(t *testing.T) {
			e2 := newEnv(t, d)
			e2.clock.Advance(49 * time.Hour)
			_, err := e2.svc.ConfirmSignUp(ctx, LinkInput{Token: tok, IP: "192.0.2.9"})
			wantCode(t, err, errs.Invalid)
		})

		l, err := e.svc.ConfirmSignUp(ctx, LinkInput{Token: tok, IP: "192.0.2.1", UserAgent: "phone"})
		if err != nil {
			t.Fatal(err)
		}
		if !l.First || l.NeedsTOTP || !l.User.EmailVerified || l.Device == "" || l.Token == "" {
			t.Fatalf("login = %+v, want a first, verified, full session with a device cookie", l)
		}
		u, _, err := e.svc.Authenticate(ctx, l.Token)
		if err != nil || u.Email != "ada@example.org" {
			t.Fatalf("authenticate the confirmed session: %v, %v", u, err)
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'session.login_verify'`); n != 1 {
			t.Errorf("%d session.login_verify audit records, want 1", n)
		}

		// Single use, whoever presents it again.
		_, err = e.svc.ConfirmSignUp(ctx, LinkInput{Token: tok, IP: "198.51.100.7", Device: l.Device})
		wantCode(t, err, errs.Invalid)
		if n := countRows(t, d, `SELECT COUNT(*) FROM sessions`); n != 1 {
			t.Errorf("%d sessions after a reused link, want 1", n)
		}

		if again := e.login(t, "ada@example.org", goodPassword); again.First {
			t.Error("the second log-in is marked First")
		}
	})
}

func TestConfirmSignUpDisabledAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.signUp(t, "bea@example.org")
		tok := e.mail.token(t, "auth.verify_email", "bea@example.org", "/verify/")
		if _, err := d.Exec(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, e.clock.Now(), u.ID); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.ConfirmSignUp(ctx, LinkInput{Token: tok, IP: "192.0.2.1"})
		wantCode(t, err, errs.Forbidden)
		if n := countRows(t, d, `SELECT COUNT(*) FROM sessions`); n != 0 {
			t.Errorf("%d sessions for a disabled account", n)
		}
	})
}

func TestLoginFirstThenReturning(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.signUp(t, "cai@example.org")
		if l := e.login(t, "cai@example.org", goodPassword); !l.First {
			t.Error("an account's first log-in is not marked First")
		}
		if l := e.login(t, "cai@example.org", goodPassword); l.First {
			t.Error("a second log-in is marked First")
		}
	})
}
