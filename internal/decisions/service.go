package decisions

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/live"
)

// Service is the only entry to decisions for pages, the API and jobs: it
// checks permission, runs the transaction, writes the audit record.
type Service struct {
	db     *db.DB
	policy *auth.Policy
	log    *slog.Logger
	now    func() time.Time
	live   live.Broker
	remind Reminder
	// key seals pending ballots and keys receipt hashes; it lives outside
	// the database (LoadBallotKey).
	key *BallotKey
	// keyPinned: the database's record of the ballot key is known to be
	// this key (pinBallotKey).
	keyPinned *atomic.Bool
	// gate spaces out the live turnout of each decision (afterVote);
	// shared by copies made with WithClock.
	gate *turnoutGate
	// afterVoter, when set (tests only), runs between recording the voter
	// and recording the ballot, to prove that a failure there leaves
	// neither.
	afterVoter func() error
	// zone is the network's time zone, in which messages give times.
	zone *time.Location
}

// Deps is everything the decisions service needs. Every field is required
// but Log and Now.
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	// Log must never record request bodies: a vote's body holds its
	// ballot token, from which the key makes the receipt code. Default
	// slog.Default().
	Log *slog.Logger
	Now func() time.Time // default db.Now; tests move time by hand
	// Live publishes the turnout to ballot pages after each vote.
	Live live.Broker
	// Reminder mails voters who have not voted a day before the close
	// (MailReminder).
	Reminder Reminder
	// Key is the node's ballot key (LoadBallotKey; every node of a network
	// needs the same one): it seals waiting ballots and keys receipt
	// hashes.
	Key *BallotKey
	// Zone is the network's time zone: the times in refusals ("Voting
	// opens at …") are given in it. Default UTC. issue 16.
	Zone *time.Location
}

// WithClock returns a copy of the service that reads the time from now
// (the demo casts its votes in the past).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// New returns the decisions service, or an error naming the missing
// collaborators.
func New(d Deps) (*Service, error) {
	if err := hook.Need("decisions.New", "DB", d.DB, "Policy", d.Policy, "Live", d.Live, "Reminder", d.Reminder, "Key", d.Key); err != nil {
		return nil, err
	}
	s := &Service{db: d.DB, policy: d.Policy, log: d.Log, now: d.Now, live: d.Live, remind: d.Reminder, key: d.Key,
		keyPinned: new(atomic.Bool), gate: &turnoutGate{stale: map[string]bool{}}}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = db.Now
	}
	if s.zone = d.Zone; s.zone == nil {
		s.zone = time.UTC
	}
	return s, nil
}

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
// not see is "not found". A published decision whose record is public
// (issue 13) anyone may see, signed in or not; on a named vote only
// insiders see who voted what (insider).
func (s *Service) canView(ctx context.Context, d *Decision) error {
	err := s.canViewInside(ctx, d)
	if err != nil && d.PublicRecord && d.Status == StatusPublished &&
		(errs.Is(err, errs.Forbidden) || errs.Is(err, errs.Unauthorized)) {
		return nil
	}
	return err
}

// insider reports whether the viewer sees d as its group's members do, not
// only because its record is public: voters' names on a named vote are for
// insiders.
func (s *Service) insider(ctx context.Context, d *Decision) bool {
	return s.canViewInside(ctx, d) == nil
}

// canViewInside is canView without public records.
func (s *Service) canViewInside(ctx context.Context, d *Decision) error {
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
// (every member; drafts only for admins), the signed-in user's (their
// groups' and, for members, the network's; drafts only their own), or all
// of them (admins).
// Errors: errs.Invalid (no scope given), errs.Forbidden, errs.Unauthorized.
func (s *Service) List(ctx context.Context, f ListFilter) ([]Decision, error) {
	ok, err := s.scope(ctx, &f)
	if err != nil || !ok {
		return nil, err
	}
	return listDecisions(ctx, s.db.Q(), f)
}

// scope checks that the principal may list f's decisions and fills in what
// the store needs; ok is false when the list is empty by rule (drafts one
// may not see).
func (s *Service) scope(ctx context.Context, f *ListFilter) (ok bool, err error) {
	if f.Visible {
		p := auth.PrincipalFrom(ctx)
		switch {
		case s.can(ctx, ActAdvance, &Decision{}) == nil:
			f.All = true
		case p != nil && p.TokenGroupID != "":
			f.GroupID = p.TokenGroupID
		default:
			f.Mine = true
		}
	}
	probe := &Decision{GroupID: f.GroupID}
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
	case f.Mine:
		p := auth.PrincipalFrom(ctx)
		if p == nil || p.UserID == "" {
			return false, errs.E(errs.Unauthorized, "Log in to see your decisions.")
		}
		f.user, f.network, f.drafts = p.UserID, s.can(ctx, ActViewNetwork, probe) == nil, true
	default:
		return false, errs.E(errs.Invalid, "Say whose decisions to list: a group's, yours, the network's or all.")
	}
	if err != nil {
		return false, err
	}
	return !(f.Status == StatusDraft && !f.drafts), nil
}
