package events

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// issue 16: /events opens on what is coming up, near the viewer when the
// network knows where they live, across the network otherwise.

// Home is where the network knows the signed-in viewer lives.
type Home struct {
	Postcode string // as held: "E8 1DY", or only the district "E8"
	Point    geo.Point
}

// ViewerHome returns where the signed-in viewer lives: their person's
// point, or the centre of their postcode's district. nil: nobody signed in,
// no person, or no place the network can put on a map.
func (s *Service) ViewerHome(ctx context.Context) (*Home, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, nil
	}
	personID, err := s.persons.PersonIDForUser(ctx, p.UserID)
	if errs.Is(err, errs.NotFound) || errors.Is(err, sql.ErrNoRows) || personID == "" {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var postcode, district string
	var lat, lng sql.NullFloat64
	err = s.db.Q().QueryRow(ctx, `SELECT postcode, postcode_district, latitude, longitude FROM people WHERE id = ?`,
		personID).Scan(&postcode, &district, &lat, &lng)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("viewer's home: %w", err)
	}
	h := &Home{Postcode: cmp.Or(postcode, district), Point: geo.Point{Lat: lat.Float64, Lng: lng.Float64}}
	if h.Postcode == "" {
		return nil, nil // a point with no name to say "near" would puzzle
	}
	if lat.Valid && lng.Valid && h.Point.Valid() {
		return h, nil
	}
	d, err := geo.Locate(ctx, s.db.Q(), h.Postcode)
	if err != nil || !d.Centre.Valid() {
		return nil, nil // a district the network cannot place: no home, not an error
	}
	h.Point = d.Centre
	return h, nil
}

// SoonestFilter pages through the events coming up.
type SoonestFilter struct {
	// Kinds keeps only these kinds; empty: all.
	Kinds []string
	// From and To bound when events happen, as in NearFilter: From
	// defaults to now.
	From, To time.Time
	Offset   int
	Limit    int // default 20, at most 100
}

// Soonest lists the events the viewer may see that have not ended and are
// not cancelled, soonest first, online ones included: public events for
// everyone, members' and group events for those who may see them (as Near).
// total counts all the matches, for paging.
//
// Errors: errs.Invalid naming the field (kind).
func (s *Service) Soonest(ctx context.Context, f SoonestFilter) (out []Event, total int, err error) {
	for _, k := range f.Kinds {
		if !slices.Contains(Kinds, k) {
			return nil, 0, errs.Fields(map[string]string{"kind": "Choose among meeting, rally, canvass, phone bank, training and social."})
		}
	}
	f.Limit = min(cmp.Or(f.Limit, 20), 100)
	f.Offset = max(f.Offset, 0)
	if f.From.IsZero() {
		f.From = s.clock()
	}
	where, args, err := s.visibleWhere(ctx)
	if err != nil {
		return nil, 0, err
	}
	// where names events' columns bare: the query has one table.
	cond := `e.status = 'scheduled' AND e.ends_at > ? AND ` + where
	args = append([]any{f.From.UTC()}, args...)
	if !f.To.IsZero() {
		cond += ` AND e.starts_at < ?`
		args = append(args, f.To.UTC())
	}
	if len(f.Kinds) > 0 {
		cond += ` AND e.kind IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(f.Kinds)), ", ") + `)`
		for _, k := range f.Kinds {
			args = append(args, k)
		}
	}
	if err := s.db.Q().QueryRow(ctx, `SELECT COUNT(*) FROM events e WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count upcoming events: %w", err)
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	rows, err := s.db.Q().Query(ctx, `SELECT `+eventCols+` FROM events e WHERE `+cond+
		fmt.Sprintf(` ORDER BY e.starts_at, e.id LIMIT %d OFFSET %d`, f.Limit, f.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("upcoming events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("upcoming events: %w", err)
		}
		out = append(out, *e)
	}
	return out, total, rows.Err()
}
