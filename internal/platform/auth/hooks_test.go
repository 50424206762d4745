package auth

import (
	"context"
	"errors"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

func TestAccountHookRunsInTheSameTransaction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := NewService(d, &fakeMailer{}, NewPolicy(), Config{Password: fastParams}, nil)
		var seen []string
		s.AccountCreated().Set(func(ctx context.Context, tx *db.Tx, u *User) error {
			seen = append(seen, u.Email)
			if u.Email == "refused@example.org" {
				return errors.New("the person record could not be made")
			}
			return nil
		})
		ctx := context.Background()
		if _, err := s.SignUp(ctx, SignUpInput{Name: "Ada", Email: "ada@example.org", Password: "a long enough password", IP: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SignUp(ctx, SignUpInput{Name: "No", Email: "refused@example.org", Password: "a long enough password", IP: "192.0.2.2"}); err == nil {
			t.Fatal("a failing hook must fail the sign-up")
		}
		var n int
		d.QueryRow(ctx, `SELECT count(*) FROM users WHERE email = 'refused@example.org'`).Scan(&n)
		if n != 0 {
			t.Fatal("the account was kept although its hook failed: not one transaction")
		}
		if len(seen) != 2 || seen[0] != "ada@example.org" {
			t.Fatalf("hook saw %v", seen)
		}
	})
}
