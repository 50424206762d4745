package webhooks

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

func insertEndpoint(ctx context.Context, tx *db.Tx, ep *Endpoint, secret string) error {
	_, err := tx.Exec(ctx, `INSERT INTO webhook_endpoints (id, group_id, url, kinds, secret, enabled, description, next_seq, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`, ep.ID, ep.GroupID, ep.URL, strings.Join(ep.Kinds, ","), secret, ep.Enabled,
		ep.Description, ep.CreatedAt, ep.UpdatedAt)
	if err != nil {
		return fmt.Errorf("insert webhook endpoint: %w", err)
	}
	return nil
}

// endpointCols reads an endpoint with its health: pending and failed
// counts, and the latest tried delivery's status, code and error.
const endpointCols = `e.id, e.group_id, e.url, e.kinds, e.enabled, e.description, e.created_at, e.updated_at,
	(SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending'),
	(SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'failed'),
	COALESCE((SELECT d.status FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.attempts > 0 ORDER BY d.seq DESC LIMIT 1), ''),
	COALESCE((SELECT d.last_code FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.attempts > 0 ORDER BY d.seq DESC LIMIT 1), 0),
	COALESCE((SELECT d.last_error FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.attempts > 0 ORDER BY d.seq DESC LIMIT 1), '')`

// listEndpoints lists every endpoint, or the one with id when id is set.
func listEndpoints(ctx context.Context, q db.Querier, id string) ([]Endpoint, error) {
	where, args := "", []any{}
	if id != "" {
		where, args = " WHERE e.id = ?", append(args, id)
	}
	rows, err := q.Query(ctx, `SELECT `+endpointCols+` FROM webhook_endpoints e`+where+` ORDER BY e.group_id, e.url, e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list webhook endpoints: %w", err)
	}
	defer rows.Close()
	var out []Endpoint
	for rows.Next() {
		var ep Endpoint
		var kinds string
		if err := rows.Scan(&ep.ID, &ep.GroupID, &ep.URL, &kinds, &ep.Enabled, &ep.Description, &ep.CreatedAt, &ep.UpdatedAt,
			&ep.Pending, &ep.Failed, &ep.LastStatus, &ep.LastCode, &ep.LastError); err != nil {
			return nil, fmt.Errorf("list webhook endpoints: %w", err)
		}
		ep.Kinds = splitKinds(kinds)
		ep.CreatedAt, ep.UpdatedAt = ep.CreatedAt.UTC(), ep.UpdatedAt.UTC()
		out = append(out, ep)
	}
	return out, rows.Err()
}

func splitKinds(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// target is what the dispatcher and the deliverer need of an endpoint.
type target struct {
	Endpoint
	secret string
}

// enabledTargets lists the enabled endpoints, for the dispatcher.
func enabledTargets(ctx context.Context, q db.Querier) ([]target, error) {
	rows, err := q.Query(ctx, `SELECT id, group_id, url, kinds, secret FROM webhook_endpoints WHERE enabled = ? ORDER BY id`, true)
	if err != nil {
		return nil, fmt.Errorf("webhook endpoints: %w", err)
	}
	defer rows.Close()
	var out []target
	for rows.Next() {
		var t target
		var kinds string
		if err := rows.Scan(&t.ID, &t.GroupID, &t.URL, &kinds, &t.secret); err != nil {
			return nil, err
		}
		t.Kinds, t.Enabled = splitKinds(kinds), true
		out = append(out, t)
	}
	return out, rows.Err()
}

// getTarget reads one endpoint for the deliverer.
func getTarget(ctx context.Context, q db.Querier, id string) (*target, error) {
	var t target
	var kinds string
	err := q.QueryRow(ctx, `SELECT id, group_id, url, kinds, secret, enabled FROM webhook_endpoints WHERE id = ?`, id).
		Scan(&t.ID, &t.GroupID, &t.URL, &kinds, &t.secret, &t.Enabled)
	if err != nil {
		return nil, db.NotFound(err, "webhook endpoint "+id)
	}
	t.Kinds = splitKinds(kinds)
	return &t, nil
}

// nextSeq takes the endpoint's next sequence number (the row's lock
// serialises takers on PostgreSQL; SQLite has one writer).
func nextSeq(ctx context.Context, tx *db.Tx, endpointID string) (int64, error) {
	var seq int64
	err := tx.QueryRow(ctx, `UPDATE webhook_endpoints SET next_seq = next_seq + 1 WHERE id = ? RETURNING next_seq`, endpointID).Scan(&seq)
	if err != nil {
		return 0, db.NotFound(err, "webhook endpoint "+endpointID)
	}
	return seq, nil
}

func insertDelivery(ctx context.Context, tx *db.Tx, d *Delivery) error {
	_, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (id, endpoint_id, seq, event_id, kind, body, status, attempts, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)`, d.ID, d.EndpointID, d.Seq, d.EventID, d.Kind, d.Body, d.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert webhook delivery: %w", err)
	}
	return nil
}

