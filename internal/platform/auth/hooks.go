package auth

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/hook"
)

// AccountHook runs inside the transaction that creates an account, so that
// another capability (the people records) can link the account to its
// person atomically: the account and its person commit or roll back
// together.
type AccountHook func(ctx context.Context, tx *db.Tx, u *User) error

// AccountCreated is the hook that runs for every new account (sign-up,
// create-admin, bulk creation): the people capability links the account to
// its person. People is built after auth (erasing a person anonymises their
// account), so app/build sets the hook once people exists, and build.New checks it
// is set; an account is never created without it.
func (s *Service) AccountCreated() *hook.Hook[AccountHook] { return s.onCreated }

func (s *Service) accountCreated(ctx context.Context, tx *db.Tx, u *User) error {
	return s.onCreated.Get()(ctx, tx, u)
}
