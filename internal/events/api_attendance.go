package events

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/phone"
)

// APIAttendances returns a page of the answers to an event itself (not its
// shifts), oldest first, and how many there are: for the event's hosts,
// the group's organisers, its group's token and network tokens.
//
// Errors: errs.NotFound (also for an event the caller may not see),
// errs.Forbidden, errs.Unauthorized.
func (s *Service) APIAttendances(ctx context.Context, eventID string, offset, limit int) ([]RSVP, int, error) {
	e, err := s.Get(ctx, eventID)
	if err != nil {
		return nil, 0, err
	}
	if err := s.mayHost(ctx, e); err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.Q().QueryRow(ctx, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ? AND shift_id = ''`, e.ID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count attendances: %w", err)
	}
	limit = min(max(limit, 1), 100)
	rows, err := s.db.Q().Query(ctx, `SELECT `+rsvpCols+` FROM event_rsvps WHERE event_id = ? AND shift_id = ''
		ORDER BY created_at, person_id LIMIT `+fmt.Sprint(limit)+` OFFSET `+fmt.Sprint(max(offset, 0)), e.ID)
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

// APIAttendance returns one person's answer to an event.
//
// Errors: errs.NotFound (no such event or answer, or an event the caller
// may not see), errs.Forbidden, errs.Unauthorized.
func (s *Service) APIAttendance(ctx context.Context, eventID, personID string) (*RSVP, error) {
	e, err := s.Get(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if err := s.mayHost(ctx, e); err != nil {
		return nil, err
	}
	r, err := findRSVP(ctx, s.db.Q(), e.ID, "", personID)
	if err == nil && r == nil {
		err = errs.E(errs.NotFound, "This person has not answered this event.")
	}
	return r, err
}

// Attendance is what the record attendance helper records: who (found by
// email, else phone, or created), their answer and whether they came.
type Attendance struct {
	Name     string
	Email    string
	Phone    string
	Postcode string
	// EmailConsent grants email consent with ConsentWording, word for word:
	// only when the client sent it.
	EmailConsent   bool
	ConsentWording string
	// Status is accepted, tentative or declined; empty with Attended.
	Status string
	// Attended checks the person in (also after the event); false records
	// the answer only and does not undo a check-in.
	Attended bool
	// Source names the client, for the person's consent record ("api: hub").
	Source string
}

// check trims the fields; errors name them (name, email, phone, postcode,
// status, consent).
func (a *Attendance) check() error {
	bad := map[string]string{}
	a.Name = strings.Join(strings.Fields(a.Name), " ")
	if utf8.RuneCountInString(a.Name) > 200 {
		bad["name"] = "Keep the name under 200 characters."
	}
	a.Email = strings.ToLower(strings.TrimSpace(a.Email))
	if a.Email != "" {
		if m, err := mail.ParseAddress(a.Email); err != nil || m.Address != a.Email || !strings.Contains(a.Email[strings.LastIndex(a.Email, "@")+1:], ".") {
			bad["email"] = "Enter an email address like name@example.org."
		}
	}
	if a.Phone = strings.TrimSpace(a.Phone); a.Phone != "" {
		n, err := phone.Normalize(a.Phone, "GB")
		if err != nil {
			bad["phone"] = "Enter a phone number like 07700 900123 or +44 7700 900123."
		}
		a.Phone = n
	}
	if a.Email == "" && a.Phone == "" && bad["email"] == "" && bad["phone"] == "" {
		bad["email"] = "Give the person's email address or phone number."
	}
	if pc := strings.TrimSpace(a.Postcode); pc != "" {
		norm, _, ok := geo.NormalizePostcode(pc)
		if !ok {
			bad["postcode"] = "Enter a UK postcode like E8 1DY."
		}
		a.Postcode = norm
	}
	if a.Status == "" && a.Attended {
		a.Status = Accepted
	}
	if !slices.Contains([]string{Accepted, Tentative, Declined}, a.Status) {
		bad["status"] = "Say accepted, tentative or declined."
	}
	a.ConsentWording = strings.TrimSpace(a.ConsentWording)
	if a.EmailConsent && (a.ConsentWording == "" || a.Email == "") {
		bad["consent"] = "Email consent needs the email address and the words the person agreed to."
	}
	return errs.Fields(bad)
}

// RecordAttendance is OSDI's record attendance helper: it finds the person
// by email, else phone, or creates them as a supporter, through the same
// person-signup path as guests on the event's page (Guests), granting email
// consent only when a.EmailConsent; then records their answer as RSVP does
// (a yes to a full event waits for a place) or, with a.Attended, checks
// them in as at the door (also once the event is over). created is true
// when the person had not answered the event before.
//
// Errors: errs.Invalid naming the fields (see Attendance.check),
// errs.NotFound (also an event the caller may not see), errs.Forbidden
// (not the event's organisers), errs.Unauthorized, errs.Conflict (an answer
// without attendance to an event that is cancelled or over).
func (s *Service) RecordAttendance(ctx context.Context, eventID string, a Attendance) (r *RSVP, created bool, err error) {
	e, err := s.Get(ctx, eventID)
	if err != nil {
		return nil, false, err
	}
	if err := s.can(ctx, ActManage, e); err != nil {
		return nil, false, err
	}
	if err := a.check(); err != nil {
		return nil, false, err
	}
	if !a.Attended {
		if err := s.open(e); err != nil {
			return nil, false, err
		}
	}
	personID, err := s.guests.SignupGuest(ctx, Guest{Name: a.Name, Email: a.Email, Phone: a.Phone, Postcode: a.Postcode,
		EmailConsent: a.EmailConsent, ConsentWording: a.ConsentWording, EventID: e.ID, Source: a.Source})
	if err != nil {
		return nil, false, err
	}
	old, err := findRSVP(ctx, s.db.Q(), e.ID, "", personID)
	if err != nil {
		return nil, false, err
	}
	if a.Attended {
		err = s.CheckIn(ctx, e.ID, personID)
	} else {
		_, err = s.answer(ctx, e, personID, RSVPInput{Status: a.Status, Source: "api"})
	}
	if err != nil {
		return nil, false, err
	}
	r, err = findRSVP(ctx, s.db.Q(), e.ID, "", personID)
	return r, old == nil, err
}
