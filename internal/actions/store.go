package actions

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

const actionCols = `a.id, a.kind, COALESCE(a.group_id, ''), a.slug, a.title, a.target, a.text, a.goal, a.confirmed_count,
	a.comments, a.questions, a.consent_wording, a.tags, a.thanks_subject, a.thanks_text, a.thanks_page, a.status,
	COALESCE(a.created_by, ''), a.created_at, a.updated_at`

func scanAction(row interface{ Scan(...any) error }) (*Action, error) {
	a := &Action{}
	var questions, tags string
	if err := row.Scan(&a.ID, &a.Kind, &a.GroupID, &a.Slug, &a.Title, &a.Target, &a.Text, &a.Goal, &a.Count,
		&a.Comments, &questions, &a.ConsentWording, &tags, &a.ThanksSubject, &a.ThanksText, &a.ThanksPage, &a.Status,
		&a.CreatedBy, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(questions), &a.Questions); err != nil {
		return nil, fmt.Errorf("action %s: questions: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(tags), &a.Tags); err != nil {
		return nil, fmt.Errorf("action %s: tags: %w", a.ID, err)
	}
	return a, nil
}

func findAction(ctx context.Context, q db.Querier, id string) (*Action, error) {
	a, err := scanAction(q.QueryRow(ctx, `SELECT `+actionCols+` FROM actions a WHERE a.id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, notFound()
	}
	if err != nil {
		return nil, fmt.Errorf("find action %s: %w", id, err)
	}
	return a, nil
}

func findActionBySlugOrID(ctx context.Context, q db.Querier, key string) (*Action, error) {
	a, err := scanAction(q.QueryRow(ctx, `SELECT `+actionCols+` FROM actions a WHERE a.slug = ? OR a.id = ?`,
		strings.ToLower(key), key))
	if err == sql.ErrNoRows {
		return nil, notFound()
	}
	if err != nil {
		return nil, fmt.Errorf("find action %s: %w", key, err)
	}
	return a, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func insertAction(ctx context.Context, tx *db.Tx, a *Action) error {
	qs, _ := json.Marshal(a.Questions)
	tags, _ := json.Marshal(a.Tags)
	_, err := tx.Exec(ctx, `INSERT INTO actions (id, kind, group_id, slug, title, target, text, goal, comments, questions,
		consent_wording, tags, thanks_subject, thanks_text, thanks_page, status, created_by, confirmed_count, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
		a.ID, a.Kind, nullable(a.GroupID), a.Slug, a.Title, a.Target, a.Text, a.Goal, a.Comments, string(qs),
		a.ConsentWording, string(tags), a.ThanksSubject, a.ThanksText, a.ThanksPage, a.Status, nullable(a.CreatedBy),
		a.CreatedAt, a.UpdatedAt)
	return writeErr(err)
}

func updateAction(ctx context.Context, tx *db.Tx, a *Action) error {
	qs, _ := json.Marshal(a.Questions)
	tags, _ := json.Marshal(a.Tags)
	_, err := tx.Exec(ctx, `UPDATE actions SET slug = ?, title = ?, target = ?, text = ?, goal = ?, comments = ?, questions = ?,
		consent_wording = ?, tags = ?, thanks_subject = ?, thanks_text = ?, thanks_page = ?, updated_at = ? WHERE id = ?`,
		a.Slug, a.Title, a.Target, a.Text, a.Goal, a.Comments, string(qs), a.ConsentWording, string(tags),
		a.ThanksSubject, a.ThanksText, a.ThanksPage, a.UpdatedAt, a.ID)
	return writeErr(err)
}

// writeErr turns the constraint errors an organiser can cause into
// errors naming their field.
func writeErr(err error) error {
	switch {
	case err == nil:
		return nil
	case db.IsUniqueViolation(err):
		return &errs.Error{Code: errs.Conflict, Message: "Another petition or form has this address.",
			Fields: map[string]string{"slug": "Another petition or form has this address; choose another."}}
	case db.IsForeignKeyViolation(err):
		return errs.Fields(map[string]string{"group": "There is no such group."})
	}
	return fmt.Errorf("save action: %w", err)
}

// freeSlug returns base, or base-2, base-3… if taken.
func freeSlug(ctx context.Context, q db.Querier, base string) (string, error) {
	rows, err := q.Query(ctx, `SELECT slug FROM actions WHERE slug = ? OR slug LIKE ?`, base, base+"-%")
	if err != nil {
		return "", fmt.Errorf("free slug: %w", err)
	}
	defer rows.Close()
	var taken []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", fmt.Errorf("free slug: %w", err)
		}
		taken = append(taken, s)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	slug := base
	for n := 2; slices.Contains(taken, slug); n++ {
		slug = fmt.Sprintf("%s-%d", base, n)
	}
	return slug, nil
}

// listActions pages through actions, newest first (ids are UUIDv7, so
// id order is creation order). organiserOf, when set, keeps the groups
// that user organises.
func listActions(ctx context.Context, q db.Querier, f Filter, organiserOf string) ([]Action, error) {
	where, args := []string{"1=1"}, []any{}
	if f.GroupID != "" {
		where, args = append(where, "a.group_id = ?"), append(args, f.GroupID)
	}
	if organiserOf != "" {
		where = append(where, `a.group_id IN (SELECT gm.group_id FROM group_members gm JOIN people p ON p.id = gm.person_id
			WHERE p.user_id = ? AND gm.role = 'organiser' AND gm.status = 'active')`)
		args = append(args, organiserOf)
	}
	if f.Kind != "" {
		where, args = append(where, "a.kind = ?"), append(args, f.Kind)
	}
	if f.Status != "" {
		where, args = append(where, "a.status = ?"), append(args, f.Status)
	}
	if f.After != "" {
		where, args = append(where, "a.id < ?"), append(args, f.After)
	}
	args = append(args, f.Limit)
	rows, err := q.Query(ctx, `SELECT `+actionCols+` FROM actions a WHERE `+strings.Join(where, " AND ")+
		` ORDER BY a.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	out, err := readActions(rows)
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	return out, nil
}

// readActions reads every row of rows (actionCols) and closes them.
func readActions(rows *sql.Rows) ([]Action, error) {
	defer rows.Close()
	out := []Action{}
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}
