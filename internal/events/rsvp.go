package events

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// RSVP statuses: OSDI's attendance terms, and the waitlist.
const (
	Accepted   = "accepted"
	Tentative  = "tentative"
	Declined   = "declined"
	Waitlisted = "waitlisted"
)

// RSVP is one person's answer to an event (or to one of its shifts).
type RSVP struct {
	EventID, ShiftID, PersonID string
	Status                     string
	WaitlistedAt, AttendedAt   *time.Time
	Source                     string
	CreatedAt, UpdatedAt       time.Time
}

// RSVPInput is an answer to record.
type RSVPInput struct {
	// PersonID answers for someone else: the event's organisers only.
	// Empty: the signed-in person.
	PersonID string
	// ShiftID answers for one shift; empty for the event itself.
	ShiftID string
	// Status is accepted, tentative or declined. Accepting a full event
	// puts the person on the waitlist.
	Status string
	// Source says where the answer came from ("event page", "api").
	Source string
}

// RSVP records whether someone is coming. Saying yes to a full event (or
// shift) puts them on its waitlist, in the order people asked; saying no
// after yes frees the place for the first person waiting, who is told
// (Notifier.PlaceFreed). Answering again changes the answer; saying yes
// again keeps one's place on the waitlist. Concurrent answers to one event
// are serialised, so the event never has more accepted answers than places.
//
// Errors: errs.Invalid (status, shift), errs.NotFound (the event, or one
// the viewer may not see), errs.Conflict (cancelled or over),
// errs.Forbidden, errs.Unauthorized.
func (s *Service) RSVP(ctx context.Context, eventID string, in RSVPInput) (*RSVP, error) {
	if !slices.Contains([]string{Accepted, Tentative, Declined}, in.Status) {
		return nil, errs.Fields(map[string]string{"status": "Say whether you are coming: yes, maybe or no."})
	}
	e, personID, err := s.answerer(ctx, eventID, in.PersonID)
	if err != nil {
		return nil, err
	}
	return s.answer(ctx, e, personID, in)
}

