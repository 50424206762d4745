package events

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// EditView is what the edit page shows: the event, its group's name and
// its shifts.
type EditView struct {
	Event     *Event
	GroupName string
	Shifts    []Shift
}

// Edit returns an event for its edit page: for its group's organisers
// (admins for network events).
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Edit(ctx context.Context, id string) (*EditView, error) {
	e, err := findEvent(ctx, s.db.Q(), id)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActManage, e); err != nil {
		return nil, err
	}
	if err := writable(e); err != nil {
		return nil, err
	}
	v := &EditView{Event: e}
	if e.GroupID != "" {
		if v.GroupName, _, err = groupName(ctx, s, e.GroupID); err != nil {
			return nil, err
		}
	}
	if v.Shifts, err = shiftsOf(ctx, s.db.Q(), e); err != nil {
		return nil, err
	}
	return v, nil
}

// Update changes an event, for its group's organisers (admins for network
// events). The event stays in its group (in.GroupID is ignored); in.Hosts
// nil keeps the hosts. A change of time (start, end, zone, repetition) or
// place (place, address, postcode, position, online link) bumps the
// event's sequence, so calendars take the new version, and tells those who
// answered yes, maybe or wait for a place (Notifier.Changed) in the same
// transaction. More places give them to the people waiting, who are told
// (Notifier.PlaceFreed); fewer places take none away from those who have one.
//
// Errors: errs.Invalid naming the fields, errs.NotFound, errs.Conflict
// (cancelled), errs.Forbidden, errs.Unauthorized.
func (s *Service) Update(ctx context.Context, id string, in Input) (*Event, error) {
	old, err := findEvent(ctx, s.db.Q(), id)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActManage, old); err != nil {
		return nil, err
	}
	if err := writable(old); err != nil {
		return nil, err
	}
	if old.Status == Cancelled {
		return nil, errs.E(errs.Conflict, "A cancelled event cannot be changed.")
	}
	in.GroupID = old.GroupID
	start, end, err := in.normalize(s.zone)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	e := *old
	e.Title, e.Description, e.Kind, e.Start, e.End, e.TimeZone = in.Title, in.Description, in.Kind, start, end, in.TimeZone
	e.Place, e.OnlineURL, e.Capacity, e.Visibility, e.RRule, e.UpdatedAt = in.Place, in.OnlineURL, in.Capacity, in.Visibility, in.RRule, now
	if in.Place.Locality == "" && in.Place.Region == "" && in.Place.Country == "" {
		// The event pages do not edit these (issue 14, apievents): keep them.
		e.Place.Locality, e.Place.Region, e.Place.Country = old.Place.Locality, old.Place.Region, old.Place.Country
	}
	var out *Event
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := lockPlaces(ctx, tx, &e, ""); err != nil {
			return err
		}
		if err := locate(ctx, tx, &e, in.district); err != nil {
			return err
		}
		what := changed(old, &e)
		bump := 0
		if what != "" {
			bump = 1
		}
		var lat, lng, capacity any
		if e.Place.Location != nil {
			lat, lng = e.Place.Location.Lat, e.Place.Location.Lng
		}
		if e.Capacity > 0 {
			capacity = e.Capacity
		}
		if _, err := tx.Exec(ctx, `UPDATE events SET title = ?, description = ?, kind = ?, starts_at = ?, ends_at = ?, time_zone = ?,
			place_name = ?, address = ?, postcode = ?, postcode_district = ?, latitude = ?, longitude = ?, online_url = ?, capacity = ?,
			visibility = ?, rrule = ?, sequence = sequence + ?, updated_at = ?, locality = ?, region = ?, country = ? WHERE id = ?`,
			e.Title, e.Description, e.Kind, e.Start.UTC(), e.End.UTC(), e.TimeZone, e.Place.Name, e.Place.Address, e.Place.Postcode,
			in.district, lat, lng, e.OnlineURL, capacity, e.Visibility, e.RRule, bump, now,
			e.Place.Locality, e.Place.Region, e.Place.Country, e.ID); err != nil {
			return fmt.Errorf("update event %s: %w", e.ID, err)
		}
		if in.Hosts != nil {
			if err := setHosts(ctx, tx, e.ID, in.Hosts); err != nil {
				return err
			}
		}
		fresh, err := findEvent(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if fresh.Waitlisted > 0 && !fresh.Full() {
			if err := s.promote(ctx, tx, fresh, "", fresh.Capacity, now); err != nil {
				return err
			}
			if fresh, err = findEvent(ctx, tx, e.ID); err != nil {
				return err
			}
		}
		if what != "" {
			told, err := answeredIDs(ctx, tx, e.ID)
			if err != nil {
				return err
			}
			if len(told) > 0 {
				if err := s.notifier.Changed(ctx, tx, fresh, told, what); err != nil {
					return err
				}
			}
		}
		out = fresh
		if err := search.Put(ctx, tx, searchDoc(fresh)); err != nil { // issue 13: search index
			return err
		}
		return audit.Record(ctx, tx, "events.update", "event", e.ID, map[string]any{"changed": what})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// changed says what attendees must hear of: "time", "place", "time and
// place", or "".
func changed(old, e *Event) string {
	t := !old.Start.Equal(e.Start) || !old.End.Equal(e.End) || old.TimeZone != e.TimeZone || old.RRule != e.RRule
	p := old.Place.Name != e.Place.Name || old.Place.Address != e.Place.Address || old.Place.Postcode != e.Place.Postcode ||
		old.OnlineURL != e.OnlineURL || (old.Place.Location == nil) != (e.Place.Location == nil) ||
		old.Place.Location != nil && e.Place.Location != nil && *old.Place.Location != *e.Place.Location
	switch {
	case t && p:
		return "time and place"
	case t:
		return "time"
	case p:
		return "place"
	}
	return ""
}

// answeredIDs are the people who said yes or maybe to an event or one of
// its shifts, or wait for a place: those told of changes.
func answeredIDs(ctx context.Context, q db.Querier, eventID string) ([]string, error) {
	return queryIDs(ctx, q, `SELECT DISTINCT person_id FROM event_rsvps WHERE event_id = ?
		AND status IN ('accepted', 'tentative', 'waitlisted') ORDER BY person_id`, eventID)
}

// tellCancelled tells those who answered that the event is cancelled.
func (s *Service) tellCancelled(ctx context.Context, tx *db.Tx, id string) error {
	e, err := findEvent(ctx, tx, id)
	if err != nil {
		return err
	}
	if !e.End.After(s.clock()) {
		return nil // over: nobody is waiting for it any more
	}
	told, err := answeredIDs(ctx, tx, id)
	if err != nil || len(told) == 0 {
		return err
	}
	return s.notifier.Cancelled(ctx, tx, e, told)
}
