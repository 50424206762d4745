package messaging

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// The recipients' SQL: fixing them when sending starts, the claim protocol
// of the fan-out (queued → sending → sent), and the figures.

// insertBatch is how many recipient rows one INSERT writes (4 arguments
// each: well under either engine's limit).
const insertBatch = 500

// maxAttempts is how many times a recipient is tried before it is failed.
const maxAttempts = 5

// newToken is 128 random bits, URL-safe: the recipient's unsubscribe and
// tracking links.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// fixRecipients writes one broadcast_recipients row for every person sg
// reaches now, each with a fresh token, in tx, and returns how many. The
// people are read first (one statement) and written in batches: a
// transaction's connection cannot read and write at once on PostgreSQL.
// The primary key (broadcast_id, person_id) keeps everyone once.
func fixRecipients(ctx context.Context, tx *db.Tx, broadcastID string, sg *segment) (int, error) {
	rows, err := tx.Query(ctx, `SELECT p.id, `+sg.addr+` FROM people p WHERE `+sg.where+` ORDER BY p.id`, sg.args...)
	if err != nil {
		return 0, fmt.Errorf("recipients of %s: %w", broadcastID, err)
	}
	type row struct{ id, addr string }
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.addr); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, r)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return 0, fmt.Errorf("recipients of %s: %w", broadcastID, err)
	}
	var sb strings.Builder
	args := make([]any, 0, 4*insertBatch)
	for start := 0; start < len(all); start += insertBatch {
		part := all[start:min(start+insertBatch, len(all))]
		sb.Reset()
		sb.WriteString(`INSERT INTO broadcast_recipients (broadcast_id, person_id, address, token) VALUES `)
		args = args[:0]
		for i, r := range part {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?)")
			args = append(args, broadcastID, r.id, strings.ToLower(r.addr), newToken())
		}
		if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
			return 0, fmt.Errorf("recipients of %s: %w", broadcastID, err)
		}
	}
	return len(all), nil
}

// requeueStale puts back the rows an earlier attempt claimed but never
// handed to the server (status 'sending': Accepting marks a row sent before
// its final "."). Only one fan-out job runs per broadcast, so at its start
// every such row is an earlier attempt's.
//
// On PostgreSQL, rows claimed before the database server last started are
// not sent again but failed as "delivery unknown": their mark may have
// been an asynchronous commit (journal.Accepting) that the server's crash
// forgot after the SMTP server had delivered them, and sending them again
// could send twice. A claim made since the server started is safe to
// requeue: its marks were never lost.
func requeueStale(ctx context.Context, q db.Querier, broadcastID string) (int64, error) {
	if q.Dialect() == db.Postgres {
		if err := failClaimsBeforeRestart(ctx, q, broadcastID); err != nil {
			return 0, err
		}
	}
	res, err := q.Exec(ctx, `UPDATE broadcast_recipients SET status = 'queued', claim = ''
		WHERE broadcast_id = ? AND status = 'sending'`, broadcastID)
	if err != nil {
		return 0, fmt.Errorf("requeue %s: %w", broadcastID, err)
	}
	return res.RowsAffected()
}

