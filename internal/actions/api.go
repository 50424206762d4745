package actions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// This file is what Action Network's API (package actionsapi; issue 14,
// apievents) needs beyond the pages: page-numbered lists with totals,
// whose deep pages stay fast (the page's first row is found on the
// covering index, then the page is read by keyset from it), and a
// person's responses.

// apiScope is the SQL condition on actions a (and its arguments) bounding
// what the viewer may read through the API: everything for the system,
// network tokens and admins; a group token its group's; an organiser
// their groups'.
func apiScope(ctx context.Context) (string, []any, error) {
	p := auth.PrincipalFrom(ctx)
	switch {
	case p == nil:
		return "", nil, errs.E(errs.Unauthorized, "Send an API token in the OSDI-API-Token header.")
	case p.System || p.Token || p.Role == auth.RoleAdmin:
		return "1 = 1", nil, nil
	case p.TokenGroupID != "":
		return "a.group_id = ?", []any{p.TokenGroupID}, nil
	case p.UserID != "":
		return `a.group_id IN (SELECT gm.group_id FROM group_members gm JOIN people p ON p.id = gm.person_id
			WHERE p.user_id = ? AND gm.role = 'organiser' AND gm.status = 'active')`, []any{p.UserID}, nil
	}
	return "", nil, errs.E(errs.Forbidden, "Only organisers and admins can read petitions and forms through the API.")
}

// APIList returns a page of the actions of kind the viewer may manage,
// newest first, and how many there are.
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (s *Service) APIList(ctx context.Context, kind string, offset, limit int) ([]Action, int, error) {
	scope, args, err := apiScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	where := scope + " AND a.kind = ?"
	args = append(args, kind)
	q := s.d.DB.Q()
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM actions a WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count actions: %w", err)
	}
	limit = min(max(limit, 1), 100)
	rows, err := q.Query(ctx, `SELECT `+actionCols+` FROM actions a WHERE `+where+` ORDER BY a.id DESC LIMIT `+
		fmt.Sprint(limit)+` OFFSET `+fmt.Sprint(max(offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list actions: %w", err)
	}
	out, err := readActions(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list actions: %w", err)
	}
	return out, total, nil
}

// APIResponses returns a page of an action's responses for its organisers,
// newest first, and how many there are. after, when given, is the last
// response of the previous page (the next link's cursor): the page is read
// by keyset from it, as fast at any depth. Otherwise the page's first row
// is found by walking the index (action_id, created_at, id) alone, and the
// page read by keyset from it.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Invalid
// (after names no response of this action).
func (s *Service) APIResponses(ctx context.Context, actionID string, offset, limit int, after string) ([]Response, int, error) {
	a, err := s.Get(ctx, actionID)
	if err != nil {
		return nil, 0, err
	}
	q := s.d.DB.Q()
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM action_responses WHERE action_id = ?`, a.ID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count responses: %w", err)
	}
	limit = min(max(limit, 1), 100)
	if after = strings.TrimSpace(after); after != "" {
		rs, err := listResponses(ctx, q, a.ID, after, limit, false)
		return rs, total, err
	}
	if offset >= total {
		return []Response{}, total, nil
	}
	// The page's first row, found by walking the index alone; then the
	// page is read by keyset from it, with its key as parameters so the
	// index range starts there (a join on the first row made the planner
	// walk the whole list: issue 14, BenchmarkSignaturesPage800).
	var firstID string
	var firstAt time.Time
	err = q.QueryRow(ctx, `SELECT id, created_at FROM action_responses WHERE action_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET `+
		fmt.Sprint(max(offset, 0)), a.ID).Scan(&firstID, &firstAt)
	if errors.Is(err, sql.ErrNoRows) {
		return []Response{}, total, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("page of responses: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT `+responseCols+responseFrom+`
		WHERE r.action_id = ? AND (r.created_at < ? OR (r.created_at = ? AND r.id <= ?))
		ORDER BY r.created_at DESC, r.id DESC LIMIT `+fmt.Sprint(limit), a.ID, firstAt, firstAt, firstID)
	if err != nil {
		return nil, 0, fmt.Errorf("list responses: %w", err)
	}
	out, err := readResponses(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list responses: %w", err)
	}
	return out, total, nil
}

// APIPersonResponses returns a page of a person's responses to actions of
// kind the viewer may manage, newest first, and how many there are.
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (s *Service) APIPersonResponses(ctx context.Context, personID, kind string, offset, limit int) ([]Response, int, error) {
	scope, args, err := apiScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	where := scope + " AND a.kind = ? AND r.person_id = ?"
	args = append(args, kind, strings.TrimSpace(personID))
	q := s.d.DB.Q()
	var total int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM action_responses r JOIN actions a ON a.id = r.action_id WHERE `+where,
		args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count responses: %w", err)
	}
	limit = min(max(limit, 1), 100)
	rows, err := q.Query(ctx, `SELECT `+responseCols+responseFrom+` JOIN actions a ON a.id = r.action_id WHERE `+where+
		` ORDER BY r.created_at DESC, r.id DESC LIMIT `+fmt.Sprint(limit)+` OFFSET `+fmt.Sprint(max(offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list responses: %w", err)
	}
	out, err := readResponses(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list responses: %w", err)
	}
	return out, total, nil
}

// APIResponse returns one response of the action actionID (which the
// viewer must manage), with the action.
//
// Errors: errs.NotFound (also a response of another action),
// errs.Forbidden, errs.Unauthorized.
func (s *Service) APIResponse(ctx context.Context, actionID, id string) (*Action, *Response, error) {
	a, err := s.Get(ctx, actionID)
	if err != nil {
		return nil, nil, err
	}
	r, err := findResponse(ctx, s.d.DB.Q(), id)
	if err != nil {
		return nil, nil, err
	}
	if r.ActionID != a.ID {
		return nil, nil, errs.E(errs.NotFound, "There is no such response.")
	}
	return a, r, nil
}

// ResponseOf returns a response and its action read as the system: what
// webhook deliveries carry.
//
// Errors: errs.NotFound.
func (s *Service) ResponseOf(ctx context.Context, id string) (*Action, *Response, error) {
	r, err := findResponse(ctx, s.d.DB.Q(), id)
	if err != nil {
		return nil, nil, err
	}
	a, err := findAction(ctx, s.d.DB.Q(), r.ActionID)
	if err != nil {
		return nil, nil, err
	}
	return a, r, nil
}
