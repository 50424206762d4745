package events

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// This file holds what Action Network's API (issue 14, apievents) needs
// beyond api_attendance.go: the record attendance helper signing the
// person up through people.SignupTx in the answer's own transaction, a
// person's attendances, and the attendance's single id.

// TxSignups signs a person up inside the caller's transaction
// (people.Service.SignupTx); PeopleGuests is one.
type TxSignups interface {
	SignupTx(ctx context.Context, tx *db.Tx, in people.Signup) (people.SignupResult, error)
}

// SignupTx implements TxSignups with the people service.
func (g PeopleGuests) SignupTx(ctx context.Context, tx *db.Tx, in people.Signup) (people.SignupResult, error) {
	return g.People.SignupTx(ctx, tx, in)
}

// AttendanceID is the single id of a person's answer to an event (not a
// shift): the API's attendance id and the subject of attendance webhooks.
// Answers have no id of their own; this one is stable and has no colon,
// so an identifier "momentum:<id>" ends with it.
func AttendanceID(eventID, personID string) string { return eventID + "." + personID }

// ParseAttendanceID splits an AttendanceID; ok is false for anything else.
func ParseAttendanceID(id string) (eventID, personID string, ok bool) {
	eventID, personID, ok = strings.Cut(id, ".")
	return eventID, personID, ok && eventID != "" && personID != "" && !strings.Contains(personID, ".")
}

// SignupAttendance is Action Network's record attendance helper: in ONE
// transaction the person is matched or created by people.SignupTx (with
// su's tags, consents and custom fields; a new person's source is "event"
// with the event's id), then their answer is recorded as RSVP does (a yes
// to a full event waits for a place) or, with attended, they are checked
// in (also once the event is over). Everything is checked before anything
// is written, and any error rolls the whole back. created is true when
// the person had not answered the event before. status is accepted,
// tentative or declined ("" with attended: accepted).
//
// Errors: errs.Invalid naming the field (status, or people.SignupTx's),
// errs.NotFound (also an event the caller may not see), errs.Forbidden
// (not the event's organisers), errs.Unauthorized, errs.Conflict (an
// answer to an event that is cancelled or over, or an erased person).
func (s *Service) SignupAttendance(ctx context.Context, eventID string, su people.Signup, status string, attended bool, source string) (r *RSVP, created bool, err error) {
	e, err := s.Get(ctx, eventID)
	if err != nil {
		return nil, false, err
	}
	if err := s.can(ctx, ActManage, e); err != nil {
		return nil, false, err
	}
	if status == "" && attended {
		status = Accepted
	}
	if !slices.Contains([]string{Accepted, Tentative, Declined}, status) {
		return nil, false, errs.Fields(map[string]string{"status": "Say accepted, tentative or declined."})
	}
	if attended {
		err = writable(e)
	} else {
		err = s.open(e)
	}
	if err != nil {
		return nil, false, err
	}
	signups, ok := s.guests.(TxSignups)
	if !ok {
		return nil, false, errs.E(errs.Internal, "events: the guests service cannot sign people up in a transaction")
	}
	su.Person.Source, su.Person.SourceDetail = people.SourceEvent, e.ID
	if p := auth.PrincipalFrom(ctx); p != nil && p.TokenGroupID != "" {
		// A group's token signs new people up to its group, whose people
		// it may read.
		su.Person.GroupID = p.TokenGroupID
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := signups.SignupTx(ctx, tx, su)
		if err != nil {
			return err
		}
		old, err := findRSVP(ctx, tx, e.ID, "", res.PersonID)
		if err != nil {
			return err
		}
		created = old == nil
		if attended {
			err = s.checkInTx(ctx, tx, e, res.PersonID, source)
		} else {
			_, err = s.answerTx(ctx, tx, e, res.PersonID, RSVPInput{Status: status, Source: source})
		}
		if err != nil {
			return err
		}
		r, err = findRSVP(ctx, tx, e.ID, "", res.PersonID)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return r, created, nil
}

// APIAttendanceByID returns the answer to an event with id AttendanceID; an
// id that is a person's id is read with eventID as before (the old form
// of the API's attendance URL).
//
// Errors: as APIAttendance.
func (s *Service) APIAttendanceByID(ctx context.Context, eventID, id string) (*RSVP, error) {
	ev, person, ok := ParseAttendanceID(id)
	if !ok {
		return s.APIAttendance(ctx, eventID, id)
	}
	if ev != eventID {
		return nil, errs.E(errs.NotFound, "This attendance is not one of this event's.")
	}
	return s.APIAttendance(ctx, eventID, person)
}

// Attendance returns the answer with id AttendanceID, read as the system:
// what webhook deliveries carry.
//
// Errors: errs.NotFound.
func (s *Service) Attendance(ctx context.Context, id string) (*RSVP, error) {
	ev, person, ok := ParseAttendanceID(id)
	if !ok {
		return nil, errs.E(errs.NotFound, "There is no such attendance.")
	}
	r, err := findRSVP(ctx, s.db.Q(), ev, "", person)
	if err == nil && r == nil {
		err = errs.E(errs.NotFound, "There is no such attendance.")
	}
	return r, err
}

// APIPersonAttendances returns a page of a person's answers to events (not
// shifts), newest first, and how many there are: every event's for a
// network token and admins, a group token's group's events only.
//
// Errors: errs.Forbidden (a signed-in person who is not an admin),
// errs.Unauthorized.
func (s *Service) APIPersonAttendances(ctx context.Context, personID string, offset, limit int) ([]RSVP, int, error) {
	p := auth.PrincipalFrom(ctx)
	where, args := `r.person_id = ? AND r.shift_id = ''`, []any{personID}
	switch {
	case p == nil:
		return nil, 0, errs.E(errs.Unauthorized, "Send an API token in the OSDI-API-Token header.")
	case p.Token:
	case p.TokenGroupID != "":
		where += ` AND e.group_id = ?`
		args = append(args, p.TokenGroupID)
	default:
		if err := s.can(ctx, ActAttendees, nil); err != nil {
			return nil, 0, err
		}
	}
	var total int
	if err := s.db.Q().QueryRow(ctx, `SELECT COUNT(*) FROM event_rsvps r JOIN events e ON e.id = r.event_id WHERE `+where,
		args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count attendances: %w", err)
	}
	limit = min(max(limit, 1), 100)
	rows, err := s.db.Q().Query(ctx, `SELECT r.event_id, r.shift_id, r.person_id, r.status, r.waitlisted_at, r.attended_at, r.source,
		r.created_at, r.updated_at FROM event_rsvps r JOIN events e ON e.id = r.event_id WHERE `+where+`
		ORDER BY r.created_at DESC, r.event_id DESC LIMIT `+fmt.Sprint(limit)+` OFFSET `+fmt.Sprint(max(offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list attendances: %w", err)
	}
	defer rows.Close()
	var out []RSVP
	for rows.Next() {
		r, err := scanRSVP(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *r)
	}
	return out, total, rows.Err()
}
