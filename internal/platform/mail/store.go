package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Stored is a mail as the outbox shows it.
type Stored struct {
	ID        string
	CreatedAt time.Time
	To        string // bare address
	ToName    string
	Subject   string
	Text      string
	HTML      string
	Headers   map[string]string
	Kind      string
	Status    string
	Attempts  int
	LastError string
	// NextAttemptAt is when a queued mail that failed is tried again.
	NextAttemptAt *time.Time
	SentAt        *time.Time
	MessageID     string
	Related       string
}

// OutboxFilter selects stored mail. Empty fields match everything.
type OutboxFilter struct {
	Status  string // one of the Status constants
	To      string // bare address, matched without regard to case
	Related string
	// Before pages backwards: mail with an id below it (ids sort by time).
	Before string
	Limit  int // default 50, at most 500
}

const storedColumns = `id, created_at, to_addr, to_name, subject, text_body, COALESCE(html_body, ''), headers, kind, status,
	attempts, last_error, next_attempt_at, sent_at, message_id, related`

func scanStored(sc interface{ Scan(...any) error }) (*Stored, error) {
	var m Stored
	var headers string
	var next, sent sql.NullTime
	if err := sc.Scan(&m.ID, &m.CreatedAt, &m.To, &m.ToName, &m.Subject, &m.Text, &m.HTML, &headers, &m.Kind, &m.Status,
		&m.Attempts, &m.LastError, &next, &sent, &m.MessageID, &m.Related); err != nil {
		return nil, err
	}
	if headers != "" && headers != "{}" {
		if err := json.Unmarshal([]byte(headers), &m.Headers); err != nil {
			return nil, fmt.Errorf("mail %s: headers: %w", m.ID, err)
		}
	}
	if next.Valid {
		t := next.Time.UTC()
		m.NextAttemptAt = &t
	}
	if sent.Valid {
		t := sent.Time.UTC()
		m.SentAt = &t
	}
	m.CreatedAt = m.CreatedAt.UTC()
	return &m, nil
}

