package events

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
)

// People finds the person record of an account (the people capability).
type People interface {
	PersonIDForUser(ctx context.Context, userID string) (string, error)
}

// Recorder adds actions to people's timelines in the caller's transaction;
// attendance feeds the engagement ladder through it (*people.Service).
type Recorder interface {
	RecordAction(ctx context.Context, tx *db.Tx, a people.Action) error
}

// Notifier tells people what happened to their RSVP, in the transaction
// given, so a notice is sent exactly when the change is committed;
// MailNotifier does it by mail.
type Notifier interface {
	// PlaceFreed tells someone on the waitlist that they now have a place.
	PlaceFreed(ctx context.Context, tx *db.Tx, e *Event, personID string) error
	// FollowUp thanks the people who came to an event that has ended.
	FollowUp(ctx context.Context, tx *db.Tx, e *Event, personIDs []string) error
	// Confirmed tells someone who just said yes that they are coming
	// (shift names the shift, or is nil), with the token of their "I can't
	// come any more" link. A service message.
	Confirmed(ctx context.Context, tx *db.Tx, e *Event, shift *Shift, personID, cancelToken string) error
	// Changed tells the people who answered yes, maybe or wait for a
	// place that the event's time or place changed; what says which
	// ("time", "place", "time and place"). A service message.
	Changed(ctx context.Context, tx *db.Tx, e *Event, personIDs []string, what string) error
	// Cancelled tells the people who answered yes, maybe or wait for a
	// place that the event is cancelled. A service message.
	Cancelled(ctx context.Context, tx *db.Tx, e *Event, personIDs []string) error
	// Remind reminds the people who said yes or maybe that the event is
	// soon (when is ReminderDay or ReminderHours), each with the token of
	// their "I can't come any more" link. A service message.
	Remind(ctx context.Context, tx *db.Tx, e *Event, when string, rs []Reminder) error
	// HostReport tells an event's hosts, once it is over, who came, who
	// was new and who said yes but did not come.
	HostReport(ctx context.Context, tx *db.Tx, e *Event, hostIDs []string, r HostReport) error
}

// Service is the only entry to events for handlers, jobs and other
// capabilities.
type Service struct {
	db       *db.DB
	policy   *auth.Policy
	persons  People
	recorder Recorder
	notifier Notifier
	guests   Guests
	log      *slog.Logger
	now      func() time.Time
	base     string         // public address, for feeds
	zone     *time.Location // the network's time zone, for events given none
}

// Deps is everything the events service needs. Every field is required but
// Log and Now.
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	Log    *slog.Logger     // default slog.Default()
	Now    func() time.Time // default db.Now; tests move time by hand
	// People finds the person of an account (the people service).
	People People
	// Recorder puts attendance on people's timelines, which feeds the
	// engagement ladder (the people service).
	Recorder Recorder
	// Notifier tells people what happened to their answer (MailNotifier).
	Notifier Notifier
	// Guests finds or creates the person behind a guest (PeopleGuests).
	Guests Guests
	// BaseURL is the site's public address, for calendar feeds.
	BaseURL string
	// Zone is the network's time zone (config.Config.Location): an event
	// created without one is in it, and the pages and API read times
	// without an offset in it.
	Zone *time.Location
}

// New returns the events service, or an error naming the missing
// collaborators.
func New(d Deps) (*Service, error) {
	if err := hook.Need("events.New", "DB", d.DB, "Policy", d.Policy, "People", d.People, "Recorder", d.Recorder,
		"Notifier", d.Notifier, "Guests", d.Guests, "Zone", d.Zone); err != nil {
		return nil, err
	}
	if d.BaseURL == "" {
		return nil, errors.New("events.New: missing BaseURL")
	}
	s := &Service{db: d.DB, policy: d.Policy, persons: d.People, recorder: d.Recorder, notifier: d.Notifier,
		guests: d.Guests, log: d.Log, now: d.Now, base: strings.TrimSuffix(d.BaseURL, "/"), zone: d.Zone}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = db.Now
	}
	return s, nil
}

// Zone is the network's time zone, given to New.
func (s *Service) Zone() *time.Location { return s.zone }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) can(ctx context.Context, act auth.Action, e *Event) error {
	res := auth.Resource{Kind: "event"}
	if e != nil {
		res.ID, res.GroupID = e.ID, e.GroupID
	}
	return s.policy.Can(ctx, auth.PrincipalFrom(ctx), act, res)
}