// answer records personID's answer to e; the caller has checked that it
// may be given.
func (s *Service) answer(ctx context.Context, e *Event, personID string, in RSVPInput) (*RSVP, error) {
	if err := s.open(e); err != nil {
		return nil, err
	}
	var out *RSVP
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		out, err = s.answerTx(ctx, tx, e, personID, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// answerTx records an answer in tx: the waitlist, the promotion of the
// next person waiting, and the confirmation of a new yes.
func (s *Service) answerTx(ctx context.Context, tx *db.Tx, e *Event, personID string, in RSVPInput) (*RSVP, error) {
	now := s.clock()
	var out *RSVP
	err := func() error {
		capacity, err := lockPlaces(ctx, tx, e, in.ShiftID)
		if err != nil {
			return err
		}
		old, err := findRSVP(ctx, tx, e.ID, in.ShiftID, personID)
		if err != nil {
			return err
		}
		r := &RSVP{EventID: e.ID, ShiftID: in.ShiftID, PersonID: personID, Status: in.Status, Source: in.Source,
			CreatedAt: now, UpdatedAt: now}
		if old != nil {
			r.CreatedAt, r.AttendedAt = old.CreatedAt, old.AttendedAt
			r.Source = cmpOr(in.Source, old.Source)
		}
		if in.Status == Accepted {
			switch {
			case old != nil && old.Status == Accepted:
			case old != nil && old.Status == Waitlisted:
				r.Status, r.WaitlistedAt = Waitlisted, old.WaitlistedAt // keep one's place in the queue
			default:
				n, err := countAccepted(ctx, tx, e.ID, in.ShiftID)
				if err != nil {
					return err
				}
				if capacity > 0 && n >= capacity {
					r.Status, r.WaitlistedAt = Waitlisted, &now
				}
			}
		}
		if err := saveRSVP(ctx, tx, r); err != nil {
			return err
		}
		if err := rsvpOutbox(ctx, tx, e, old, r); err != nil { // issue 14: webhooks
			return err
		}
		if old != nil && old.Status == Accepted && r.Status != Accepted {
			if err := s.promote(ctx, tx, e, in.ShiftID, capacity, now); err != nil {
				return err
			}
		}
		if r.Status == Accepted && (old == nil || old.Status != Accepted) {
			if err := s.confirm(ctx, tx, e, in.ShiftID, personID); err != nil {
				return err
			}
		}
		out = r
		return audit.Record(ctx, tx, "events.rsvp", "event", e.ID, map[string]any{"status": r.Status, "shift_id": in.ShiftID})
	}()
	if err != nil {
		return nil, err
	}
	return out, nil
}

// promote gives free places to the people waiting longest, and tells them.
func (s *Service) promote(ctx context.Context, tx *db.Tx, e *Event, shiftID string, capacity int, now time.Time) error {
	for {
		n, err := countAccepted(ctx, tx, e.ID, shiftID)
		if err != nil {
			return err
		}
		if capacity > 0 && n >= capacity {
			return nil
		}
		next, err := firstWaiting(ctx, tx, e.ID, shiftID)
		if err != nil || next == "" {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE event_rsvps SET status = 'accepted', waitlisted_at = NULL, updated_at = ?
			WHERE event_id = ? AND shift_id = ? AND person_id = ?`, now, e.ID, shiftID, next); err != nil {
			return fmt.Errorf("promote from the waitlist: %w", err)
		}
		// issue 14: webhooks hear of the move up from the waitlist.
		if err := rsvpOutbox(ctx, tx, e, &RSVP{Status: Waitlisted}, &RSVP{EventID: e.ID, ShiftID: shiftID, PersonID: next, Status: Accepted}); err != nil {
			return err
		}
		if err := s.notifier.PlaceFreed(ctx, tx, e, next); err != nil {
			return err
		}
	}
}

// answerer loads the event and works out whose answer this is, checking
// that the viewer may give it.
func (s *Service) answerer(ctx context.Context, eventID, personID string) (*Event, string, error) {
	e, err := s.Get(ctx, eventID)
	if err != nil {
		return nil, "", err
	}
	if personID != "" {
		if err := s.can(ctx, ActManage, e); err != nil {
			return nil, "", err
		}
		return e, personID, nil
	}
	if err := s.can(ctx, ActRSVP, e); err != nil {
		return nil, "", err
	}
	p := auth.PrincipalFrom(ctx)
	if p.UserID == "" {
		return nil, "", errs.E(errs.Forbidden, "Only a person can say whether they are coming.")
	}
	id, err := s.persons.PersonIDForUser(ctx, p.UserID)
	return e, id, err
}

// CheckIn marks someone as there, at the door: a host or an organiser does
// it. Attendance goes on the person's timeline as taking part, which feeds
// the engagement ladder. Checking in someone who never answered (a
// walk-in already on record) records their RSVP too.
//
// Errors: errs.Invalid (person_id empty or no such person), errs.NotFound,
// errs.Forbidden, errs.Unauthorized.
func (s *Service) CheckIn(ctx context.Context, eventID, personID string) error {
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return err
	}
	if err := s.mayHost(ctx, e); err != nil {
		return err
	}
	if err := writable(e); err != nil {
		return err
	}
	personID = strings.TrimSpace(personID)
	if personID == "" {
		return noSuchAttendee()
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error { return s.checkInTx(ctx, tx, e, personID, "walk-in") })
	if db.IsForeignKeyViolation(err) {
		// The id came from the door's form: a person merged or erased
		// meanwhile, or a crafted one. Not the server's fault.
		return noSuchAttendee()
	}
	return err
}

// checkInTx is CheckIn's write, in tx (issue 14, apievents: shared with
// the API's record attendance helper); source names a new answer's origin.
func (s *Service) checkInTx(ctx context.Context, tx *db.Tx, e *Event, personID, source string) error {
	now := s.clock()
	old, err := findRSVP(ctx, tx, e.ID, "", personID)
	if err != nil {
		return err
	}
	r := &RSVP{EventID: e.ID, PersonID: personID, Status: Accepted, Source: source, CreatedAt: now, UpdatedAt: now, AttendedAt: &now}
	if old != nil {
		if old.AttendedAt != nil {
			return nil // checked in already
		}
		r.CreatedAt, r.Source = old.CreatedAt, old.Source
	}
	if err := saveRSVP(ctx, tx, r); err != nil {
		return err
	}
	if err := rsvpOutbox(ctx, tx, e, old, r); err != nil { // issue 14: webhooks (check-in)
		return err
	}
	if err := s.recorder.RecordAction(ctx, tx, people.Action{ID: db.NewID(), PersonID: personID, Kind: "event.attended",
		Summary: "Came to " + e.Title, RefType: "event", RefID: e.ID, GroupID: e.GroupID, At: now, Participation: true}); err != nil {
		return err
	}
	return audit.Record(ctx, tx, "events.check_in", "event", e.ID, map[string]any{"person_id": personID})
}

// noSuchAttendee is CheckIn's answer to an empty or unknown person_id.
func noSuchAttendee() error {
	return &errs.Error{Code: errs.Invalid, Message: "There is no such person to check in (person_id): search again and choose them from the list.",
		Fields: map[string]string{"person_id": "Choose the person from the list."}}
}

// RSVPs lists the answers to an event, waitlist in order: for its hosts
// and the group's organisers.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) RSVPs(ctx context.Context, eventID string) ([]RSVP, error) {
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return nil, err
	}
	if err := s.mayHost(ctx, e); err != nil {
		return nil, err
	}
	return listRSVPs(ctx, s.db.Q(), eventID)
}

// mayHost allows the event's hosts and those who may see its attendees.
func (s *Service) mayHost(ctx context.Context, e *Event) error {
	err := s.can(ctx, ActAttendees, e)
	if err == nil || !errs.Is(err, errs.Forbidden) {
		return err
	}
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return err
	}
	id, perr := s.persons.PersonIDForUser(ctx, p.UserID)
	if perr != nil {
		return perr
	}
	if host, herr := isHost(ctx, s.db.Q(), e.ID, id); herr != nil || host {
		return herr
	}
	return err
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
