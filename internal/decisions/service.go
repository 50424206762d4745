package decisions

import (
	"context"
	"log/slog"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Service is the only entry to decisions for pages, the API and jobs: it
// checks permission, runs the transaction, writes the audit record.
type Service struct {
	db     *db.DB
	policy *auth.Policy
	log    *slog.Logger
	now    func() time.Time
	// afterVoter, when set (tests only), runs between recording the voter
	// and recording the ballot, to prove that a failure there leaves
	// neither.
	afterVoter func() error
}

// New returns the decisions service. Never give it a logger that records
// request bodies: a vote's body holds its receipt code.
func New(d *db.DB, p *auth.Policy, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, policy: p, log: log, now: db.Now}
}

// SetClock replaces db.Now, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// clock is the current time in UTC. Opening and closing compare it to
// whole seconds: a vote at closes_at exactly is late.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func resource(d *Decision) auth.Resource {
	return auth.Resource{Kind: "decision", ID: d.ID, GroupID: d.GroupID}
}

func (s *Service) can(ctx context.Context, act auth.Action, d *Decision) error {
	return s.policy.Can(ctx, auth.PrincipalFrom(ctx), act, resource(d))
}

// canManage allows the decision's author (ActEditOwn) and the group's
// organisers (ActManage).
func (s *Service) canManage(ctx context.Context, d *Decision) error {
	p := auth.PrincipalFrom(ctx)
	if p != nil && p.UserID != "" && p.UserID == d.CreatedBy {
		return s.policy.Can(ctx, p, ActEditOwn, auth.Resource{Kind: "decision", ID: d.CreatedBy, GroupID: d.GroupID})
	}
	return s.can(ctx, ActManage, d)
}

// canView allows a group's members (network-wide: every member) to see a
// decision that is past its draft, and also anyone in its electorate;
// drafts only their author and the group's organisers. A draft one may
// not see is "not found".
func (s *Service) canView(ctx context.Context, d *Decision) error {
	if d.Status == StatusDraft {
		if err := s.canManage(ctx, d); err != nil {
			if errs.Is(err, errs.Forbidden) {
				return errs.E(errs.NotFound, "We could not find that decision.")
			}
			return err
		}
		return nil
	}
	act := ActView
	if d.GroupID == "" {
		act = ActViewNetwork
	}
	err := s.can(ctx, act, d)
	if err == nil || !errs.Is(err, errs.Forbidden) {
		return err
	}
	if p := auth.PrincipalFrom(ctx); p != nil && p.UserID != "" && !d.OpenedAt.IsZero() {
		person, perr := personOfUser(ctx, s.db.Q(), p.UserID)
		if perr != nil {
			return perr
		}
		if person != "" {
			in, ierr := inElectorate(ctx, s.db.Q(), d.ID, person)
			if ierr != nil || in {
				return ierr
			}
		}
	}
	return err
}

// notFound turns a store miss into the error users see.
func notFound(err error) error {
	if db.IsNotFound(err) {
		return &errs.Error{Code: errs.NotFound, Message: "We could not find that decision.", Err: err}
	}
	return err
}

// load reads a decision outside a transaction.
func (s *Service) load(ctx context.Context, id string) (*Decision, error) {
	d, err := getDecision(ctx, s.db.Q(), id, noLock)
	return d, notFound(err)
}

// Get returns a decision with its options. Errors: errs.NotFound (also
// for a draft the viewer may not see), errs.Forbidden, errs.Unauthorized.
func (s *Service) Get(ctx context.Context, id string) (*Decision, error) {
	d, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.canView(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// List returns a page of decisions, newest first, without their options:
// a group's (its members; drafts only for its organisers), the network's
// (every member; drafts only for admins), or all of them (admins).
// Errors: errs.Invalid (no scope given), errs.Forbidden, errs.Unauthorized.
func (s *Service) List(ctx context.Context, f ListFilter) ([]Decision, error) {
	probe := &Decision{GroupID: f.GroupID}
	var err error
	switch {
	case f.All:
		err = s.can(ctx, ActAdvance, probe)
		f.drafts = true
	case f.GroupID != "":
		err = s.can(ctx, ActView, probe)
		f.drafts = s.can(ctx, ActManage, probe) == nil
	case f.Network:
		err = s.can(ctx, ActViewNetwork, probe)
		f.drafts = s.can(ctx, ActAdvance, probe) == nil
	default:
		return nil, errs.E(errs.Invalid, "Say whose decisions to list: a group's, the network's or all.")
	}
	if err != nil {
		return nil, err
	}
	if f.Status == StatusDraft && !f.drafts {
		return nil, nil
	}
	return listDecisions(ctx, s.db.Q(), f)
}
