package people

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// PageStart returns the cursor at which the page starting after the first
// offset people matching f begins: the id of the offset-th match, "" for
// offset 0 and when there are fewer matches (the page is then empty and
// end is true). The API pages by number with it and then reads the page
// by keyset (List with After), so page 800 costs what page 1 does: the
// skipping walks the id index only (people's primary key, person_tags'
// (tag_id, person_id)), never the rows. Permission as List.
//
// Errors: as List.
func (s *Service) PageStart(ctx context.Context, f Filter, offset int) (cursor string, end bool, err error) {
	a, err := s.listAccess(ctx, ActList, f.GroupID)
	if err != nil {
		return "", false, err
	}
	if err := f.normalize(); err != nil {
		return "", false, err
	}
	if offset <= 0 {
		return "", false, nil
	}
	q := s.db.Q()
	c, err := buildCondition(ctx, q, &f, a != AccessFull)
	if err != nil {
		return "", false, err
	}
	if c.none {
		return "", true, nil
	}
	if f.Near != nil {
		// Distance is checked in Go: walk the matches a page at a time.
		after := ""
		for offset > 0 {
			ps, next, err := selectPage(ctx, q, c, &f, after, min(offset, maxLimit))
			if err != nil {
				return "", false, err
			}
			if len(ps) == 0 {
				return "", true, nil
			}
			after, offset = ps[len(ps)-1].ID, offset-len(ps)
			if offset > 0 && next == "" {
				return "", true, nil
			}
		}
		return after, false, nil
	}
	err = q.QueryRow(ctx, `SELECT p.id FROM people p WHERE `+c.sql()+` ORDER BY p.id LIMIT 1 OFFSET ?`,
		append(c.args, offset-1)...).Scan(&cursor)
	if err != nil {
		if db.IsNotFound(err) {
			return "", true, nil
		}
		return "", false, fmt.Errorf("page start: %w", err)
	}
	return cursor, false, nil
}

// Matches reports whether the person with id matches f now (a list's
// item). Permission as List.
//
// Errors: as List.
func (s *Service) Matches(ctx context.Context, f Filter, id string) (bool, error) {
	a, err := s.listAccess(ctx, ActList, f.GroupID)
	if err != nil {
		return false, err
	}
	if err := f.normalize(); err != nil {
		return false, err
	}
	q := s.db.Q()
	c, err := buildCondition(ctx, q, &f, a != AccessFull)
	if err != nil || c.none {
		return false, err
	}
	c.add(`p.id = ?`, id)
	ps, _, err := selectPage(ctx, q, c, &f, "", 1)
	return len(ps) == 1, err
}
