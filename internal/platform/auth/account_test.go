package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestResetPassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signUp(t, "ada@example.org")
		s1 := e.login(t, "ada@example.org", goodPassword)
		s2 := e.login(t, "ada@example.org", goodPassword)

		if err := e.svc.RequestPasswordReset(ctx, "nobody@example.org", "192.0.2.1"); err != nil {
			t.Fatalf("unknown email: %v", err)
		}
		if err := e.svc.RequestPasswordReset(ctx, "ada@example.org", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		tok := e.mail.token(t, "auth.reset_password", "ada@example.org", "/reset/")
		wantField(t, e.svc.ResetPassword(ctx, tok, "short"), "password", "at least 10")

		const next = "a whole new passphrase"
		if err := e.svc.ResetPassword(ctx, tok, next); err != nil {
			t.Fatalf("reset (the short attempt must not use up the link): %v", err)
		}
		for _, s := range []*Login{s1, s2} {
			_, _, err := e.svc.Authenticate(ctx, s.Token)
			wantCode(t, err, errs.Unauthorized)
		}
		wantCode(t, e.svc.ResetPassword(ctx, tok, "yet another passphrase"), errs.Invalid)
		_, err := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: "192.0.2.1"})
		wantCode(t, err, errs.Invalid)
		if l := e.login(t, "ada@example.org", next); !l.User.EmailVerified {
			t.Fatal("a used reset link did not verify the address")
		}

		if err := e.svc.RequestPasswordReset(ctx, "ada@example.org", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		late := e.mail.token(t, "auth.reset_password", "ada@example.org", "/reset/")
		e.clock.Advance(21 * time.Minute)
		wantCode(t, e.svc.ResetPassword(ctx, late, "too late passphrase"), errs.Invalid)
	})
}

func TestChangePassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.signUp(t, "ada@example.org")
		here := e.login(t, "ada@example.org", goodPassword)
		elsewhere := e.login(t, "ada@example.org", goodPassword)
		me := WithPrincipal(ctx, PrincipalFor(u, &here.Session))

		wantField(t, e.svc.ChangePassword(me, u.ID, "not my password", "brand new passphrase"), "current", "not your current password")
		wantField(t, e.svc.ChangePassword(me, u.ID, goodPassword, "short"), "password", "at least 10")
		other := e.signUp(t, "bob@example.org")
		wantCode(t, e.svc.ChangePassword(as(other), u.ID, goodPassword, "brand new passphrase"), errs.Forbidden)

		if err := e.svc.ChangePassword(me, u.ID, goodPassword, "brand new passphrase"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.Authenticate(ctx, here.Token); err != nil {
			t.Fatalf("the session that changed the password ended: %v", err)
		}
		_, _, err := e.svc.Authenticate(ctx, elsewhere.Token)
		wantCode(t, err, errs.Unauthorized)
		e.login(t, "ada@example.org", "brand new passphrase")
	})
}

func TestEmailChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.signUp(t, "ada@example.org")
		e.signUp(t, "taken@example.org")
		me := as(u)

		wantField(t, e.svc.RequestEmailChange(me, u.ID, "new@example.org", "wrong password"), "password", "not your current password")
		wantField(t, e.svc.RequestEmailChange(me, u.ID, "taken@example.org", goodPassword), "email", "Another account")
		wantField(t, e.svc.RequestEmailChange(me, u.ID, "bad", goodPassword), "email", "like name@example.org")

		if err := e.svc.RequestEmailChange(me, u.ID, "New@Example.org", goodPassword); err != nil {
			t.Fatal(err)
		}
		notice := e.mail.sent("auth.change_email_notice", "ada@example.org")
		if len(notice) != 1 || !strings.Contains(notice[0].Text, "new@example.org") {
			t.Fatalf("notice to the old address: %+v", notice)
		}
		if linkRE.MatchString(notice[0].Text) {
			t.Fatal("the notice to the old address carries the confirmation link")
		}
		tok := e.mail.token(t, "auth.change_email", "new@example.org", "/account/email/")
		if got, _ := e.svc.GetUser(me, u.ID); got.Email != "ada@example.org" {
			t.Fatalf("email changed before confirmation: %q", got.Email)
		}

		got, err := e.svc.ConfirmEmailChange(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if got.Email != "new@example.org" || !got.EmailVerified {
			t.Fatalf("after confirm: %+v", got)
		}
		_, err = e.svc.ConfirmEmailChange(ctx, tok)
		wantCode(t, err, errs.Invalid)
		e.login(t, "new@example.org", goodPassword)
		_, err = e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: goodPassword, IP: "192.0.2.1"})
		wantCode(t, err, errs.Invalid)

		t.Run("NewerRequestRetiresOlder", func(t *testing.T) {
			me := as(got)
			if err := e.svc.RequestEmailChange(me, u.ID, "first@example.org", goodPassword); err != nil {
				t.Fatal(err)
			}
			first := e.mail.token(t, "auth.change_email", "first@example.org", "/account/email/")
			if err := e.svc.RequestEmailChange(me, u.ID, "second@example.org", goodPassword); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.ConfirmEmailChange(ctx, first)
			wantCode(t, err, errs.Invalid)
		})
		t.Run("Expires", func(t *testing.T) {
			second := e.mail.token(t, "auth.change_email", "second@example.org", "/account/email/")
			e.clock.Advance(49 * time.Hour)
			_, err := e.svc.ConfirmEmailChange(ctx, second)
			wantCode(t, err, errs.Invalid)
		})
	})
}

func TestLoginRehashesOldPasswords(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		old := newEnv(t, d)
		old.signUp(t, "ada@example.org")
		stronger := PasswordParams{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
		upgraded := newEnv(t, d, func(c *Config) { c.Password = stronger })
		upgraded.login(t, "ada@example.org", goodPassword)
		var hash string
		if err := d.QueryRow(context.Background(), `SELECT password_hash FROM users WHERE email = ?`, "ada@example.org").Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if NeedsRehash(hash, stronger) || !strings.Contains(hash, "m=128,t=2,p=1") {
			t.Fatalf("hash not upgraded at login: %s", hash)
		}
		upgraded.login(t, "ada@example.org", goodPassword)
	})
}
