package auth

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// AccountHook runs inside the transaction that creates an account, so that
// another capability (the people records) can link the account to its
// person atomically: the account and its person commit or roll back
// together.
type AccountHook func(ctx context.Context, tx *db.Tx, u *User) error

// OnAccountCreated registers fn to run for every new account (sign-up,
// create-admin, bulk creation). app wires it at start-up.
func (s *Service) OnAccountCreated(fn AccountHook) { s.onCreated = append(s.onCreated, fn) }

func (s *Service) accountCreated(ctx context.Context, tx *db.Tx, u *User) error {
	for _, fn := range s.onCreated {
		if err := fn(ctx, tx, u); err != nil {
			return err
		}
	}
	return nil
}
