package actions

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func insertResponse(ctx context.Context, tx *db.Tx, r *Response, optIn bool, hash any) error {
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return fmt.Errorf("response answers: %w", err)
	}
	var confirmed any
	if !r.ConfirmedAt.IsZero() {
		confirmed = r.ConfirmedAt
	}
	_, err = tx.Exec(ctx, `INSERT INTO action_responses (id, action_id, person_id, comment, answers, email_opt_in, source,
		referrer, created_at, confirmed_at, confirm_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.ActionID, r.PersonID, r.Comment, string(answers), optIn, r.Source, r.Referrer, r.CreatedAt, confirmed, hash)
	if err != nil {
		return fmt.Errorf("insert response: %w", err)
	}
	return nil
}

const responseCols = `r.id, r.action_id, r.person_id, r.comment, r.answers, r.source, r.referrer, r.created_at, r.confirmed_at,
	p.given_name, p.family_name, p.show_name, COALESCE(c.status, ''), COALESCE(p.email, '')`

const responseFrom = ` FROM action_responses r JOIN people p ON p.id = r.person_id
	LEFT JOIN consents c ON c.person_id = r.person_id AND c.channel = 'email'`

func scanResponse(row interface{ Scan(...any) error }) (*Response, error) {
	r := &Response{}
	var answers, consent, email, given, family string
	var confirmed sql.NullTime
	var show bool
	if err := row.Scan(&r.ID, &r.ActionID, &r.PersonID, &r.Comment, &answers, &r.Source, &r.Referrer, &r.CreatedAt,
		&confirmed, &given, &family, &show, &consent, &email); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
		return nil, fmt.Errorf("response %s: answers: %w", r.ID, err)
	}
	if confirmed.Valid {
		r.ConfirmedAt = confirmed.Time
	}
	r.FullName = strings.TrimSpace(given + " " + family)
	if consent == "granted" {
		r.Email = email
	}
	if show && given != "" {
		r.Name = given
		if f, _ := utf8.DecodeRuneInString(family); f != utf8.RuneError {
			r.Name += " " + string(f) + "."
		}
	}
	return r, nil
}

func findResponse(ctx context.Context, q db.Querier, id string) (*Response, error) {
	r, err := scanResponse(q.QueryRow(ctx, `SELECT `+responseCols+responseFrom+` WHERE r.id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, errs.E(errs.NotFound, "There is no such response.")
	}
	if err != nil {
		return nil, fmt.Errorf("find response %s: %w", id, err)
	}
	return r, nil
}

// findResponseOf is a person's response to an action.
func findResponseOf(ctx context.Context, q db.Querier, actionID, personID string) (*Response, error) {
	r, err := scanResponse(q.QueryRow(ctx, `SELECT `+responseCols+responseFrom+` WHERE r.action_id = ? AND r.person_id = ?`,
		actionID, personID))
	if err == sql.ErrNoRows {
		return nil, errs.E(errs.NotFound, "There is no such response.")
	}
	if err != nil {
		return nil, fmt.Errorf("find response: %w", err)
	}
	return r, nil
}

// findPending is the unconfirmed response of a token's hash, and whether
// its email box was ticked.
func findPending(ctx context.Context, tx *db.Tx, hash any) (*Response, bool, error) {
	r := &Response{}
	var optIn bool
	err := tx.QueryRow(ctx, `SELECT id, action_id, person_id, email_opt_in FROM action_responses
		WHERE confirm_hash = ? AND confirmed_at IS NULL`, hash).Scan(&r.ID, &r.ActionID, &r.PersonID, &optIn)
	if err == sql.ErrNoRows {
		return nil, false, linkGone()
	}
	if err != nil {
		return nil, false, fmt.Errorf("find pending response: %w", err)
	}
	return r, optIn, nil
}

// listResponses pages an action's responses newest first; comments keeps
// the confirmed ones with a comment.
func listResponses(ctx context.Context, q db.Querier, actionID, after string, limit int, comments bool) ([]Response, error) {
	where, args := "r.action_id = ?", []any{actionID}
	if comments {
		where += " AND r.confirmed_at IS NOT NULL AND r.comment <> ''"
	}
	if after != "" {
		var at time.Time
		err := q.QueryRow(ctx, `SELECT created_at FROM action_responses WHERE id = ? AND action_id = ?`, after, actionID).Scan(&at)
		if err == sql.ErrNoRows {
			return nil, errs.Fields(map[string]string{"after": "There is no such response in this list."})
		} else if err != nil {
			return nil, fmt.Errorf("list responses: %w", err)
		}
		where += " AND (r.created_at < ? OR (r.created_at = ? AND r.id < ?))"
		args = append(args, at, at, after)
	}
	args = append(args, limit)
	rows, err := q.Query(ctx, `SELECT `+responseCols+responseFrom+` WHERE `+where+
		` ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list responses: %w", err)
	}
	out, err := readResponses(rows)
	if err != nil {
		return nil, fmt.Errorf("list responses: %w", err)
	}
	return out, nil
}

// readResponses reads every row of rows (responseCols) and closes them.
func readResponses(rows *sql.Rows) ([]Response, error) {
	defer rows.Close()
	out := []Response{}
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}