func insertMessage(ctx context.Context, q db.Querier, id string, now time.Time, to *mail.Address, m Message, status, msgID string) error {
	headers := "{}"
	if len(m.Headers) > 0 {
		b, err := json.Marshal(m.Headers)
		if err != nil {
			return fmt.Errorf("queue mail: headers: %w", err)
		}
		headers = string(b)
	}
	var html any
	if m.HTML != "" {
		html = m.HTML
	}
	_, err := q.Exec(ctx, `INSERT INTO mail_messages (id, created_at, to_addr, to_name, subject, text_body, html_body, headers,
		kind, status, attempts, last_error, message_id, related)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?, ?)`,
		id, now, to.Address, to.Name, m.Subject, m.Text, html, headers, m.Kind, status, msgID, m.Related)
	if err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

// Outbox lists stored mail newest first, for /admin/outbox. The caller checks
// that the viewer may read it: bodies hold sign-in links.
func (s *Service) Outbox(ctx context.Context, f OutboxFilter) ([]Stored, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.To != "" {
		add("LOWER(to_addr) = ?", strings.ToLower(strings.TrimSpace(f.To)))
	}
	if f.Related != "" {
		add("related = ?", f.Related)
	}
	if f.Before != "" {
		add("id < ?", f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	query := `SELECT ` + storedColumns + ` FROM mail_messages`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit)
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		m, err := scanStored(rows)
		if err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// Get returns one stored mail. Errors: errs.NotFound (wrapping db.ErrNotFound).
func (s *Service) Get(ctx context.Context, id string) (*Stored, error) {
	m, err := scanStored(s.db.QueryRow(ctx, `SELECT `+storedColumns+` FROM mail_messages WHERE id = ?`, id))
	if err != nil {
		err = db.NotFound(err, "mail "+id)
		if db.IsNotFound(err) {
			return nil, &errs.Error{Code: errs.NotFound, Message: "There is no such mail.", Err: err}
		}
		return nil, err
	}
	return m, nil
}

// staleClaim is how long a mail may stay 'sending' before another worker
// assumes its worker died and claims it again. It is longer than the send
// job's timeout.
const staleClaim = 15 * time.Minute

// claim marks up to limit due mails 'sending' and returns them: service mail
// first, then the oldest. On PostgreSQL SKIP LOCKED lets workers on several
// nodes claim disjoint batches; on SQLite the single writer serialises them.
func (s *Service) claim(ctx context.Context, limit int) ([]Stored, error) {
	now := s.now()
	var out []Stored
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		lock := ""
		if tx.Dialect() == db.Postgres {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		// Two passes, each served by an index: due service mail, then any.
		for _, cond := range []string{"status = 'queued' AND kind = 'service'", "status = 'queued'", "status = 'sending' AND claimed_at < ?"} {
			n := limit - len(out)
			if n <= 0 {
				break
			}
			args := []any{now}
			where := cond + " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
			if strings.Contains(cond, "claimed_at") {
				where = cond
				args = []any{now.Add(-staleClaim)}
			}
			q := fmt.Sprintf(`UPDATE mail_messages SET status = 'sending', claimed_at = ?
				WHERE id IN (SELECT id FROM mail_messages WHERE %s ORDER BY created_at, id LIMIT %d%s)
				RETURNING %s`, where, n, lock, storedColumns)
			rows, err := tx.Query(ctx, q, append([]any{now}, args...)...)
			if err != nil {
				return err
			}
			for rows.Next() {
				m, err := scanStored(rows)
				if err != nil {
					rows.Close()
					return err
				}
				out = append(out, *m)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	// RETURNING has no order: send service mail first, then oldest first.
	slices.SortStableFunc(out, func(a, b Stored) int {
		if (a.Kind == KindService) != (b.Kind == KindService) {
			if a.Kind == KindService {
				return -1
			}
			return 1
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	return out, nil
}

// markSent records that the SMTP server accepted the mail and, in the same
// statement, removes the links from the stored copy (redact.go).
func (s *Service) markSent(ctx context.Context, m *Stored) error {
	text, html, headers, err := redactedColumns(m)
	if err != nil {
		return fmt.Errorf("mark mail %s sent: %w", m.ID, err)
	}
	_, err = s.db.Exec(ctx, `UPDATE mail_messages SET status = 'sent', sent_at = ?, last_error = '', claimed_at = NULL,
		text_body = ?, html_body = ?, headers = ?
		WHERE id = ? AND status = 'sending'`, s.now(), text, html, headers, m.ID)
	if err != nil {
		return fmt.Errorf("mark mail %s sent: %w", m.ID, err)
	}
	return nil
}

// redactedColumns are m's text_body, html_body and headers without links.
func redactedColumns(m *Stored) (text string, html any, headers string, err error) {
	if m.HTML != "" {
		html = Redact(m.HTML)
	}
	headers, err = redactHeaders(m.Headers)
	return Redact(m.Text), html, headers, err
}

// retryDelay is how long a mail waits after its nth failed attempt.
func retryDelay(attempts int) time.Duration {
	switch attempts {
	case 1:
		return time.Minute
	case 2:
		return 5 * time.Minute
	case 3:
		return 30 * time.Minute
	default:
		return 2 * time.Hour
	}
}

// markFailedAttempt counts a failed attempt: back to 'queued' with a later
// next attempt, or 'failed' after MaxAttempts or when permanent. It returns
// the new status.
func (s *Service) markFailedAttempt(ctx context.Context, m *Stored, cause error, permanent bool) (string, error) {
	attempts := m.Attempts + 1
	status := StatusQueued
	var next any
	if permanent || attempts >= MaxAttempts {
		status = StatusFailed
	} else {
		next = s.now().Add(retryDelay(attempts))
	}
	msg := cause.Error()
	if len(msg) > 500 {
		msg = strings.ToValidUTF8(msg[:500], "")
	}
	set := `status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, claimed_at = NULL`
	args := []any{status, attempts, msg, next}
	if status == StatusFailed {
		// A mail given up on is never sent: its links go, as a sent one's do.
		text, html, headers, err := redactedColumns(m)
		if err != nil {
			return status, fmt.Errorf("record failed attempt of mail %s: %w", m.ID, err)
		}
		set += `, text_body = ?, html_body = ?, headers = ?`
		args = append(args, text, html, headers)
	}
	_, err := s.db.Exec(ctx, `UPDATE mail_messages SET `+set+` WHERE id = ? AND status = 'sending'`, append(args, m.ID)...)
	if err != nil {
		return status, fmt.Errorf("record failed attempt of mail %s: %w", m.ID, err)
	}
	return status, nil
}

// release puts claimed mail back in the queue without counting an attempt.
func (s *Service) release(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if _, err := s.db.Exec(ctx, `UPDATE mail_messages SET status = 'queued', claimed_at = NULL
			WHERE id = ? AND status = 'sending'`, id); err != nil {
			return fmt.Errorf("release mail %s: %w", id, err)
		}
	}
	return nil
}
