package people

import (
	"context"
	"log/slog"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
)

// Recorder is how other capabilities (events, decisions, meetings…) put
// what a person did on their timeline, inside their own transaction.
// *Service implements it.
type Recorder interface {
	RecordAction(ctx context.Context, tx *db.Tx, a Action) error
}

// AccountEraser anonymises a person's account during erasure (auth
// implements it).
type AccountEraser interface {
	EraseAccount(ctx context.Context, tx *db.Tx, userID string) error
}

// RecipientForgetter deletes stored mail to an address during erasure (mail
// implements it).
type RecipientForgetter interface {
	ForgetRecipient(ctx context.Context, tx *db.Tx, address string) (int64, error)
}

// GroupJoiner adds a person to a group inside the caller's transaction (the
// groups capability implements it). Create uses it when Input.GroupID is
// set.
type GroupJoiner interface {
	AddMember(ctx context.Context, tx *db.Tx, groupID, personID string) error
}

// PersonMover moves another capability's rows about a person when two
// records are merged: from mergeID to keepID, inside the merge's
// transaction, before the merged record is deleted (which would delete
// those rows or lose the person from them). It returns how many rows moved,
// by table, for the audit entry. decisions and events implement it.
type PersonMover interface {
	MovePerson(ctx context.Context, tx *db.Tx, keepID, mergeID string) (map[string]int64, error)
}

// Service is the only entry to person records for handlers, the API, the
// importer and other capabilities.
type Service struct {
	db     *db.DB
	policy *auth.Policy
	log    *slog.Logger
	now    func() time.Time

	accounts AccountEraser
	mail     RecipientForgetter
	groups   *hook.Hook[GroupJoiner]
	movers   *hook.Hook[[]PersonMover]
}

var _ Recorder = (*Service)(nil)

// Deps is everything the people service needs. Every field is required but
// Log and Now.
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	Log    *slog.Logger     // default slog.Default()
	Now    func() time.Time // default db.Now; tests move time by hand
	// Accounts anonymises a person's account when they are erased (auth).
	Accounts AccountEraser
	// Mail deletes stored mail to a person's addresses when they are
	// erased (mail).
	Mail RecipientForgetter
	// Groups adds a new person to a group (Create with Input.GroupID). The
	// groups capability needs people, so it is set once groups is built.
	Groups *hook.Hook[GroupJoiner]
	// Movers are the capabilities whose rows about a person follow them
	// through Merge (decisions, events), set once they are built; an empty
	// list is a choice, not a default.
	Movers *hook.Hook[[]PersonMover]
}

// NewService returns the people service, or an error naming the missing
// collaborators.
func NewService(d Deps) (*Service, error) {
	if err := hook.Need("people.NewService", "DB", d.DB, "Policy", d.Policy, "Accounts", d.Accounts,
		"Mail", d.Mail, "Groups", d.Groups, "Movers", d.Movers); err != nil {
		return nil, err
	}
	s := &Service{db: d.DB, policy: d.Policy, log: d.Log, now: db.Now,
		accounts: d.Accounts, mail: d.Mail, groups: d.Groups, movers: d.Movers}
	if s.log == nil {
		s.log = slog.Default()
	}
	if d.Now != nil {
		s.now = func() time.Time { return d.Now().UTC().Truncate(time.Microsecond) }
	}
	return s, nil
}

// can asks the policy on behalf of whoever is in ctx.
func (s *Service) can(ctx context.Context, act auth.Action, res auth.Resource) error {
	return s.policy.Can(ctx, auth.PrincipalFrom(ctx), act, res)
}

// isAdmin reports whether the principal in ctx may do everything.
func isAdmin(ctx context.Context) bool {
	p := auth.PrincipalFrom(ctx)
	return p != nil && (p.System || p.Token || p.Role == auth.RoleAdmin)
}

func notFound() error { return errs.E(errs.NotFound, "There is no such person.") }
