// Package audit is Momentum's append-only record of who did what to which
// record. Services call Record inside the transaction of the write they
// audit, so the record and the change commit or roll back together. The actor
// and request id come from the context (package reqctx). Admins read the log
// through List.
//
// It imports only platform/db and platform/reqctx.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// Entry is one audited write.
type Entry struct {
	ID         string
	At         time.Time
	ActorID    string
	ActorLabel string
	Action     string // "<noun>.<verb>", e.g. "user.signup"
	TargetType string // "user", "session", "group"…
	TargetID   string
	RequestID  string
	Details    map[string]any
}

// Record appends an entry in the caller's transaction (or on the database
// when q is a *db.DB's Querier). Never put secrets or passwords in details.
func Record(ctx context.Context, q db.Querier, action, targetType, targetID string, details map[string]any) error {
	a := reqctx.ActorFrom(ctx)
	var actorID any
	if a.ID != "" {
		actorID = a.ID
	}
	label := a.Label
	if label == "" {
		label = "system"
	}
	reqID := reqctx.RequestID(ctx)
	if reqID == "" {
		reqID = "-"
	}
	if details == nil {
		details = map[string]any{}
	}
	js, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("audit %s: details: %w", action, err)
	}
	_, err = q.Exec(ctx, `INSERT INTO audit_log (id, at, actor_id, actor_label, action, target_type, target_id, request_id, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		db.NewID(), db.Now(), actorID, label, action, targetType, targetID, reqID, string(js))
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Filter selects audit entries. Empty fields match everything.
type Filter struct {
	ActorID    string
	Action     string // exact, or a prefix ending in "." ("user.")
	TargetType string
	TargetID   string
	RequestID  string
	Since      time.Time
	Until      time.Time
	// Before pages backwards: entries with an id below it (ids sort by time).
	Before string
	Limit  int // default 50, at most 500
}

// List returns entries newest first. The caller checks permission (only
// admins may read the audit log; the admin page's service does).
func List(ctx context.Context, q db.Querier, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.ActorID != "" {
		add("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			add("action LIKE ?", f.Action+"%")
		} else {
			add("action = ?", f.Action)
		}
	}
	if f.TargetType != "" {
		add("target_type = ?", f.TargetType)
	}
	if f.TargetID != "" {
		add("target_id = ?", f.TargetID)
	}
	if f.RequestID != "" {
		add("request_id = ?", f.RequestID)
	}
	if !f.Since.IsZero() {
		add("at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		add("at < ?", f.Until.UTC())
	}
	if f.Before != "" {
		add("id < ?", f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	if limit > 500 {
		limit = 500
	}
	query := `SELECT id, at, COALESCE(actor_id, ''), actor_label, action, target_type, target_id, request_id, details FROM audit_log`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var details string
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorLabel, &e.Action, &e.TargetType, &e.TargetID, &e.RequestID, &details); err != nil {
			return nil, fmt.Errorf("list audit log: %w", err)
		}
		_ = json.Unmarshal([]byte(details), &e.Details)
		out = append(out, e)
	}
	return out, rows.Err()
}
