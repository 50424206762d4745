package demo

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// Load writes the network into an empty database and reports whether it did;
// a database that already has accounts is left alone (false, nil). People
// get accounts without passwords (they can log in with an emailed link);
// the admin gets the generated password.
func Load(ctx context.Context, a *app.App, nw Network) (bool, error) {
	ctx = auth.WithSystem(reqctx.WithActor(ctx, reqctx.Actor{Label: "demo"}))
	counts, err := a.Auth.CountUsers(ctx)
	if err != nil {
		return false, err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total > 0 {
		return false, nil
	}
	if _, err := a.Auth.CreateAdmin(ctx, nw.AdminEmail, nw.AdminPassword, "Demo Admin"); err != nil {
		return false, fmt.Errorf("demo admin: %w", err)
	}
	accounts := make([]auth.NewAccount, 0, len(nw.People))
	for _, p := range nw.People {
		role := auth.RoleSupporter
		if p.Member {
			role = auth.RoleMember
		}
		accounts = append(accounts, auth.NewAccount{Email: p.Email, Name: p.Name(), Role: role})
	}
	if _, err := a.Auth.CreateAccounts(ctx, accounts); err != nil {
		return false, fmt.Errorf("demo people: %w", err)
	}
	return true, nil
}
