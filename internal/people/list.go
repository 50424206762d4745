package people

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// listAccess decides what a list, count or export of f shows: admins see
// everyone in full; a group's organisers must filter to their group and
// see its members as AccessGroup.
func (s *Service) listAccess(ctx context.Context, act auth.Action, groupID string) (Access, error) {
	if err := s.can(ctx, act, auth.Resource{Kind: "person", GroupID: groupID}); err != nil {
		return AccessNone, err
	}
	if isAdmin(ctx) {
		return AccessFull, nil
	}
	return AccessGroup, nil
}

// List returns one page of the people matching f, in id order (f.After is
// the cursor, Page.Next the next one), projected for the viewer. Admins may
// list anyone; a group's organisers only with f.GroupID set to their group.
//
// Errors: errs.Invalid (see Filter), errs.Forbidden, errs.Unauthorized.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	a, err := s.listAccess(ctx, ActList, f.GroupID)
	if err != nil {
		return Page{}, err
	}
	if err := f.normalize(); err != nil {
		return Page{}, err
	}
	q := s.db.Q()
	c, err := buildCondition(ctx, q, &f, a != AccessFull)
	if err != nil {
		return Page{}, err
	}
	ps, next, err := selectPage(ctx, q, c, &f, f.After, f.Limit)
	if err != nil {
		return Page{}, err
	}
	page := Page{People: make([]Person, 0, len(ps)), Next: next}
	for _, p := range ps {
		v, _ := Project(p, a)
		page.People = append(page.People, *v)
	}
	return page, nil
}

// Count returns how many people match f (permission as List).
//
// Errors: as List.
func (s *Service) Count(ctx context.Context, f Filter) (int, error) {
	a, err := s.listAccess(ctx, ActList, f.GroupID)
	if err != nil {
		return 0, err
	}
	if err := f.normalize(); err != nil {
		return 0, err
	}
	q := s.db.Q()
	c, err := buildCondition(ctx, q, &f, a != AccessFull)
	if err != nil {
		return 0, err
	}
	return countPeople(ctx, q, c, &f)
}

// Each calls fn for every person matching f, in id order, reading 1,000 at
// a time, each projected for the viewer (an organiser's export holds only
// the contact details the people consented to). It stops at fn's first
// error and returns it. The export is audited with its count. Admins, and
// a group's organisers with f.GroupID set.
//
// Errors: as List, or fn's error.
func (s *Service) Each(ctx context.Context, f Filter, fn func(*Person) error) error {
	a, err := s.listAccess(ctx, ActExport, f.GroupID)
	if err != nil {
		return err
	}
	if err := f.normalize(); err != nil {
		return err
	}
	q := s.db.Q()
	c, err := buildCondition(ctx, q, &f, a != AccessFull)
	if err != nil {
		return err
	}
	n, after := 0, f.After
	for {
		ps, next, err := selectPage(ctx, q, c, &f, after, eachPage)
		if err != nil {
			return err
		}
		for _, p := range ps {
			v, _ := Project(p, a)
			if err := fn(v); err != nil {
				return err
			}
			n++
		}
		if next == "" {
			break
		}
		after = next
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		return audit.Record(ctx, tx, "people.exported", "group", f.GroupID, map[string]any{
			"count": n, "tags": len(f.Tags), "districts": len(f.Districts), "has_text": f.Text != ""})
	})
}

// SaveList saves a filter under a name (an OSDI list): a group's list when
// f.GroupID is set (its organisers may), else the network's (admins).
//
// Errors: errs.Invalid (name, and the filter's fields), errs.Forbidden.
func (s *Service) SaveList(ctx context.Context, name string, f Filter) (*List, error) {
	if _, err := s.listAccess(ctx, ActList, f.GroupID); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxListName {
		return nil, errs.Fields(map[string]string{"name": "Name the list (at most 200 characters)."})
	}
	if err := f.normalize(); err != nil {
		return nil, err
	}
	f.After, f.Limit = "", 0
	js, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("save list: %w", err)
	}
	l := &List{ID: db.NewID(), Name: name, Filter: f, GroupID: f.GroupID, CreatedAt: s.now()}
	if who := auth.PrincipalFrom(ctx); who != nil {
		l.CreatedBy = who.UserID
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO people_lists (id, name, filter, group_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			l.ID, l.Name, string(js), nullStr(l.GroupID), nullStr(l.CreatedBy), l.CreatedAt)
		if err != nil {
			return fmt.Errorf("save list: %w", err)
		}
		return audit.Record(ctx, tx, "people_list.saved", "people_list", l.ID, map[string]any{"group_id": l.GroupID})
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Lists returns a group's saved lists (groupID "" for the network's), by
// name, at most 500.
//
// Errors: errs.Forbidden.
func (s *Service) Lists(ctx context.Context, groupID string) ([]List, error) {
	if _, err := s.listAccess(ctx, ActList, groupID); err != nil {
		return nil, err
	}
	where, args := "group_id IS NULL", []any{}
	if groupID != "" {
		where, args = "group_id = ?", []any{groupID}
	}
	return queryLists(ctx, s.db.Q(), where+" ORDER BY name, id LIMIT 500", args...)
}

// ListByID returns one saved list.
//
// Errors: errs.NotFound, errs.Forbidden.
func (s *Service) ListByID(ctx context.Context, id string) (*List, error) {
	ls, err := queryLists(ctx, s.db.Q(), "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, errs.E(errs.NotFound, "There is no such list.")
	}
	if _, err := s.listAccess(ctx, ActList, ls[0].GroupID); err != nil {
		return nil, err
	}
	return &ls[0], nil
}

func queryLists(ctx context.Context, q db.Querier, where string, args ...any) ([]List, error) {
	rows, err := q.Query(ctx, `SELECT id, name, filter, COALESCE(group_id, ''), COALESCE(created_by, ''), created_at
		FROM people_lists WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("lists: %w", err)
	}
	defer rows.Close()
	var out []List
	for rows.Next() {
		var l List
		var js string
		if err := rows.Scan(&l.ID, &l.Name, &js, &l.GroupID, &l.CreatedBy, &l.CreatedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(js), &l.Filter); err != nil {
			return nil, fmt.Errorf("list %s: filter: %w", l.ID, err)
		}
		l.CreatedAt = l.CreatedAt.UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}