// Create adds an event to a group (its organisers) or to the network
// (admins), hosted by the creator unless in.Hosts says otherwise.
//
// Errors: errs.Invalid naming the fields, errs.Forbidden,
// errs.Unauthorized.
func (s *Service) Create(ctx context.Context, in Input) (*Event, error) {
	if err := s.can(ctx, ActManage, &Event{GroupID: in.GroupID}); err != nil {
		return nil, err
	}
	if err := s.groupWritable(ctx, in.GroupID); err != nil {
		return nil, err
	}
	start, end, err := in.normalize(s.zone)
	if err != nil {
		return nil, err
	}
	p := auth.PrincipalFrom(ctx)
	now := s.clock()
	e := &Event{ID: db.NewID(), GroupID: in.GroupID, Title: in.Title, Description: in.Description, Kind: in.Kind,
		Start: start, End: end, TimeZone: in.TimeZone, Place: in.Place, OnlineURL: in.OnlineURL, Capacity: in.Capacity,
		Visibility: in.Visibility, RRule: in.RRule, Status: Scheduled, CreatedAt: now, UpdatedAt: now}
	if p != nil && !p.System && !p.Token {
		e.CreatedBy = p.UserID
	}
	hosts := in.Hosts
	if len(hosts) == 0 && e.CreatedBy != "" {
		id, err := s.persons.PersonIDForUser(ctx, e.CreatedBy)
		if err != nil {
			return nil, err
		}
		hosts = []string{id}
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := locate(ctx, tx, e, in.district); err != nil {
			return err
		}
		if err := insertEvent(ctx, tx, e, in.district); err != nil {
			if db.IsForeignKeyViolation(err) {
				// An admin may name any group, so the policy did not look
				// it up: an unknown one surfaces here.
				return errs.Fields(map[string]string{"group": "There is no such group."})
			}
			return err
		}
		if err := setHosts(ctx, tx, e.ID, hosts); err != nil {
			return err
		}
		if err := index(ctx, tx, e.ID); err != nil { // issue 13: search index
			return err
		}
		return audit.Record(ctx, tx, "events.create", "event", e.ID, map[string]any{"group_id": e.GroupID, "kind": e.Kind})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// locate places an event with a postcode but no position at the centre of
// its postcode district (when known), so that "near me" finds it; an event
// with both teaches the district its position if none is known yet.
func locate(ctx context.Context, tx *db.Tx, e *Event, district string) error {
	if district == "" {
		return nil
	}
	if e.Place.Location != nil {
		return geo.SetDistrictIfUnknown(ctx, tx, district, *e.Place.Location, "events")
	}
	d, err := geo.Locate(ctx, tx, district)
	if errors.Is(err, geo.ErrUnknownDistrict) {
		return nil
	}
	if err != nil {
		return err
	}
	e.Place.Location = &d.Centre
	return nil
}

// Get returns an event the viewer may see.
//
// Errors: errs.NotFound (also for an event the viewer may not see).
func (s *Service) Get(ctx context.Context, id string) (*Event, error) {
	e, err := findEvent(ctx, s.db.Q(), id)
	if err != nil {
		return nil, err
	}
	if ok, err := s.visible(ctx, e); err != nil || !ok {
		return nil, cmpErr(err, notFound())
	}
	return e, nil
}

// Cancel cancels an event: it stays listed as cancelled (calendars remove
// it), and RSVPs are kept. Those who answered yes, maybe or wait for a
// place are told (Notifier.Cancelled), in the same transaction.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Conflict (already cancelled).
func (s *Service) Cancel(ctx context.Context, id string) error {
	e, err := findEvent(ctx, s.db.Q(), id)
	if err != nil {
		return err
	}
	if err := s.can(ctx, ActManage, e); err != nil {
		return err
	}
	if err := writable(e); err != nil {
		return err
	}
	if e.Status == Cancelled {
		return errs.E(errs.Conflict, "This event is already cancelled.")
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE events SET status = 'cancelled', sequence = sequence + 1, updated_at = ? WHERE id = ?`,
			s.clock(), id); err != nil {
			return err
		}
		if err := s.tellCancelled(ctx, tx, id); err != nil {
			return err
		}
		if err := index(ctx, tx, id); err != nil { // issue 13: search index
			return err
		}
		return audit.Record(ctx, tx, "events.cancel", "event", id, nil)
	})
}

// visible reports whether the viewer may see e: anyone a public event,
// signed-in members a members' event, the group's members a group event;
// organisers and admins always.
func (s *Service) visible(ctx context.Context, e *Event) (bool, error) {
	if e.Visibility == Public {
		return true, nil
	}
	p := auth.PrincipalFrom(ctx)
	if p == nil {
		return false, nil
	}
	if s.can(ctx, ActManage, e) == nil {
		return true, nil
	}
	if p.UserID == "" {
		return false, nil
	}
	personID, err := s.persons.PersonIDForUser(ctx, p.UserID)
	if err != nil {
		return false, err
	}
	if e.Visibility == Members {
		return s.policy.Can(ctx, p, auth.ActMembersArea, auth.Resource{Kind: "event", ID: e.ID}) == nil, nil
	}
	return isGroupMember(ctx, s.db.Q(), e.GroupID, personID)
}

func notFound() error { return errs.E(errs.NotFound, "There is no such event.") }

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
