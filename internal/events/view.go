package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/ical"
)

// EventView is everything an event's page shows, decided for the viewer.
type EventView struct {
	Event *Event
	// GroupName and GroupSlug name the group holding the event ("" for a
	// network event).
	GroupName, GroupSlug string
	// GroupArchivedAt is when the group was archived (zero: it is not);
	// the event is then kept as a record, read-only (issue 13).
	GroupArchivedAt time.Time
	// Mine is the viewer's answer (nil: none, or not signed in).
	Mine *RSVP
	// CanManage: the group's organisers and admins (cancel). CanHost: they
	// and the event's hosts (check-in).
	CanManage, CanHost bool
	// Shifts are the event's volunteer shifts; MyShifts the viewer's
	// answers to them, by shift id.
	Shifts   []Shift
	MyShifts map[string]string
}

// View gathers an event's page for the viewer.
//
// Errors: errs.NotFound (also for an event the viewer may not see).
func (s *Service) View(ctx context.Context, id string) (*EventView, error) {
	e, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &EventView{Event: e}
	if e.GroupID != "" {
		if v.GroupName, v.GroupSlug, err = groupName(ctx, s, e.GroupID); err != nil {
			return nil, err
		}
		if e.GroupArchived {
			var at sql.NullTime
			if err := s.db.Q().QueryRow(ctx, `SELECT archived_at FROM groups WHERE id = ?`, e.GroupID).Scan(&at); err != nil {
				return nil, fmt.Errorf("group of event: %w", err)
			}
			v.GroupArchivedAt = at.Time.UTC()
		}
	}
	if v.Shifts, err = shiftsOf(ctx, s.db.Q(), e); err != nil {
		return nil, err
	}
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return v, nil
	}
	if v.CanManage, err = allowed(s.can(ctx, ActManage, e)); err != nil {
		return nil, err
	}
	if v.CanHost, err = allowed(s.mayHost(ctx, e)); err != nil {
		return nil, err
	}
	if e.GroupArchived { // read-only: nothing to manage or check in
		v.CanManage, v.CanHost = false, false
	}
	personID, err := s.persons.PersonIDForUser(ctx, p.UserID)
	if err != nil && !errs.Is(err, errs.NotFound) && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if personID != "" {
		if v.Mine, err = findRSVP(ctx, s.db.Q(), e.ID, "", personID); err != nil {
			return nil, err
		}
		if len(v.Shifts) > 0 {
			if v.MyShifts, err = myShiftAnswers(ctx, s.db.Q(), e.ID, personID); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// allowed turns a refusal into false.
func allowed(err error) (bool, error) {
	switch {
	case err == nil:
		return true, nil
	case errs.Is(err, errs.Forbidden), errs.Is(err, errs.Unauthorized):
		return false, nil
	}
	return false, err
}

// CreateForm checks that the viewer may create an event for the group (its
// organisers) or, with groupID "", for the network (admins), and returns the
// group's name for the form's heading.
//
// Errors: errs.NotFound (no such group), errs.Forbidden, errs.Unauthorized.
func (s *Service) CreateForm(ctx context.Context, groupID string) (string, error) {
	if err := s.can(ctx, ActManage, &Event{GroupID: groupID}); err != nil {
		return "", err
	}
	if err := s.groupWritable(ctx, groupID); err != nil {
		return "", err
	}
	if groupID == "" {
		return "", nil
	}
	name, _, err := groupName(ctx, s, groupID)
	return name, err
}

func groupName(ctx context.Context, s *Service, groupID string) (name, slug string, err error) {
	err = s.db.Q().QueryRow(ctx, `SELECT name, slug FROM groups WHERE id = ?`, groupID).Scan(&name, &slug)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", errs.E(errs.NotFound, "There is no such group.")
	}
	if err != nil {
		return "", "", fmt.Errorf("group of event: %w", err)
	}
	return name, slug, nil
}

// Attendee is one person who answered, as the check-in page shows them:
// names only.
type Attendee struct {
	PersonID   string
	Name       string
	Status     string
	AttendedAt *time.Time
	// WalkIn: they came without having answered (issue 16).
	WalkIn bool
}

// attendeeLimit bounds the check-in list; a search narrows it.
const attendeeLimit = 500

// Attendees lists who answered the event (not those who said no), by name,
// for its hosts and the group's organisers at the door; search keeps the
// names containing it.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Attendees(ctx context.Context, eventID, search string) (*Event, []Attendee, error) {
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.mayHost(ctx, e); err != nil {
		return nil, nil, err
	}
	q := `SELECT r.person_id, p.given_name, p.family_name, r.status, r.attended_at, r.source
		FROM event_rsvps r JOIN people p ON p.id = r.person_id
		WHERE r.event_id = ? AND r.shift_id = '' AND (r.status <> 'declined' OR r.attended_at IS NOT NULL)`
	args := []any{e.ID}
	if search = strings.ToLower(strings.Join(strings.Fields(search), " ")); search != "" {
		q += ` AND LOWER(p.given_name || ' ' || p.family_name) LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(search)+"%")
	}
	q += ` ORDER BY LOWER(p.given_name), LOWER(p.family_name), r.person_id LIMIT ` + fmt.Sprint(attendeeLimit)
	rows, err := s.db.Q().Query(ctx, q, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("attendees: %w", err)
	}
	defer rows.Close()
	var out []Attendee
	for rows.Next() {
		var a Attendee
		var given, family string
		var at sql.NullTime
		var source string // issue 16: walk-ins
		if err := rows.Scan(&a.PersonID, &given, &family, &a.Status, &at, &source); err != nil {
			return nil, nil, err
		}
		a.WalkIn = source == WalkInSource
		a.Name = strings.TrimSpace(given + " " + family)
		if at.Valid {
			t := at.Time.UTC()
			a.AttendedAt = &t
		}
		out = append(out, a)
	}
	return e, out, rows.Err()
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// MyEvent is an event the signed-in person answered, with their answer.
type MyEvent struct {
	Event
	Answer string // accepted, tentative or waitlisted
}

// MyEvents lists the events the signed-in person said they would (or
// might) come to, or wait for a place at, that have not ended: soonest
// first. Nobody signed in: none.
func (s *Service) MyEvents(ctx context.Context, limit int) ([]MyEvent, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, nil
	}
	personID, err := s.persons.PersonIDForUser(ctx, p.UserID)
	if errs.Is(err, errs.NotFound) || errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), 100)
	rows, err := s.db.Q().Query(ctx, `SELECT `+eventCols+`, r.status FROM events e
		JOIN event_rsvps r ON r.event_id = e.id AND r.shift_id = '' AND r.person_id = ?
		WHERE r.status IN ('accepted', 'tentative', 'waitlisted') AND e.status = 'scheduled' AND e.ends_at > ?
		ORDER BY e.starts_at, e.id LIMIT `+fmt.Sprint(limit), personID, s.clock())
	if err != nil {
		return nil, fmt.Errorf("my events: %w", err)
	}
	defer rows.Close()
	var out []MyEvent
	for rows.Next() {
		var answer string
		e, err := scanEvent(scanPlus{rows, &answer})
		if err != nil {
			return nil, err
		}
		out = append(out, MyEvent{Event: *e, Answer: answer})
	}
	return out, rows.Err()
}

// scanPlus scans an event's columns and then more.
type scanPlus struct {
	row   interface{ Scan(...any) error }
	extra *string
}

func (s scanPlus) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }

// Upcoming lists a group's scheduled events that have not ended and that
// the viewer may see, soonest first: for the group's page.
func (s *Service) Upcoming(ctx context.Context, groupID string, limit int) ([]Event, error) {
	where, args, err := s.visibleWhere(ctx)
	if err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), 100)
	rows, err := s.db.Q().Query(ctx, `SELECT `+eventCols+` FROM events e
		WHERE e.group_id = ? AND e.status = 'scheduled' AND e.ends_at > ? AND `+where+`
		ORDER BY e.starts_at, e.id LIMIT `+fmt.Sprint(limit), append([]any{groupID, s.clock()}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("upcoming events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// GroupCalendar is the calendar of a group's events the viewer may see,
// found by the group's slug and named after it: the feed at
// /groups/{slug}/events.ics.
//
// Errors: errs.NotFound when the group does not exist.
func (s *Service) GroupCalendar(ctx context.Context, slug string) (*ical.Calendar, error) {
	var id, name string
	err := s.db.Q().QueryRow(ctx, `SELECT id, name FROM groups WHERE slug = ?`, slug).Scan(&id, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "There is no such group.")
	}
	if err != nil {
		return nil, fmt.Errorf("group calendar: %w", err)
	}
	return s.GroupFeed(ctx, id, name+" events")
}
