package messaging

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// The exported method set is what the web, API, SMS and tracking work
// builds on (issue 12). Every method checks permission: admins anything; a
// group's organisers their group's broadcasts (rules.go); a broadcast one
// may not see is "not found".

// Service is the only entry to messaging for handlers and jobs.
type Service struct {
	d    Deps
	log  *slog.Logger
	now  func() time.Time
	base string // BaseURL without its final slash
}

// Deps is everything the messaging service needs. Every field is required
// but Log, Now and SiteName (default "Momentum").
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	Jobs   *jobs.Jobs
	Mail   *mail.Service
	Live   live.Broker
	Log    *slog.Logger
	Now    func() time.Time
	// People finds people, their saved lists and their records for a
	// preview (the people service).
	People *people.Service
	// Events answers an event's attendees and the events coming up (the
	// events service, through an adapter in app/build: messaging may not
	// import events).
	Events Events
	// Decisions answers a decision's electorate (likewise).
	Decisions Decisions
	// BaseURL is the site's public address: unsubscribe and tracking links.
	BaseURL string
	// SiteName is the network's name, in the mail template.
	SiteName string
	// Zone is the network's time zone, for scheduled times without one.
	Zone *time.Location
}

// Events is what messaging asks of the events capability.
type Events interface {
	// Attendees returns the people who said yes to an event; withinGroup
	// (when set) keeps that group's active members only, and then its
	// organisers may ask.
	Attendees(ctx context.Context, eventID, withinGroup string) ([]string, error)
	// ComingUp returns up to limit public and members' events that have not
	// started, soonest first: for {{next_event}}.
	ComingUp(ctx context.Context, limit int) ([]UpcomingEvent, error)
}

// UpcomingEvent is an event a broadcast may name as someone's next one.
type UpcomingEvent struct {
	ID, GroupID, Title, Place string
	Start                     time.Time // in the event's own zone
	Point                     *geo.Point
}

// Decisions is what messaging asks of the decisions capability.
type Decisions interface {
	// Electorate returns the people who may vote on a decision;
	// withinGroup as for Events.Attendees.
	Electorate(ctx context.Context, decisionID, withinGroup string) ([]string, error)
}

// New returns the messaging service, or an error naming the missing
// collaborators.
func New(d Deps) (*Service, error) {
	if err := hook.Need("messaging.New", "DB", d.DB, "Policy", d.Policy, "Jobs", d.Jobs, "Mail", d.Mail, "Live", d.Live,
		"People", d.People, "Events", d.Events, "Decisions", d.Decisions, "Zone", d.Zone); err != nil {
		return nil, err
	}
	if d.BaseURL == "" {
		return nil, errors.New("messaging.New: missing BaseURL")
	}
	if d.SiteName == "" {
		d.SiteName = "Momentum" // as auth's mail says it
	}
	s := &Service{d: d, log: d.Log, now: d.Now, base: strings.TrimSuffix(d.BaseURL, "/")}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = db.Now
	}
	return s, nil
}

// Zone is the network's time zone, given to New: handlers read a
// scheduled time typed without an offset in it.
func (s *Service) Zone() *time.Location { return s.d.Zone }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// can asks the policy whether the viewer may do act for a group's
// broadcasts (groupID "": the network's).
func (s *Service) can(ctx context.Context, act auth.Action, groupID string) error {
	return s.d.Policy.Can(ctx, auth.PrincipalFrom(ctx), act, auth.Resource{Kind: "broadcast", GroupID: groupID})
}

// Create saves a draft. Admins for the network; a group's organisers for
// their group, whose targets must all lie inside it.
//
// Errors: errs.Invalid naming the fields, errs.Forbidden (also for a
// target outside the group), errs.NotFound (a list, event or decision
// that does not exist), errs.Unauthorized.
func (s *Service) Create(ctx context.Context, in Input) (*Broadcast, error) {
	if err := s.checkInput(ctx, &in); err != nil {
		return nil, err
	}
	now := s.clock()
	b := &Broadcast{ID: db.NewID(), Status: StatusDraft, CreatedAt: now, UpdatedAt: now}
	b.set(in)
	if p := auth.PrincipalFrom(ctx); p != nil {
		b.CreatedBy = p.UserID
	}
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := insertBroadcast(ctx, tx, b); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "broadcast.created", "broadcast", b.ID, map[string]any{"group_id": b.GroupID, "channel": b.Channel})
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Update changes a draft (or a scheduled broadcast, which goes back to draft).
//
// Errors: as Create, and errs.Conflict once it is sending or sent.
func (s *Service) Update(ctx context.Context, id string, in Input) (*Broadcast, error) {
	old, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.checkInput(ctx, &in); err != nil {
		return nil, err
	}
	var b *Broadcast
	err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		cur, err := getBroadcast(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.Status != StatusDraft && cur.Status != StatusScheduled && cur.Status != StatusApproval {
			return errs.E(errs.Conflict, "This broadcast has started sending and can no longer be changed.")
		}
		b = cur
		b.set(in)
		b.Status, b.SendAt, b.ApprovedBy, b.ApprovedAt, b.UpdatedAt = StatusDraft, time.Time{}, "", time.Time{}, s.clock()
		if err := updateBroadcast(ctx, tx, b); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "broadcast.updated", "broadcast", b.ID, map[string]any{"group_id": b.GroupID, "was": old.Status})
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Get returns one broadcast the viewer may see: admins any, a group's
// organisers their group's. One they may not see is "not found".
//
// Errors: errs.NotFound, errs.Unauthorized.
func (s *Service) Get(ctx context.Context, id string) (*Broadcast, error) {
	if auth.PrincipalFrom(ctx) == nil {
		return nil, s.can(ctx, ActSend, "")
	}
	b, err := getBroadcast(ctx, s.d.DB.Q(), id, false)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActSend, b.GroupID); err != nil {
		if errs.Is(err, errs.Forbidden) {
			return nil, errNotFound
		}
		return nil, err
	}
	return b, nil
}

var errNotFound = errs.E(errs.NotFound, "We could not find that broadcast.")

// ListFilter selects broadcasts for List.
type ListFilter struct {
	GroupID string // "" with admins: every broadcast
	Status  string
	After   string // cursor
	Limit   int
}

// Rendered is a broadcast personalised for one recipient.
type Rendered struct {
	To      string
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
}

// Settings are the network's messaging settings.
type Settings struct {
	ApproveGroups bool // an admin approves group broadcasts before they go
	Track         bool // count opens and clicks
}

// Topic is the live topic a broadcast's progress is published on.
func Topic(id string) string { return "broadcast:" + id }
