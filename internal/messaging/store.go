package messaging

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// The SQL of broadcasts and settings; store_recipients.go has the
// recipients'. Every helper takes a db.Querier: a transaction or d.Q().

const broadcastCols = `id, channel, COALESCE(group_id, ''), status, subject, body, from_name, reply_to, targets, track,
	send_at, created_by, created_at, updated_at, approved_by, approved_at, started_at, finished_at, recipients`

func scanBroadcast(row interface{ Scan(...any) error }) (*Broadcast, error) {
	b := &Broadcast{}
	var targets string
	var sendAt, approvedAt, startedAt, finishedAt sql.NullTime
	err := row.Scan(&b.ID, &b.Channel, &b.GroupID, &b.Status, &b.Subject, &b.Body, &b.FromName, &b.ReplyTo, &targets, &b.Track,
		&sendAt, &b.CreatedBy, &b.CreatedAt, &b.UpdatedAt, &b.ApprovedBy, &approvedAt, &startedAt, &finishedAt, &b.Recipients)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(targets), &b.Targets); err != nil {
		return nil, fmt.Errorf("broadcast %s: targets: %w", b.ID, err)
	}
	b.SendAt, b.ApprovedAt, b.StartedAt, b.FinishedAt = utc(sendAt), utc(approvedAt), utc(startedAt), utc(finishedAt)
	b.CreatedAt, b.UpdatedAt = b.CreatedAt.UTC(), b.UpdatedAt.UTC()
	return b, nil
}

func utc(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// getBroadcast reads one broadcast; lock takes its row for the rest of the
// transaction on PostgreSQL (SQLite has one writer already).
func getBroadcast(ctx context.Context, q db.Querier, id string, lock bool) (*Broadcast, error) {
	query := `SELECT ` + broadcastCols + ` FROM broadcasts WHERE id = ?`
	if lock && q.Dialect() == db.Postgres {
		query += ` FOR UPDATE`
	}
	b, err := scanBroadcast(q.QueryRow(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	} else if err != nil {
		return nil, fmt.Errorf("get broadcast %s: %w", id, err)
	}
	return b, nil
}

func insertBroadcast(ctx context.Context, q db.Querier, b *Broadcast) error {
	ts, err := json.Marshal(b.Targets)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `INSERT INTO broadcasts (id, channel, group_id, status, subject, body, from_name, reply_to, targets, track,
		send_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.Channel, nullStr(b.GroupID), b.Status, b.Subject, b.Body, b.FromName, b.ReplyTo, string(ts), b.Track,
		nullTime(b.SendAt), b.CreatedBy, b.CreatedAt, b.UpdatedAt)
	if err != nil {
		return fmt.Errorf("insert broadcast: %w", err)
	}
	return nil
}

// updateBroadcast writes every field that changes after creation.
func updateBroadcast(ctx context.Context, q db.Querier, b *Broadcast) error {
	ts, err := json.Marshal(b.Targets)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `UPDATE broadcasts SET channel = ?, group_id = ?, status = ?, subject = ?, body = ?, from_name = ?,
		reply_to = ?, targets = ?, track = ?, send_at = ?, updated_at = ?, approved_by = ?, approved_at = ?, started_at = ?,
		finished_at = ?, recipients = ? WHERE id = ?`,
		b.Channel, nullStr(b.GroupID), b.Status, b.Subject, b.Body, b.FromName, b.ReplyTo, string(ts), b.Track,
		nullTime(b.SendAt), b.UpdatedAt, b.ApprovedBy, nullTime(b.ApprovedAt), nullTime(b.StartedAt), nullTime(b.FinishedAt),
		b.Recipients, b.ID)
	if err != nil {
		return fmt.Errorf("update broadcast %s: %w", b.ID, err)
	}
	return nil
}

// listBroadcasts returns a page of broadcasts, newest first (by id, a
// UUIDv7, so by creation), where groups limits them to those groups' (nil:
// all).
func listBroadcasts(ctx context.Context, q db.Querier, f ListFilter, groups []string) ([]Broadcast, string, error) {
	var where []string
	var args []any
	if f.GroupID != "" {
		where, args = append(where, "group_id = ?"), append(args, f.GroupID)
	}
	if groups != nil {
		if len(groups) == 0 {
			return nil, "", nil
		}
		where = append(where, "group_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(groups)), ", ")+")")
		for _, g := range groups {
			args = append(args, g)
		}
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.After != "" {
		where, args = append(where, "id < ?"), append(args, f.After)
	}
	query := `SELECT ` + broadcastCols + ` FROM broadcasts`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	rows, err := q.Query(ctx, query+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, f.Limit+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("list broadcasts: %w", err)
	}
	defer rows.Close()
	var out []Broadcast
	for rows.Next() {
		b, err := scanBroadcast(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, *b)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = out[len(out)-1].ID
	}
	return out, next, nil
}

// organisedGroups returns the groups the user organises.
func organisedGroups(ctx context.Context, q db.Querier, userID string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT gm.group_id FROM group_members gm JOIN people p ON p.id = gm.person_id
		WHERE p.user_id = ? AND gm.role = 'organiser' AND gm.status = 'active' ORDER BY gm.group_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("organised groups: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func getSettings(ctx context.Context, q db.Querier) (Settings, error) {
	var st Settings
	err := q.QueryRow(ctx, `SELECT approve_groups, track FROM messaging_settings WHERE id = 1`).Scan(&st.ApproveGroups, &st.Track)
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{}, nil
	}
	if err != nil {
		return st, fmt.Errorf("messaging settings: %w", err)
	}
	return st, nil
}

func saveSettings(ctx context.Context, q db.Querier, st Settings, now time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO messaging_settings (id, approve_groups, track, updated_at) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET approve_groups = excluded.approve_groups, track = excluded.track, updated_at = excluded.updated_at`,
		st.ApproveGroups, st.Track, now)
	if err != nil {
		return fmt.Errorf("save messaging settings: %w", err)
	}
	return nil
}
