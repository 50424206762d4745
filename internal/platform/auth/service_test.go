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

func TestSignUpFieldErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.signUp(t, "taken@example.org")
		ctx := context.Background()
		tests := []struct {
			name, field, want string
			in                SignUpInput
		}{
			{"NameRequired", "name", "Enter your name.", SignUpInput{Name: "  ", Email: "a@example.org", Password: goodPassword}},
			{"EmailInvalid", "email", "Enter an email address like name@example.org", SignUpInput{Name: "A", Email: "not-an-email", Password: goodPassword}},
			{"EmailWithDisplayName", "email", "like name@example.org", SignUpInput{Name: "A", Email: "Ada <a@example.org>", Password: goodPassword}},
			{"PasswordTooShort", "password", "at least 10 characters", SignUpInput{Name: "A", Email: "a@example.org", Password: "123456789"}},
			{"PasswordTooLong", "password", "at most 256 characters", SignUpInput{Name: "A", Email: "a@example.org", Password: strings.Repeat("x", 257)}},
			{"EmailTaken", "email", "An account with this email already exists. Log in or reset your password.", SignUpInput{Name: "A", Email: " Taken@Example.org ", Password: goodPassword}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.SignUp(ctx, tc.in)
				wantCode(t, err, errs.Invalid)
				wantField(t, err, tc.field, tc.want)
			})
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM users`); n != 1 {
			t.Fatalf("%d users after failed signups, want 1", n)
		}
		if n := len(e.mail.sent("auth.verify_email", "a@example.org")); n != 0 {
			t.Fatalf("%d verification mails for failed signups", n)
		}
	})
}

func TestSignUpAndVerifyEmail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.signUp(t, "Ada@Example.org")
		if u.Email != "ada@example.org" || u.Role != RoleSupporter || u.EmailVerified {
			t.Fatalf("new user = %+v, want lowercased unverified supporter", u)
		}
		tok := e.mail.token(t, "auth.verify_email", "ada@example.org", "/verify/")

		t.Run("Expired", func(t *testing.T) {
			e2 := newEnv(t, d)
			e2.clock.Advance(49 * time.Hour)
			_, err := e2.svc.VerifyEmail(ctx, tok)
			wantCode(t, err, errs.Invalid)
			if errs.MessageOf(err) != "This link has expired or has already been used." {
				t.Fatalf("message = %q", errs.MessageOf(err))
			}
		})
		got, err := e.svc.VerifyEmail(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if !got.EmailVerified {
			t.Fatal("not verified after VerifyEmail")
		}
		_, err = e.svc.VerifyEmail(ctx, tok)
		wantCode(t, err, errs.Invalid)
		_, err = e.svc.VerifyEmail(ctx, "made-up")
		wantCode(t, err, errs.Invalid)
	})
}

func TestSignUpRateLimitedPerIP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		var err error
		for i := 0; i < 11 && err == nil; i++ {
			_, err = e.svc.SignUp(ctx, SignUpInput{Name: "A", Email: "p" + string(rune('a'+i)) + "@example.org", Password: goodPassword, IP: "198.51.100.7"})
		}
		wantCode(t, err, errs.TooMany)
		if n := countRows(t, d, `SELECT COUNT(*) FROM users`); n != 10 {
			t.Fatalf("%d users, want 10 before the limit", n)
		}
		if _, err := e.svc.SignUp(ctx, SignUpInput{Name: "A", Email: "other@example.org", Password: goodPassword, IP: "198.51.100.8"}); err != nil {
			t.Fatalf("another IP refused: %v", err)
		}
	})
}

func TestLoginNewSessionEachTime(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.signUp(t, "ada@example.org")
		first := e.login(t, "ADA@example.org", goodPassword)
		second := e.login(t, "ada@example.org", goodPassword)
		if first.Token == second.Token || first.Session.ID == second.Session.ID {
			t.Fatal("two logins share a session id")
		}
		if len(first.Token) != 43 || first.NeedsTOTP {
			t.Fatalf("token %q (len %d), NeedsTOTP %v", first.Token, len(first.Token), first.NeedsTOTP)
		}
		if first.User.EmailVerified {
			t.Fatal("unverified user logged in as verified")
		}
		// Both stay valid: one device's login does not end another's.
		for _, l := range []*Login{first, second} {
			got, sess, err := e.svc.Authenticate(ctx, l.Token)
			if err != nil || got.ID != u.ID || sess.ID != l.Session.ID {
				t.Fatalf("Authenticate: %v %+v %+v", err, got, sess)
			}
		}
		if err := e.svc.Logout(ctx, first.Token); err != nil {
			t.Fatal(err)
		}
		_, _, err := e.svc.Authenticate(ctx, first.Token)
		wantCode(t, err, errs.Unauthorized)
		if _, _, err := e.svc.Authenticate(ctx, second.Token); err != nil {
			t.Fatalf("other session ended by logout: %v", err)
		}
		if err := e.svc.Logout(ctx, first.Token); err != nil {
			t.Fatalf("second logout: %v", err)
		}
		_, _, err = e.svc.Authenticate(ctx, "")
		wantCode(t, err, errs.Unauthorized)
	})
}

func TestLoginWrongCredentialsOneMessage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signUp(t, "ada@example.org")
		_, wrongPw := e.svc.Login(ctx, LoginInput{Email: "ada@example.org", Password: "wrong password", IP: "192.0.2.9"})
		_, noUser := e.svc.Login(ctx, LoginInput{Email: "nobody@example.org", Password: goodPassword, IP: "192.0.2.9"})
		wantCode(t, wrongPw, errs.Invalid)
		wantCode(t, noUser, errs.Invalid)
		if errs.MessageOf(wrongPw) != errs.MessageOf(noUser) {
			t.Fatalf("messages differ: %q vs %q", errs.MessageOf(wrongPw), errs.MessageOf(noUser))
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		t.Run("Idle", func(t *testing.T) {
			e := newEnv(t, d)
			e.signUp(t, "idle@example.org")
			l := e.login(t, "idle@example.org", goodPassword)
			e.clock.Advance(6 * 24 * time.Hour)
			if _, _, err := e.svc.Authenticate(ctx, l.Token); err != nil {
				t.Fatalf("after 6 idle days: %v", err)
			}
			// That request counted as activity: 6 more days are fine too.
			e.clock.Advance(6 * 24 * time.Hour)
			if _, _, err := e.svc.Authenticate(ctx, l.Token); err != nil {
				t.Fatalf("6 days after last use: %v", err)
			}
			e.clock.Advance(7*24*time.Hour + time.Second)
			_, _, err := e.svc.Authenticate(ctx, l.Token)
			wantCode(t, err, errs.Unauthorized)
		})
		t.Run("Absolute", func(t *testing.T) {
			e := newEnv(t, d)
			e.signUp(t, "busy@example.org")
			l := e.login(t, "busy@example.org", goodPassword)
			for day := 0; day < 29; day++ {
				e.clock.Advance(24 * time.Hour)
				if _, _, err := e.svc.Authenticate(ctx, l.Token); err != nil {
					t.Fatalf("day %d: %v", day+1, err)
				}
			}
			e.clock.Advance(24 * time.Hour)
			_, _, err := e.svc.Authenticate(ctx, l.Token)
			wantCode(t, err, errs.Unauthorized)
		})
		t.Run("TouchAtMostOnceAMinute", func(t *testing.T) {
			e := newEnv(t, d)
			e.signUp(t, "touch@example.org")
			l := e.login(t, "touch@example.org", goodPassword)
			e.clock.Advance(30 * time.Second)
			_, s1, _ := e.svc.Authenticate(ctx, l.Token)
			if !s1.LastSeenAt.Equal(l.Session.LastSeenAt) {
				t.Fatal("last_seen_at written within a minute")
			}
			e.clock.Advance(31 * time.Second)
			_, s2, _ := e.svc.Authenticate(ctx, l.Token)
			_, s3, _ := e.svc.Authenticate(ctx, l.Token)
			if !s2.LastSeenAt.Equal(e.clock.Now()) || !s3.LastSeenAt.Equal(e.clock.Now()) {
				t.Fatalf("last_seen_at = %v / %v, want %v", s2.LastSeenAt, s3.LastSeenAt, e.clock.Now())
			}
		})
	})
}

func TestLoginThrottledAcrossNodes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		node1 := newEnv(t, d)
		node2 := newEnv(t, d) // a second process on the same database, same time
		node1.signUp(t, "ada@example.org")
		bad := LoginInput{Email: "ada@example.org", Password: "wrong password", IP: "203.0.113.5"}
		for i := 0; i < 5; i++ {
			node := node1
			if i%2 == 1 {
				node = node2
			}
			_, err := node.svc.Login(ctx, bad)
			wantCode(t, err, errs.Invalid)
		}
		good := bad
		good.Password = goodPassword
		_, err := node1.svc.Login(ctx, good)
		wantCode(t, err, errs.TooMany)
		if msg := errs.MessageOf(err); !strings.Contains(msg, "try again in 15 minutes") {
			t.Fatalf("message = %q", msg)
		}
		// Another IP may still log in (the per-IP and per-email limits are not reached).
		other := good
		other.IP = "203.0.113.6"
		if _, err := node2.svc.Login(ctx, other); err != nil {
			t.Fatalf("other IP: %v", err)
		}
		node1.clock.Advance(15 * time.Minute)
		if _, err := node1.svc.Login(ctx, good); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestLoginSuccessesDoNotCount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.signUp(t, "ada@example.org")
		for i := 0; i < 8; i++ {
			e.login(t, "ada@example.org", goodPassword)
		}
	})
}

func TestLoginLink(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signUp(t, "ada@example.org")
		if err := e.svc.RequestLoginLink(ctx, "nobody@example.org", "192.0.2.1", ""); err != nil {
			t.Fatalf("unknown email: %v", err)
		}
		if n := len(e.mail.sent("auth.login_link", "nobody@example.org")); n != 0 {
			t.Fatal("mail sent to an unknown address")
		}
		wantField(t, e.svc.RequestLoginLink(ctx, "nope", "192.0.2.1", ""), "email", "like name@example.org")

		if err := e.svc.RequestLoginLink(ctx, "ADA@example.org", "192.0.2.1", ""); err != nil {
			t.Fatal(err)
		}
		tok := e.mail.token(t, "auth.login_link", "ada@example.org", "/login/link/")
		l, err := e.svc.LoginWithLink(ctx, tok, "192.0.2.1", "", "test")
		if err != nil {
			t.Fatal(err)
		}
		if !l.User.EmailVerified {
			t.Fatal("login link did not verify the address")
		}
		if _, _, err := e.svc.Authenticate(ctx, l.Token); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.LoginWithLink(ctx, tok, "192.0.2.1", "", "test")
		wantCode(t, err, errs.Invalid)

		if err := e.svc.RequestLoginLink(ctx, "ada@example.org", "192.0.2.1", ""); err != nil {
			t.Fatal(err)
		}
		late := e.mail.token(t, "auth.login_link", "ada@example.org", "/login/link/")
		e.clock.Advance(21 * time.Minute)
		_, err = e.svc.LoginWithLink(ctx, late, "192.0.2.1", "", "test")
		wantCode(t, err, errs.Invalid)
	})
}

func TestLoginLinkRateLimited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.signUp(t, "ada@example.org")
		for i := 0; i < 5; i++ {
			if err := e.svc.RequestLoginLink(ctx, "ada@example.org", "192.0.2.1", ""); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
		wantCode(t, e.svc.RequestLoginLink(ctx, "ada@example.org", "192.0.2.2", ""), errs.TooMany)
		// Unknown addresses are limited alike, so the limit tells nothing.
		for i := 0; i < 5; i++ {
			_ = e.svc.RequestLoginLink(ctx, "ghost@example.org", "192.0.2.3", "")
		}
		wantCode(t, e.svc.RequestLoginLink(ctx, "ghost@example.org", "192.0.2.3", ""), errs.TooMany)
		if n := len(e.mail.sent("auth.login_link", "ada@example.org")); n != 5 {
			t.Fatalf("%d links mailed, want 5", n)
		}
	})
}