// claimBatch marks up to n queued rows as this attempt's (status
// 'sending', claim), then skips those whose person withdrew consent, was
// erased or whose address was suppressed since the recipients were fixed.
// It returns how many rows it claimed, skipped ones included.
func claimBatch(ctx context.Context, tx *db.Tx, broadcastID, channel, claim string, n int) (int64, error) {
	res, err := tx.Exec(ctx, `UPDATE broadcast_recipients SET status = 'sending', claim = ?
		WHERE broadcast_id = ? AND status = 'queued' AND person_id IN
			(SELECT person_id FROM broadcast_recipients WHERE broadcast_id = ? AND status = 'queued' ORDER BY person_id LIMIT `+fmt.Sprint(n)+`)`,
		claim, broadcastID, broadcastID)
	if err != nil {
		return 0, fmt.Errorf("claim recipients of %s: %w", broadcastID, err)
	}
	claimed, err := res.RowsAffected()
	if err != nil || claimed == 0 {
		return claimed, err
	}
	_, err = tx.Exec(ctx, `UPDATE broadcast_recipients SET status = 'skipped', claim = '', error = 'consent withdrawn, erased or suppressed before sending'
		WHERE broadcast_id = ? AND claim = ? AND status = 'sending' AND (
			NOT EXISTS (SELECT 1 FROM consents co WHERE co.person_id = broadcast_recipients.person_id AND co.channel = ? AND co.status = 'granted')
			OR EXISTS (SELECT 1 FROM suppressions su WHERE su.address = broadcast_recipients.address)
			OR EXISTS (SELECT 1 FROM people p WHERE p.id = broadcast_recipients.person_id AND p.erased_at IS NOT NULL))`,
		broadcastID, claim, channel)
	if err != nil {
		return 0, fmt.Errorf("recheck consent of %s: %w", broadcastID, err)
	}
	return claimed, nil
}

// recipient is a claimed row with what its mail needs.
type recipient struct {
	PersonID, Address, Token string
	GivenName                string
	GroupID                  string // their first group, for {{group}} and {{next_event}}
	Point                    *geo.Point
}

// recipientCols read a recipient row r joined to its person p and their
// district's centre pd.
const recipientCols = `r.person_id, r.address, r.token, COALESCE(p.given_name, ''),
	COALESCE((SELECT gm.group_id FROM group_members gm WHERE gm.person_id = r.person_id AND gm.status = 'active'
		ORDER BY gm.joined_at, gm.group_id LIMIT 1), ''),
	COALESCE(p.latitude, pd.latitude), COALESCE(p.longitude, pd.longitude)`

const recipientFrom = ` FROM broadcast_recipients r LEFT JOIN people p ON p.id = r.person_id
	LEFT JOIN postcode_districts pd ON pd.district = p.postcode_district`

