package auth

import (
	"context"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestCreateAdminAndRoles(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		_, err := e.svc.CreateAdmin(ctx, "root@example.org", goodPassword, "Root")
		wantCode(t, err, errs.Unauthorized)

		sys := WithSystem(ctx)
		admin, err := e.svc.CreateAdmin(sys, "Root@Example.org", goodPassword, "Root")
		if err != nil {
			t.Fatal(err)
		}
		if admin.Role != RoleAdmin || !admin.EmailVerified || admin.Email != "root@example.org" {
			t.Fatalf("admin = %+v", admin)
		}
		sup := e.signUp(t, "sup@example.org")
		promoted, err := e.svc.CreateAdmin(sys, "sup@example.org", "another passphrase", "")
		if err != nil {
			t.Fatal(err)
		}
		if promoted.ID != sup.ID || promoted.Role != RoleAdmin {
			t.Fatalf("promoted = %+v", promoted)
		}
		e.login(t, "sup@example.org", "another passphrase")

		m := e.signUp(t, "member@example.org")
		wantCode(t, e.svc.SetRole(as(m), m.ID, RoleAdmin), errs.Forbidden)
		wantField(t, e.svc.SetRole(as(admin), m.ID, "boss"), "role", "admin, member or supporter")
		if err := e.svc.SetRole(as(admin), m.ID, RoleMember); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.svc.GetUser(as(admin), m.ID); got.Role != RoleMember {
			t.Fatalf("role = %q", got.Role)
		}
		_, err = e.svc.GetUser(as(m), admin.ID)
		wantCode(t, err, errs.Forbidden)

		if err := e.svc.SetRole(as(admin), promoted.ID, RoleSupporter); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.svc.SetRole(as(admin), admin.ID, RoleMember), errs.Conflict)

		_, err = e.svc.ListUsers(as(m), UserFilter{})
		wantCode(t, err, errs.Forbidden)
		all, err := e.svc.ListUsers(as(admin), UserFilter{})
		if err != nil || len(all) != 3 {
			t.Fatalf("ListUsers = %d users, %v", len(all), err)
		}
		members, _ := e.svc.ListUsers(as(admin), UserFilter{Role: RoleMember})
		if len(members) != 1 || members[0].ID != m.ID {
			t.Fatalf("members = %+v", members)
		}
		found, _ := e.svc.ListUsers(as(admin), UserFilter{Query: "ROOT"})
		if len(found) != 1 || found[0].ID != admin.ID {
			t.Fatalf("query ROOT = %+v", found)
		}
		page1, _ := e.svc.ListUsers(as(admin), UserFilter{Limit: 2})
		page2, _ := e.svc.ListUsers(as(admin), UserFilter{Limit: 2, Before: page1[1].ID})
		if len(page1) != 2 || len(page2) != 1 || page2[0].ID != admin.ID {
			t.Fatalf("pages: %d then %d", len(page1), len(page2))
		}
	})
}

func TestAPIToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		_, _, err := e.svc.CreateAPIToken(ctx, "hub")
		wantCode(t, err, errs.Unauthorized)
		sup := e.signUp(t, "sup@example.org")
		_, _, err = e.svc.CreateAPIToken(as(sup), "hub")
		wantCode(t, err, errs.Forbidden)

		plain, tok, err := e.svc.CreateAPIToken(WithSystem(ctx), "regional hub")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(plain, "mtm_") || tok.Scope != ScopeNetworkAdmin {
			t.Fatalf("plain %q token %+v", plain, tok)
		}
		got, err := e.svc.AuthenticateAPIToken(ctx, plain)
		if err != nil || got.ID != tok.ID || got.LastUsedAt.IsZero() {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		p := PrincipalForToken(got)
		if err := e.svc.Policy().Can(ctx, p, ActUsersSetRole, Resource{}); err != nil {
			t.Fatalf("network_admin token refused: %v", err)
		}
		_, err = e.svc.AuthenticateAPIToken(ctx, plain+"x")
		wantCode(t, err, errs.Unauthorized)
		_, err = e.svc.AuthenticateAPIToken(ctx, strings.TrimPrefix(plain, "mtm_"))
		wantCode(t, err, errs.Unauthorized)

		if err := e.svc.RevokeAPIToken(WithSystem(ctx), tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.AuthenticateAPIToken(ctx, plain)
		wantCode(t, err, errs.Unauthorized)
		list, err := e.svc.ListAPITokens(WithSystem(ctx))
		if err != nil || len(list) != 1 || list[0].RevokedAt.IsZero() {
			t.Fatalf("list = %+v, %v", list, err)
		}
	})
}

