package people

import (
	"context"
	"log/slog"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Recorder is how other capabilities (events, decisions, meetings…) put
// what a person did on their timeline, inside their own transaction.
// *Service implements it.
type Recorder interface {
	RecordAction(ctx context.Context, tx *db.Tx, a Action) error
}

// AccountEraser anonymises a person's account during erasure (auth
// implements it; app wires it with SetAccountEraser).
type AccountEraser interface {
	EraseAccount(ctx context.Context, tx *db.Tx, userID string) error
}

// RecipientForgetter deletes stored mail to an address during erasure (mail
// implements it; app wires it with SetRecipientForgetter).
type RecipientForgetter interface {
	ForgetRecipient(ctx context.Context, tx *db.Tx, address string) (int64, error)
}

// GroupJoiner adds a person to a group inside the caller's transaction (the
// groups capability implements it; app wires it with SetGroupJoiner). Create
// uses it when Input.GroupID is set.
type GroupJoiner interface {
	AddMember(ctx context.Context, tx *db.Tx, groupID, personID string) error
}

// PersonMover moves another capability's rows about a person when two
// records are merged: from mergeID to keepID, inside the merge's
// transaction, before the merged record is deleted (which would delete
// those rows or lose the person from them). It returns how many rows moved,
// by table, for the audit entry. decisions and events implement it; app
// wires them with AddPersonMover.
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
	groups   GroupJoiner
	movers   []PersonMover
}

var _ Recorder = (*Service)(nil)

// NewService returns the people service.
func NewService(d *db.DB, p *auth.Policy, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, policy: p, log: log, now: db.Now}
}

// SetClock replaces the clock (tests move time by hand).
func (s *Service) SetClock(now func() time.Time) {
	s.now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
}

// SetAccountEraser plugs in account anonymisation for Erase.
func (s *Service) SetAccountEraser(a AccountEraser) { s.accounts = a }

// SetRecipientForgetter plugs in the deletion of stored mail for Erase.
func (s *Service) SetRecipientForgetter(m RecipientForgetter) { s.mail = m }

// SetGroupJoiner plugs in group membership for Create with a GroupID.
func (s *Service) SetGroupJoiner(g GroupJoiner) { s.groups = g }

// AddPersonMover plugs in a capability whose rows follow a person through
// Merge.
func (s *Service) AddPersonMover(m PersonMover) { s.movers = append(s.movers, m) }

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