// claimedRows returns this attempt's rows to send.
func claimedRows(ctx context.Context, q db.Querier, broadcastID, claim string) ([]recipient, error) {
	rows, err := q.Query(ctx, `SELECT `+recipientCols+recipientFrom+`
		WHERE r.broadcast_id = ? AND r.claim = ? AND r.status = 'sending' ORDER BY r.person_id`, broadcastID, claim)
	if err != nil {
		return nil, fmt.Errorf("claimed recipients of %s: %w", broadcastID, err)
	}
	defer rows.Close()
	var out []recipient
	for rows.Next() {
		r, err := scanRecipient(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRecipient(row interface{ Scan(...any) error }) (recipient, error) {
	var r recipient
	var lat, lng sql.NullFloat64
	if err := row.Scan(&r.PersonID, &r.Address, &r.Token, &r.GivenName, &r.GroupID, &lat, &lng); err != nil {
		return r, err
	}
	if lat.Valid && lng.Valid {
		r.Point = &geo.Point{Lat: lat.Float64, Lng: lng.Float64}
	}
	return r, nil
}

// personAsRecipient reads a person as a preview's or test's recipient
// (no row, no token).
func personAsRecipient(ctx context.Context, q db.Querier, personID, addrCol string) (recipient, error) {
	row := q.QueryRow(ctx, `SELECT p.id, COALESCE(`+addrCol+`, ''), '', p.given_name,
		COALESCE((SELECT gm.group_id FROM group_members gm WHERE gm.person_id = p.id AND gm.status = 'active'
			ORDER BY gm.joined_at, gm.group_id LIMIT 1), ''),
		COALESCE(p.latitude, pd.latitude), COALESCE(p.longitude, pd.longitude)
		FROM people p LEFT JOIN postcode_districts pd ON pd.district = p.postcode_district WHERE p.id = ?`, personID)
	r, err := scanRecipient(row)
	if err != nil {
		return r, db.NotFound(err, "person "+personID)
	}
	return r, nil
}

// markSent records keys (person ids) of this attempt's rows as sent, all
// or none, in one statement (one round trip and one commit, which is most
// of a batch's cost on PostgreSQL): a row no longer this attempt's
// (cancelled, or claimed again after this node was taken for dead) makes
// the statement change nothing, and the call fails, so that none of the
// batch is delivered.
func markSent(ctx context.Context, q db.Querier, broadcastID, claim string, keys []string, now time.Time) error {
	in := placeholders(len(keys))
	args := make([]any, 0, 2*len(keys)+6)
	args = append(args, now, broadcastID, claim)
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, broadcastID, claim)
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, len(keys))
	res, err := q.Exec(ctx, `UPDATE broadcast_recipients SET status = 'sent', sent_at = ?, attempts = attempts + 1
		WHERE broadcast_id = ? AND claim = ? AND status = 'sending' AND person_id IN (`+in+`)
		AND (SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = ? AND claim = ? AND status = 'sending'
			AND person_id IN (`+in+`)) = ?`, args...)
	if err != nil {
		return fmt.Errorf("mark sent: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if int(n) != len(keys) {
		return fmt.Errorf("mark sent: %d of %d rows are no longer this attempt's; none marked", len(keys)-int(n), len(keys))
	}
	return nil
}

// markDelivered notes the server's 250 on rows it accepted.
func markDelivered(ctx context.Context, q db.Querier, broadcastID, claim string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, 0, len(keys)+2)
	args = append(args, broadcastID, claim)
	for _, k := range keys {
		args = append(args, k)
	}
	_, err := q.Exec(ctx, `UPDATE broadcast_recipients SET smtp_code = 250
		WHERE broadcast_id = ? AND claim = ? AND status = 'sent' AND person_id IN (`+placeholders(len(keys))+`)`, args...)
	if err != nil {
		return fmt.Errorf("mark delivered: %w", err)
	}
	return nil
}

// markFailed records one failed row: for good when permanent or out of
// attempts, else back in the queue. ambiguous rows (the connection was
// lost after their final ".") stay sent, with the error noted.
func markFailed(ctx context.Context, tx *db.Tx, broadcastID, claim, key, msg string, code int, permanent, journaled bool) error {
	msg = truncate(msg, 500)
	if journaled && code == 0 {
		_, err := tx.Exec(ctx, `UPDATE broadcast_recipients SET error = ? WHERE broadcast_id = ? AND person_id = ? AND claim = ?`,
			"no reply after the final dot; it may have been delivered: "+msg, broadcastID, key, claim)
		return err
	}
	// A journaled row's attempt was counted when it was marked sent.
	inc := "1"
	if journaled {
		inc = "0"
	}
	status := `CASE WHEN ? OR attempts + ` + inc + ` >= ? THEN 'failed' ELSE 'queued' END`
	_, err := tx.Exec(ctx, `UPDATE broadcast_recipients SET status = `+status+`, attempts = attempts + `+inc+`,
		error = ?, smtp_code = ?, claim = '', sent_at = NULL
		WHERE broadcast_id = ? AND person_id = ? AND claim = ? AND status IN ('sending', 'sent')`,
		permanent, maxAttempts, msg, code, broadcastID, key, claim)
	if err != nil {
		return fmt.Errorf("mark failed: %w", err)
	}
	return nil
}

// release hands back this attempt's rows not handed to the server.
func release(ctx context.Context, q db.Querier, broadcastID, claim string) error {
	_, err := q.Exec(ctx, `UPDATE broadcast_recipients SET status = 'queued', claim = ''
		WHERE broadcast_id = ? AND claim = ? AND status = 'sending'`, broadcastID, claim)
	if err != nil {
		return fmt.Errorf("release %s: %w", broadcastID, err)
	}
	return nil
}

// skipRemaining skips every row not yet handed over (a cancel).
func skipRemaining(ctx context.Context, q db.Querier, broadcastID string) error {
	_, err := q.Exec(ctx, `UPDATE broadcast_recipients SET status = 'skipped', claim = '', error = 'cancelled'
		WHERE broadcast_id = ? AND status IN ('queued', 'sending')`, broadcastID)
	if err != nil {
		return fmt.Errorf("skip the rest of %s: %w", broadcastID, err)
	}
	return nil
}

// finishIfDone marks a sending broadcast sent once no row waits; it
// reports whether it did.
func finishIfDone(ctx context.Context, q db.Querier, broadcastID string, now time.Time) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE broadcasts SET status = 'sent', finished_at = ?, updated_at = ?
		WHERE id = ? AND status = 'sending' AND NOT EXISTS
			(SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ? AND status IN ('queued', 'sending'))`,
		now, now, broadcastID, broadcastID)
	if err != nil {
		return false, fmt.Errorf("finish %s: %w", broadcastID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// readStats counts a broadcast's rows by status.
func readStats(ctx context.Context, q db.Querier, broadcastID string) (*Stats, error) {
	rows, err := q.Query(ctx, `SELECT status, COUNT(*), COUNT(unsubscribed_at), COUNT(opened_at), COUNT(clicked_at)
		FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY status`, broadcastID)
	if err != nil {
		return nil, fmt.Errorf("stats of %s: %w", broadcastID, err)
	}
	defer rows.Close()
	st := &Stats{}
	for rows.Next() {
		var status string
		var n, unsub, opened, clicked int
		if err := rows.Scan(&status, &n, &unsub, &opened, &clicked); err != nil {
			return nil, err
		}
		st.Recipients += n
		st.Unsubscribed += unsub
		st.Opened += opened
		st.Clicked += clicked
		switch status {
		case RecipientQueued, RecipientSending:
			st.Queued += n
		case RecipientSent:
			st.Sent += n
		case RecipientFailed:
			st.Failed += n
		case RecipientBounced: // accepted, then bounced: sent too
			st.Sent += n
			st.Bounced += n
		case RecipientComplained:
			st.Sent += n
			st.Complained += n
		case RecipientSkipped:
			st.Skipped += n
		}
	}
	return st, rows.Err()
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// failClaimsBeforeRestart fails the 'sending' rows of claims made before
// the PostgreSQL server started (see requeueStale). A claim is
// "jobID.attempt.unixSeconds"; one without a time is left alone.
func failClaimsBeforeRestart(ctx context.Context, q db.Querier, broadcastID string) error {
	var started time.Time
	if err := q.QueryRow(ctx, `SELECT pg_postmaster_start_time()`).Scan(&started); err != nil {
		return fmt.Errorf("database start time: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT DISTINCT claim FROM broadcast_recipients WHERE broadcast_id = ? AND status = 'sending'`, broadcastID)
	if err != nil {
		return fmt.Errorf("stale claims of %s: %w", broadcastID, err)
	}
	var before []string
	for rows.Next() {
		var claim string
		if err := rows.Scan(&claim); err != nil {
			rows.Close()
			return err
		}
		if at, ok := claimTime(claim); ok && at.Before(started) {
			before = append(before, claim)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, claim := range before {
		_, err := q.Exec(ctx, `UPDATE broadcast_recipients SET status = 'failed', claim = '',
			error = 'delivery unknown: the database restarted while this was being sent, so it is not sent again'
			WHERE broadcast_id = ? AND claim = ? AND status = 'sending'`, broadcastID, claim)
		if err != nil {
			return fmt.Errorf("fail claim %s of %s: %w", claim, broadcastID, err)
		}
	}
	return nil
}

// claimTime is when a claim "jobID.attempt.unixSeconds" was made.
func claimTime(claim string) (time.Time, bool) {
	parts := strings.Split(claim, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(sec, 0), true
}
