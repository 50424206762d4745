package people

import (
	"context"
	"fmt"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// Sorts are the columns the people list may be ordered by (issue 16), each
// with its SQL. Only these keys reach a query: input never becomes SQL.
// Every order ends with p.id so pages are stable; people never active sort
// last in both directions.
var Sorts = map[string]string{
	"name":        "lower(p.family_name) %[1]s, lower(p.given_name) %[1]s",
	"joined":      "p.created_at %[1]s",
	"last_active": "p.last_active_at IS NULL, p.last_active_at %[1]s",
}

// DefaultSort is the list's order when none is asked for.
const DefaultSort = "joined"

// ListSorted returns the page of people matching f ordered by sort (a key
// of Sorts), descending when desc, skipping the first offset matches: the
// numbered pages of the people list. f.After is ignored; f.Limit is the
// page size. Permission and projection as List.
//
// Errors: errs.Invalid (see Filter; an unknown sort names "sort"),
// errs.Forbidden, errs.Unauthorized.
func (s *Service) ListSorted(ctx context.Context, f Filter, sort string, desc bool, offset int) ([]Person, error) {
	a, err := s.listAccess(ctx, ActList, f.GroupID)
	if err != nil {
		return nil, err
	}
	if err := f.normalize(); err != nil {
		return nil, err
	}
	order, ok := Sorts[sort]
	if !ok {
		return nil, errs.Fields(map[string]string{"sort": "Sort by name, joined or last_active."})
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	order = fmt.Sprintf(order, dir) + ", p.id " + dir
	offset = max(offset, 0)
	q := s.db.Q()
	c, err := buildCondition(ctx, q, &f, a != AccessFull)
	if err != nil {
		return nil, err
	}
	if c.none {
		return []Person{}, nil
	}
	query := `SELECT ` + personCols
	args := slices.Clone(c.args)
	if f.Near != nil {
		// Distance is checked in Go: read the bounding box's matches in
		// order and page after dropping those too far.
		query += nearCols + ` FROM people p` + nearJoin + ` WHERE ` + c.sql() + ` ORDER BY ` + order
	} else {
		// The page's ids first, sorting and skipping only the columns of
		// the order, then the rows of just those ids.
		query += ` FROM people p WHERE p.id IN (SELECT p.id FROM people p WHERE ` + c.sql() + ` ORDER BY ` + order +
			` LIMIT ? OFFSET ?) ORDER BY ` + order
		args = append(args, f.Limit, offset)
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	var ps []*Person
	skipped := 0
	for rows.Next() {
		var pt geo.Point
		var extra []any
		if f.Near != nil {
			extra = []any{&pt.Lat, &pt.Lng}
		}
		p, err := scanPerson(rows, extra...)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list people: %w", err)
		}
		if f.Near != nil {
			if geo.DistanceKm(*f.Near, pt) > f.WithinKm {
				continue
			}
			if skipped < offset {
				skipped++
				continue
			}
		}
		ps = append(ps, p)
		if len(ps) == f.Limit {
			break
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	if err := loadDetails(ctx, q, ps); err != nil {
		return nil, err
	}
	out := make([]Person, 0, len(ps))
	for _, p := range ps {
		v, _ := Project(p, a)
		out = append(out, *v)
	}
	return out, nil
}