const deliveryCols = `id, endpoint_id, seq, event_id, kind, body, status, attempts, last_code, last_error, created_at, finished_at`

func scanDelivery(row interface{ Scan(...any) error }) (*Delivery, error) {
	d := &Delivery{}
	var fin sql.NullTime
	if err := row.Scan(&d.ID, &d.EndpointID, &d.Seq, &d.EventID, &d.Kind, &d.Body, &d.Status, &d.Attempts, &d.LastCode,
		&d.LastError, &d.CreatedAt, &fin); err != nil {
		return nil, err
	}
	d.CreatedAt = d.CreatedAt.UTC()
	if fin.Valid {
		t := fin.Time.UTC()
		d.FinishedAt = &t
	}
	return d, nil
}

// headPending is the endpoint's pending delivery with the lowest sequence
// number, or nil.
func headPending(ctx context.Context, q db.Querier, endpointID string) (*Delivery, error) {
	d, err := scanDelivery(q.QueryRow(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries
		WHERE endpoint_id = ? AND status = 'pending' ORDER BY seq LIMIT 1`, endpointID))
	if db.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("next webhook delivery: %w", err)
	}
	return d, nil
}

// listDeliveries reads a page of deliveries newest first, with their
// attempts (one more query for the whole page).
func listDeliveries(ctx context.Context, q db.Querier, endpointID string, before int64, limit int) ([]Delivery, error) {
	where, args := "endpoint_id = ?", []any{endpointID}
	if before > 0 {
		where, args = where+" AND seq < ?", append(args, before)
	}
	rows, err := q.Query(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries WHERE `+where+` ORDER BY seq DESC LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list webhook deliveries: %w", err)
	}
	var out []Delivery
	idx := map[string]int{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		idx[d.ID] = len(out)
		out = append(out, *d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(out)), ",")
	ids := make([]any, 0, len(out))
	for _, d := range out {
		ids = append(ids, d.ID)
	}
	arows, err := q.Query(ctx, `SELECT id, delivery_id, at, status_code, response, error, duration_ms FROM webhook_attempts
		WHERE delivery_id IN (`+ph+`) ORDER BY at, id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("list webhook attempts: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var a Attempt
		var ms int64
		if err := arows.Scan(&a.ID, &a.DeliveryID, &a.At, &a.StatusCode, &a.Response, &a.Error, &ms); err != nil {
			return nil, err
		}
		a.At, a.Duration = a.At.UTC(), time.Duration(ms)*time.Millisecond
		i := idx[a.DeliveryID]
		out[i].Tries = append(out[i].Tries, a)
	}
	return out, arows.Err()
}

// recordAttempt stores a try and the delivery's new state, unless another
// attempt finished the delivery meanwhile.
func recordAttempt(ctx context.Context, tx *db.Tx, a Attempt, status string, attempts int) error {
	if _, err := tx.Exec(ctx, `INSERT INTO webhook_attempts (id, delivery_id, at, status_code, response, error, duration_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, a.DeliveryID, a.At, a.StatusCode, a.Response, a.Error, a.Duration.Milliseconds()); err != nil {
		return fmt.Errorf("record webhook attempt: %w", err)
	}
	var fin any
	if status != StatusPending {
		fin = a.At
	}
	if _, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = ?, last_code = ?, last_error = ?, finished_at = ?
		WHERE id = ? AND status = 'pending'`, status, attempts, a.StatusCode, a.Error, fin, a.DeliveryID); err != nil {
		return fmt.Errorf("record webhook attempt: %w", err)
	}
	return nil
}

// pendingEndpoints lists the endpoints with deliveries waiting.
func pendingEndpoints(ctx context.Context, q db.Querier) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT d.endpoint_id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
		WHERE d.status = 'pending' AND e.enabled = ? ORDER BY d.endpoint_id`, true)
	if err != nil {
		return nil, fmt.Errorf("webhook endpoints waiting: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
