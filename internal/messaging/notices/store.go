package notices

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// modeOf is the person's mode for kind; instant when they chose none.
func modeOf(ctx context.Context, q db.Querier, personID, kind string) (Mode, error) {
	var m string
	err := q.QueryRow(ctx, `SELECT mode FROM notification_prefs WHERE person_id = ? AND kind = ?`, personID, kind).Scan(&m)
	if db.IsNotFound(err) {
		return ModeInstant, nil
	} else if err != nil {
		return "", fmt.Errorf("notification mode of %s: %w", personID, err)
	}
	return Mode(m), nil
}

// modesOf is every mode the person chose, by kind.
func modesOf(ctx context.Context, q db.Querier, personID string) (map[string]Mode, error) {
	rows, err := q.Query(ctx, `SELECT kind, mode FROM notification_prefs WHERE person_id = ?`, personID)
	if err != nil {
		return nil, fmt.Errorf("notification modes of %s: %w", personID, err)
	}
	defer rows.Close()
	out := map[string]Mode{}
	for rows.Next() {
		var k, m string
		if err := rows.Scan(&k, &m); err != nil {
			return nil, fmt.Errorf("notification modes of %s: %w", personID, err)
		}
		out[k] = Mode(m)
	}
	return out, rows.Err()
}

func setMode(ctx context.Context, tx *db.Tx, personID, kind string, m Mode, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO notification_prefs (person_id, kind, mode, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (person_id, kind) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at`,
		personID, kind, string(m), now)
	if err != nil {
		return fmt.Errorf("set notification mode of %s: %w", personID, err)
	}
	return nil
}

func keepForDigest(ctx context.Context, tx *db.Tx, personID string, n Notice, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO notification_digest (id, person_id, kind, to_addr, subject, text_body, why, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, db.NewID(), personID, n.Kind, n.To, n.Subject, n.Text, n.Why, now)
	if err != nil {
		return fmt.Errorf("keep notice for the digest of %s: %w", personID, err)
	}
	return nil
}

// userOfPerson is the account of a person ("" when they have none).
func userOfPerson(ctx context.Context, q db.Querier, personID string) (string, error) {
	var u sql.NullString
	err := q.QueryRow(ctx, `SELECT user_id FROM people WHERE id = ? AND erased_at IS NULL`, personID).Scan(&u)
	if db.IsNotFound(err) {
		return "", errs.E(errs.NotFound, "There is no such person.")
	} else if err != nil {
		return "", fmt.Errorf("account of person %s: %w", personID, err)
	}
	return u.String, nil
}

// personOfUser is the person of an account.
func personOfUser(ctx context.Context, q db.Querier, userID string) (string, error) {
	var id string
	err := q.QueryRow(ctx, `SELECT id FROM people WHERE user_id = ? AND erased_at IS NULL`, userID).Scan(&id)
	if db.IsNotFound(err) {
		return "", errs.E(errs.NotFound, "Your account has no person record.")
	} else if err != nil {
		return "", fmt.Errorf("person of account %s: %w", userID, err)
	}
	return id, nil
}

// waitingPeople are the people with notices waiting for a digest, created
// at or before cutoff.
func waitingPeople(ctx context.Context, q db.Querier, cutoff time.Time) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT person_id FROM notification_digest
		WHERE created_at <= ? ORDER BY person_id`, cutoff)
	if err != nil {
		return nil, fmt.Errorf("people with a digest waiting: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("people with a digest waiting: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// waiting is a notice kept for a digest.
type waiting struct {
	ID, Kind, To, Subject, Text, Why string
}

// claim takes the person's waiting notices out of the table and returns
// them; the caller queues their digest in the same transaction, so a
// rollback puts them back. On PostgreSQL a second claimer waits for the
// first's row locks and then finds the rows gone, so it gets none; SQLite
// has one writer.
func claim(ctx context.Context, tx *db.Tx, personID string, cutoff time.Time) ([]waiting, error) {
	rows, err := tx.Query(ctx, `DELETE FROM notification_digest WHERE person_id = ? AND created_at <= ?
		RETURNING id, kind, to_addr, subject, text_body, why`, personID, cutoff)
	if err != nil {
		return nil, fmt.Errorf("claim the digest of %s: %w", personID, err)
	}
	defer rows.Close()
	var out []waiting
	for rows.Next() {
		var w waiting
		if err := rows.Scan(&w.ID, &w.Kind, &w.To, &w.Subject, &w.Text, &w.Why); err != nil {
			return nil, fmt.Errorf("claim the digest of %s: %w", personID, err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
