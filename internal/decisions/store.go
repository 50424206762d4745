package decisions

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// decisionCols are read by scanDecision, in its order. The group's name
// comes from the groups table (read-only).
const decisionCols = `d.id, COALESCE(d.group_id, ''), COALESCE(g.name, ''), d.title, d.body, d.kind, d.method,
	d.seats, d.max_points, d.secret, d.status, d.opens_at, d.closes_at, d.scope, d.members_only, d.member_since,
	d.quorum_percent, d.required_num, d.required_den, d.min_rep_category, d.min_rep_seats, d.nomination_threshold,
	d.tie_order, COALESCE(d.created_by, ''), d.outcome, d.electorate_size, d.turnout, d.opened_at, d.closed_at,
	d.published_at, d.created_at, d.updated_at, d.topic, d.public_record,
	COALESCE(g.status, ''), g.archived_at`

const decisionFrom = ` FROM decisions d LEFT JOIN groups g ON g.id = d.group_id`

func scanDecision(row interface{ Scan(...any) error }) (*Decision, error) {
	var d Decision
	var opens, closes, since, opened, closed, published, archived sql.NullTime
	var tie, groupStatus string
	err := row.Scan(&d.ID, &d.GroupID, &d.GroupName, &d.Title, &d.Body, &d.Kind, &d.Method,
		&d.Seats, &d.MaxPoints, &d.Secret, &d.Status, &opens, &closes, &d.Electorate.Scope, &d.Electorate.MembersOnly, &since,
		&d.QuorumPercent, &d.Required.Num, &d.Required.Den, &d.MinRepresentation.Category, &d.MinRepresentation.Seats,
		&d.NominationThreshold, &tie, &d.CreatedBy, &d.Outcome, &d.ElectorateSize, &d.Turnout, &opened, &closed,
		&published, &d.CreatedAt, &d.UpdatedAt, &d.Topic, &d.PublicRecord, &groupStatus, &archived)
	if err != nil {
		return nil, err
	}
	d.OpensAt, d.ClosesAt, d.Electorate.MemberSince = utc(opens), utc(closes), utc(since)
	d.OpenedAt, d.ClosedAt, d.PublishedAt = utc(opened), utc(closed), utc(published)
	if groupStatus == "archived" {
		d.GroupArchivedAt = utc(archived)
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	if tie != "" {
		if err := json.Unmarshal([]byte(tie), &d.tieOrder); err != nil {
			return nil, fmt.Errorf("decision %s: tie order: %w", d.ID, err)
		}
	}
	return &d, nil
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

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Row locks getDecision may take on PostgreSQL. Votes share the row and
// the close takes it exclusively, so a close waits for the votes in flight
// and a vote arriving during the close sees it closed. SQLite needs neither:
// a write transaction holds the whole database.
const (
	noLock    = ""
	shareLock = " FOR SHARE OF d"
	writeLock = " FOR UPDATE OF d"
)

// getDecision reads a decision with its options, taking lock on PostgreSQL.
func getDecision(ctx context.Context, q db.Querier, id string, lock string) (*Decision, error) {
	query := `SELECT ` + decisionCols + decisionFrom + ` WHERE d.id = ?`
	if lock != noLock && q.Dialect() == db.Postgres {
		query += lock
	}
	d, err := scanDecision(q.QueryRow(ctx, query, id))
	if err != nil {
		return nil, db.NotFound(err, "decision "+id)
	}
	if d.Options, err = listOptions(ctx, q, id); err != nil {
		return nil, err
	}
	return d, nil
}

func listOptions(ctx context.Context, q db.Querier, decisionID string) ([]Option, error) {
	rows, err := q.Query(ctx, `SELECT id, position, label, description, category, COALESCE(person_id, '')
		FROM decision_options WHERE decision_id = ? ORDER BY position`, decisionID)
	if err != nil {
		return nil, fmt.Errorf("options of %s: %w", decisionID, err)
	}
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Position, &o.Label, &o.Description, &o.Category, &o.PersonID); err != nil {
			return nil, fmt.Errorf("options of %s: %w", decisionID, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func insertDecision(ctx context.Context, q db.Querier, d *Decision) error {
	_, err := q.Exec(ctx, `INSERT INTO decisions (id, group_id, title, body, kind, method, seats, max_points, secret,
		status, opens_at, closes_at, scope, members_only, member_since, quorum_percent, required_num, required_den,
		min_rep_category, min_rep_seats, nomination_threshold, created_by, created_at, updated_at, topic)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, nullable(d.GroupID), d.Title, d.Body, string(d.Kind), string(d.Method), d.Seats, d.MaxPoints, d.Secret,
		string(d.Status), nullTime(d.OpensAt), nullTime(d.ClosesAt), string(d.Electorate.Scope), d.Electorate.MembersOnly,
		nullTime(d.Electorate.MemberSince), d.QuorumPercent, d.Required.Num, d.Required.Den,
		d.MinRepresentation.Category, d.MinRepresentation.Seats, d.NominationThreshold, nullable(d.CreatedBy),
		d.CreatedAt, d.UpdatedAt, d.Topic)
	if err != nil {
		return fmt.Errorf("insert decision: %w", err)
	}
	return nil
}

// updateDecision writes the fields Update may change.
func updateDecision(ctx context.Context, q db.Querier, d *Decision) error {
	_, err := q.Exec(ctx, `UPDATE decisions SET title = ?, body = ?, method = ?, seats = ?, max_points = ?, secret = ?,
		opens_at = ?, closes_at = ?, scope = ?, members_only = ?, member_since = ?, quorum_percent = ?, required_num = ?,
		required_den = ?, min_rep_category = ?, min_rep_seats = ?, nomination_threshold = ?, updated_at = ?, topic = ? WHERE id = ?`,
		d.Title, d.Body, string(d.Method), d.Seats, d.MaxPoints, d.Secret, nullTime(d.OpensAt), nullTime(d.ClosesAt),
		string(d.Electorate.Scope), d.Electorate.MembersOnly, nullTime(d.Electorate.MemberSince), d.QuorumPercent,
		d.Required.Num, d.Required.Den, d.MinRepresentation.Category, d.MinRepresentation.Seats, d.NominationThreshold,
		d.UpdatedAt, d.Topic, d.ID)
	if err != nil {
		return fmt.Errorf("update decision %s: %w", d.ID, err)
	}
	return nil
}

// replaceOptions deletes a decision's options and inserts opts at
// positions 1, 2, ….
func replaceOptions(ctx context.Context, q db.Querier, decisionID string, opts []Option) error {
	if _, err := q.Exec(ctx, `DELETE FROM decision_options WHERE decision_id = ?`, decisionID); err != nil {
		return fmt.Errorf("options of %s: %w", decisionID, err)
	}
	for i, o := range opts {
		if _, err := q.Exec(ctx, `INSERT INTO decision_options (id, decision_id, position, label, description, category, person_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, db.NewID(), decisionID, i+1, o.Label, o.Description, o.Category, nullable(o.PersonID)); err != nil {
			return fmt.Errorf("options of %s: %w", decisionID, err)
		}
	}
	return nil
}

// setStatus moves a decision to status and stamps the given time column
// ("opened_at", "closed_at"… or "" for none).
func setStatus(ctx context.Context, q db.Querier, id string, st Status, stamp string, now time.Time) error {
	set := `status = ?, updated_at = ?`
	args := []any{string(st), now}
	if stamp != "" {
		set += `, ` + stamp + ` = ?`
		args = append(args, now)
	}
	args = append(args, id)
	if _, err := q.Exec(ctx, `UPDATE decisions SET `+set+` WHERE id = ?`, args...); err != nil {
		return fmt.Errorf("decision %s to %s: %w", id, st, err)
	}
	return nil
}

// ListFilter selects decisions. One of GroupID, Network or All (admins)
// says which; results come newest first, a page at a time.
type ListFilter struct {
	GroupID string
	Network bool // network-wide decisions only
	All     bool // every decision (admins and the system)
	// Mine lists the decisions of the groups the signed-in user is an
	// active member of, and the network's when they may see those; drafts
	// only their own.
	Mine   bool
	Status Status
	// Closed lists only closed and published decisions.
	Closed bool
	// Visible lists what the principal may see: every decision (admins,
	// network tokens), a group token's group, or Mine.
	Visible bool
	Before  string // page backwards: decisions with an id below this
	Offset  int    // skip this many (the API's page numbers)
	Limit   int    // default 50, at most 200
	// drafts includes drafts (set by the service for those who may see them).
	drafts bool
	// user and network are set by the service for Mine.
	user    string
	network bool
}

// decisionWhere is the WHERE clause (with its leading keyword, or "") and
// arguments that select f's decisions.
func decisionWhere(f ListFilter) (string, []any) {
	var where []string
	var args []any
	switch {
	case f.GroupID != "":
		where, args = append(where, "d.group_id = ?"), append(args, f.GroupID)
	case f.Network:
		where = append(where, "d.group_id IS NULL")
	case f.Mine:
		mine := `d.group_id IN (SELECT m.group_id FROM group_members m JOIN people p ON p.id = m.person_id
			WHERE p.user_id = ? AND m.status = 'active')`
		if f.network {
			mine += ` OR d.group_id IS NULL`
		}
		where, args = append(where, "("+mine+")", "(d.status <> 'draft' OR d.created_by = ?)"), append(args, f.user, f.user)
	}
	if f.Closed {
		where = append(where, "d.status IN ('closed', 'published')")
	}
	if f.Status != "" {
		where, args = append(where, "d.status = ?"), append(args, string(f.Status))
	} else if !f.drafts {
		where = append(where, "d.status <> 'draft'")
	}
	if f.Before != "" {
		where, args = append(where, "d.id < ?"), append(args, f.Before)
	}
	if len(where) == 0 {
		return "", args
	}
	return ` WHERE ` + strings.Join(where, " AND "), args
}

// countDecisions counts f's decisions (all pages).
func countDecisions(ctx context.Context, q db.Querier, f ListFilter) (int, error) {
	where, args := decisionWhere(f)
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM decisions d`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count decisions: %w", err)
	}
	return n, nil
}

func listDecisions(ctx context.Context, q db.Querier, f ListFilter) ([]Decision, error) {
	where, args := decisionWhere(f)
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	query := `SELECT ` + decisionCols + decisionFrom + where
	query += fmt.Sprintf(` ORDER BY d.id DESC LIMIT %d OFFSET %d`, limit, max(f.Offset, 0))
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, fmt.Errorf("list decisions: %w", err)
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// dueDecisions lists the ids of decisions whose voting should open
// (discussion or nominations, opens_at passed) or close (voting, closes_at
// passed) at now.
func dueDecisions(ctx context.Context, q db.Querier, now time.Time) (open, close []string, err error) {
	rows, err := q.Query(ctx, `SELECT id, status FROM decisions
		WHERE (status IN ('discussion', 'nominations') AND opens_at <= ?) OR (status = 'voting' AND closes_at <= ?)
		ORDER BY id LIMIT 500`, now, now)
	if err != nil {
		return nil, nil, fmt.Errorf("due decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var st Status
		if err := rows.Scan(&id, &st); err != nil {
			return nil, nil, fmt.Errorf("due decisions: %w", err)
		}
		if st == StatusVoting {
			close = append(close, id)
		} else {
			open = append(open, id)
		}
	}
	return open, close, rows.Err()
}

// storeResults records the count at the close.
func storeResults(ctx context.Context, q db.Querier, d *Decision, resultsJSON []byte, now time.Time) error {
	tie, err := json.Marshal(d.tieOrder)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `UPDATE decisions SET status = 'closed', closed_at = ?, updated_at = ?, outcome = ?, results = ?,
		turnout = ?, tie_order = ? WHERE id = ?`, now, now, d.Outcome, string(resultsJSON), d.Turnout, string(tie), d.ID)
	if err != nil {
		return fmt.Errorf("store results of %s: %w", d.ID, err)
	}
	return nil
}

// storedResults reads the JSON stored at the close.
func storedResults(ctx context.Context, q db.Querier, id string) ([]byte, error) {
	var s sql.NullString
	if err := q.QueryRow(ctx, `SELECT results FROM decisions WHERE id = ?`, id).Scan(&s); err != nil {
		return nil, db.NotFound(err, "results of "+id)
	}
	return []byte(s.String), nil
}
