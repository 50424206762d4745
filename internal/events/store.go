package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

const eventCols = `e.id, COALESCE(e.group_id, ''), e.title, e.description, e.kind, e.starts_at, e.ends_at, e.time_zone,
	e.place_name, e.address, e.postcode, e.latitude, e.longitude, e.online_url, COALESCE(e.capacity, 0), e.visibility,
	e.rrule, e.status, e.sequence, COALESCE(e.created_by, ''), e.created_at, e.updated_at,
	(SELECT COUNT(*) FROM event_rsvps r WHERE r.event_id = e.id AND r.shift_id = '' AND r.status = 'accepted'),
	(SELECT COUNT(*) FROM event_rsvps r WHERE r.event_id = e.id AND r.shift_id = '' AND r.status = 'waitlisted'),
	(SELECT COUNT(*) FROM groups g WHERE g.id = e.group_id AND g.status = 'archived'),
	e.locality, e.region, e.country`

func scanEvent(row interface{ Scan(...any) error }) (*Event, error) {
	e := &Event{}
	var lat, lng sql.NullFloat64
	var archived int
	err := row.Scan(&e.ID, &e.GroupID, &e.Title, &e.Description, &e.Kind, &e.Start, &e.End, &e.TimeZone,
		&e.Place.Name, &e.Place.Address, &e.Place.Postcode, &lat, &lng, &e.OnlineURL, &e.Capacity, &e.Visibility,
		&e.RRule, &e.Status, &e.Sequence, &e.CreatedBy, &e.CreatedAt, &e.UpdatedAt, &e.Accepted, &e.Waitlisted,
		&archived, &e.Place.Locality, &e.Place.Region, &e.Place.Country)
	if err != nil {
		return nil, err
	}
	e.GroupArchived = archived > 0
	if lat.Valid && lng.Valid {
		e.Place.Location = &geo.Point{Lat: lat.Float64, Lng: lng.Float64}
	}
	loc, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	e.Start, e.End = e.Start.In(loc), e.End.In(loc)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e, nil
}

func findEvent(ctx context.Context, q db.Querier, id string) (*Event, error) {
	e, err := scanEvent(q.QueryRow(ctx, `SELECT `+eventCols+` FROM events e WHERE e.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound()
	}
	if err != nil {
		return nil, fmt.Errorf("find event %s: %w", id, err)
	}
	return e, nil
}

func insertEvent(ctx context.Context, tx *db.Tx, e *Event, district string) error {
	var lat, lng any
	if e.Place.Location != nil {
		lat, lng = e.Place.Location.Lat, e.Place.Location.Lng
	}
	var capacity, group, creator any
	if e.Capacity > 0 {
		capacity = e.Capacity
	}
	if e.GroupID != "" {
		group = e.GroupID
	}
	if e.CreatedBy != "" {
		creator = e.CreatedBy
	}
	_, err := tx.Exec(ctx, `INSERT INTO events (id, group_id, title, description, kind, starts_at, ends_at, time_zone,
		place_name, address, postcode, postcode_district, latitude, longitude, online_url, capacity, visibility, rrule,
		status, sequence, created_by, created_at, updated_at, locality, region, country)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
		e.ID, group, e.Title, e.Description, e.Kind, e.Start.UTC(), e.End.UTC(), e.TimeZone,
		e.Place.Name, e.Place.Address, e.Place.Postcode, district, lat, lng, e.OnlineURL, capacity, e.Visibility, e.RRule,
		e.Status, creator, e.CreatedAt, e.UpdatedAt, e.Place.Locality, e.Place.Region, e.Place.Country)
	if err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	return nil
}

func setHosts(ctx context.Context, tx *db.Tx, eventID string, personIDs []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM event_hosts WHERE event_id = ?`, eventID); err != nil {
		return fmt.Errorf("set hosts: %w", err)
	}
	for _, id := range personIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO event_hosts (event_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			eventID, id); err != nil {
			return fmt.Errorf("set hosts: %w", err)
		}
	}
	return nil
}

func isHost(ctx context.Context, q db.Querier, eventID, personID string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM event_hosts WHERE event_id = ? AND person_id = ?`, eventID, personID).Scan(&n)
	return n > 0, err
}

func isGroupMember(ctx context.Context, q db.Querier, groupID, personID string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM group_members WHERE group_id = ? AND person_id = ? AND status = 'active'`,
		groupID, personID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("group membership: %w", err)
	}
	return n > 0, nil
}
