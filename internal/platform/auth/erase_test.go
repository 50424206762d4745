package auth

import (
	"context"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

func TestEraseAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u := e.signUp(t, "grace.hopper@example.org")
		e.login(t, "grace.hopper@example.org", goodPassword)
		ctx := context.Background()
		if err := d.InTx(ctx, func(tx *db.Tx) error { return e.svc.EraseAccount(ctx, tx, u.ID) }); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`SELECT count(*) FROM users WHERE email LIKE '%grace%' OR name LIKE '%Ada%'`,
			`SELECT count(*) FROM audit_log WHERE actor_label LIKE '%grace%'`,
			`SELECT count(*) FROM sessions WHERE user_id = '` + u.ID + `'`,
			`SELECT count(*) FROM one_time_tokens WHERE user_id = '` + u.ID + `'`,
			`SELECT count(*) FROM users WHERE id = '` + u.ID + `' AND (password_hash IS NOT NULL OR disabled_at IS NULL)`,
		} {
			var n int
			if err := d.QueryRow(ctx, q).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s = %d (%v), want 0", strings.Fields(q)[3], n, err)
			}
		}
		var audits int
		d.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE actor_id = ?`, u.ID).Scan(&audits)
		if audits == 0 {
			t.Error("audit entries must stay (with the label erased) so that counts stay right")
		}
		if _, err := e.svc.Login(ctx, LoginInput{Email: "grace.hopper@example.org", Password: goodPassword, IP: "192.0.2.9"}); err == nil {
			t.Error("an erased account can still log in")
		}
	})
}