// TestSecretsStoredOnlyAsHashes drives every path that makes a secret and
// then searches every table, the audit log included, for the secrets' text.
func TestSecretsStoredOnlyAsHashes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		const password = "secret-passphrase-4417"
		u, err := e.svc.SignUp(ctx, SignUpInput{Name: "Ada", Email: "ada@example.org", Password: password, IP: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
		secrets := []string{password}
		secrets = append(secrets, e.mail.token(t, "auth.verify_email", "ada@example.org", "/verify/"))
		l := e.login(t, "ada@example.org", password)
		secrets = append(secrets, l.Token)
		if err := e.svc.RequestLoginLink(ctx, "ada@example.org", "192.0.2.1", ""); err != nil {
			t.Fatal(err)
		}
		link := e.mail.token(t, "auth.login_link", "ada@example.org", "/login/link/")
		l2, err := e.svc.LoginWithLink(ctx, link, "192.0.2.1", "", "ua")
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, link, l2.Token)
		if err := e.svc.RequestPasswordReset(ctx, "ada@example.org", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, e.mail.token(t, "auth.reset_password", "ada@example.org", "/reset/"))
		if err := e.svc.RequestEmailChange(as(u), u.ID, "ada2@example.org", password); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, e.mail.token(t, "auth.change_email", "ada2@example.org", "/account/email/"))
		plain, _, err := e.svc.CreateAPIToken(WithSystem(ctx), "hub")
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, plain, strings.TrimPrefix(plain, "mtm_"))
		if err := e.svc.Logout(ctx, l.Token); err != nil {
			t.Fatal(err)
		}

		auditText := tableText(t, d, "audit_log")
		for _, action := range []string{"user.signup", "session.login", "session.login_link", "session.logout",
			"user.email_change_requested", "api_token.created"} {
			if !strings.Contains(auditText, action) {
				t.Errorf("no %s row in the audit log", action)
			}
		}
		if !strings.Contains(auditText, u.ID) {
			t.Error("audit log does not name the user")
		}
		for _, table := range []string{"audit_log", "users", "sessions", "one_time_tokens", "api_tokens", "rate_limits"} {
			text := tableText(t, d, table)
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("table %s holds a secret in the clear (%.8s…)", table, s)
				}
			}
			if table != "audit_log" && table != "users" && !strings.Contains(text, "\t") {
				t.Errorf("table %s is empty: the scan proves nothing", table)
			}
		}
		if strings.Contains(tableText(t, d, "rate_limits"), "192.0.2.1") || strings.Contains(tableText(t, d, "rate_limits"), "ada@example.org") {
			t.Error("rate_limits holds an IP or email in the clear")
		}
		if !strings.Contains(tableText(t, d, "sessions"), hashToken(l2.Token)) {
			t.Error("sessions is not keyed by the token's hash")
		}
	})
}

func TestCreateAccountsAndCountUsers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		sys := WithSystem(ctx)
		_, err := e.svc.CountUsers(ctx)
		wantCode(t, err, errs.Unauthorized)

		_, err = e.svc.CreateAccounts(as(&User{ID: "x", Role: RoleMember}), []NewAccount{{Email: "a@example.org", Name: "A"}})
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.CreateAccounts(sys, []NewAccount{{Email: "a@example.org", Name: "A"}, {Email: "bad", Name: "B"}})
		wantCode(t, err, errs.Invalid)

		n, err := e.svc.CreateAccounts(sys, []NewAccount{
			{Email: "A@example.org", Name: "A", Role: RoleMember},
			{Email: "b@example.org", Name: "B"},
			{Email: "c@example.org", Name: "C"},
		})
		if err != nil || n != 3 {
			t.Fatalf("created %d, %v", n, err)
		}
		_, err = e.svc.CreateAccounts(sys, []NewAccount{{Email: "d@example.org", Name: "D"}, {Email: "a@example.org", Name: "A again"}})
		wantCode(t, err, errs.Conflict)

		counts, err := e.svc.CountUsers(as(&User{ID: "someone", Role: RoleSupporter}))
		if err != nil {
			t.Fatal(err)
		}
		if counts[RoleMember] != 1 || counts[RoleSupporter] != 2 || counts[RoleAdmin] != 0 {
			t.Fatalf("counts = %v (the failed batch must add nobody)", counts)
		}
		// A passwordless account cannot log in with a password, but can by link.
		_, err = e.svc.Login(ctx, LoginInput{Email: "b@example.org", Password: goodPassword, IP: "192.0.2.1"})
		wantCode(t, err, errs.Invalid)
		if err := e.svc.RequestLoginLink(ctx, "b@example.org", "192.0.2.1", ""); err != nil {
			t.Fatal(err)
		}
		l, err := e.svc.LoginWithLink(ctx, e.mail.token(t, "auth.login_link", "b@example.org", "/login/link/"), "192.0.2.1", "", "")
		if err != nil || !l.User.EmailVerified {
			t.Fatalf("link login: %+v %v", l, err)
		}
	})
}
