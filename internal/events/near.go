package events

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// NearFilter asks for the events near a place.
type NearFilter struct {
	Point geo.Point
	// Postcode, when Point is not given, searches near the centre of the
	// postcode's district.
	Postcode string
	WithinKm float64 // default 25, at most 200
	// Kinds keeps only these kinds; empty: all.
	Kinds []string
	// From and To bound when events happen: an event is kept if it has not
	// ended by From and starts before To. From defaults to now; To to no
	// limit.
	From, To time.Time
	Offset   int
	Limit    int // default 20, at most 100
}

// NearEvent is an event and how far it is.
type NearEvent struct {
	Event
	DistanceKm float64
}

// Near lists the events the viewer may see within a distance of a point
// (or of a postcode), nearest first (then soonest): public events for
// everyone, members' events for the network's members, group events for
// the group's members. Online events and events with no known place are not
// "near" anything and are left out. total counts all the matches, for
// paging.
//
// Errors: errs.Invalid naming the field (postcode, kind, within_km).
func (s *Service) Near(ctx context.Context, f NearFilter) (out []NearEvent, total int, err error) {
	if !f.Point.Valid() && strings.TrimSpace(f.Postcode) != "" {
		if _, _, ok := geo.NormalizePostcode(f.Postcode); !ok {
			return nil, 0, errs.Fields(map[string]string{"postcode": "Enter a UK postcode like E8 1DY."})
		}
		d, err := geo.Locate(ctx, s.db.Q(), f.Postcode)
		if errors.Is(err, geo.ErrUnknownDistrict) {
			return nil, 0, errs.Fields(map[string]string{"postcode": "We do not know where " + d.Code + " is yet: try a neighbouring postcode."})
		}
		if err != nil {
			return nil, 0, err
		}
		f.Point = d.Centre
	}
	if !f.Point.Valid() {
		return nil, 0, errs.Fields(map[string]string{"postcode": "Give a postcode or a place to search near."})
	}
	for _, k := range f.Kinds {
		if !slices.Contains(Kinds, k) {
			return nil, 0, errs.Fields(map[string]string{"kind": "Choose among meeting, rally, canvass, phone bank, training and social."})
		}
	}
	f.WithinKm = cmp.Or(f.WithinKm, 25)
	if f.WithinKm < 0 || f.WithinKm > 200 {
		return nil, 0, errs.Fields(map[string]string{"within_km": "Search within 1 to 200 km."})
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
	lo, hi := geo.BoundingBox(f.Point, f.WithinKm)
	q := `SELECT id, latitude, longitude, starts_at FROM events
		WHERE latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ? AND status = 'scheduled' AND ends_at > ? AND ` + where
	args = append([]any{lo.Lat, hi.Lat, lo.Lng, hi.Lng, f.From.UTC()}, args...)
	if !f.To.IsZero() {
		q += ` AND starts_at < ?`
		args = append(args, f.To.UTC())
	}
	if len(f.Kinds) > 0 {
		q += ` AND kind IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(f.Kinds)), ", ") + `)`
		for _, k := range f.Kinds {
			args = append(args, k)
		}
	}
	type hit struct {
		id    string
		km    float64
		start time.Time
	}
	var hits []hit
	rows, err := s.db.Q().Query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("events near: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h hit
		var p geo.Point
		if err := rows.Scan(&h.id, &p.Lat, &p.Lng, &h.start); err != nil {
			return nil, 0, err
		}
		if h.km = geo.DistanceKm(f.Point, p); h.km <= f.WithinKm {
			hits = append(hits, h)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.km, b.km), a.start.Compare(b.start), cmp.Compare(a.id, b.id))
	})
	total = len(hits)
	page := hits[min(f.Offset, total):min(f.Offset+f.Limit, total)]
	ids := make([]string, len(page))
	for i, h := range page {
		ids[i] = h.id
	}
	byID, err := eventsByID(ctx, s.db.Q(), ids)
	if err != nil {
		return nil, 0, err
	}
	for _, h := range page {
		if e := byID[h.id]; e != nil {
			out = append(out, NearEvent{Event: *e, DistanceKm: h.km})
		}
	}
	return out, total, nil
}

// visibleWhere is the SQL condition for the events the viewer may see in a
// list, and its arguments.
func (s *Service) visibleWhere(ctx context.Context) (string, []any, error) {
	p := auth.PrincipalFrom(ctx)
	switch {
	case p == nil:
		return `visibility = 'public'`, nil, nil
	case p.System || p.Role == auth.RoleAdmin:
		return `1 = 1`, nil, nil
	}
	vis := []string{`'public'`}
	if s.policy.Can(ctx, p, auth.ActMembersArea, auth.Resource{Kind: "event"}) == nil {
		vis = append(vis, `'members'`)
	}
	cond := `(visibility IN (` + strings.Join(vis, ", ") + `)`
	var args []any
	if p.UserID != "" {
		personID, err := s.persons.PersonIDForUser(ctx, p.UserID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return "", nil, err
		}
		if personID != "" {
			cond += ` OR (visibility = 'group' AND group_id IN
				(SELECT group_id FROM group_members WHERE person_id = ? AND status = 'active'))`
			args = append(args, personID)
		}
	}
	return cond + `)`, args, nil
}

// eventsByID loads events with their RSVP counts, keyed by id.
func eventsByID(ctx context.Context, q db.Querier, ids []string) (map[string]*Event, error) {
	out := make(map[string]*Event, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.Query(ctx, `SELECT `+eventCols+` FROM events e WHERE e.id IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("load events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out[e.ID] = e
	}
	return out, rows.Err()
}
