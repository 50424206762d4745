package decisions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// This file holds the SQL of the electorate, the voters and the ballots.
// It reads the people and group_members tables (owned by the people and
// groups capabilities) read-only, to snapshot the electorate in one
// INSERT … SELECT and to explain to someone why they may not vote.

// personOfUser returns the person linked to an account, or "".
func personOfUser(ctx context.Context, q db.Querier, userID string) (string, error) {
	var id string
	err := q.QueryRow(ctx, `SELECT id FROM people WHERE user_id = ?`, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("person of user %s: %w", userID, err)
	}
	return id, nil
}

// standing is what the electorate rule looks at for one person.
type standing struct {
	Membership  string    // supporter, member, lapsed
	MemberSince time.Time // zero when unknown
	InGroup     bool      // an active member of the decision's group
}

func standingOf(ctx context.Context, q db.Querier, personID, groupID string) (standing, error) {
	var s standing
	var since sql.NullTime
	var inGroup int
	err := q.QueryRow(ctx, `SELECT p.membership_status, p.member_since,
		(SELECT COUNT(*) FROM group_members m WHERE m.person_id = p.id AND m.group_id = ? AND m.status = 'active')
		FROM people p WHERE p.id = ?`, groupID, personID).Scan(&s.Membership, &since, &inGroup)
	if err != nil {
		return s, db.NotFound(err, "person "+personID)
	}
	s.MemberSince, s.InGroup = utc(since), inGroup > 0
	return s, nil
}

// snapshotElectorate copies the people the rule admits into
// decision_electorate and returns how many there are.
func snapshotElectorate(ctx context.Context, q db.Querier, d *Decision) (int, error) {
	query := `INSERT INTO decision_electorate (decision_id, person_id) SELECT ?, p.id FROM people p`
	args := []any{d.ID}
	where := []string{"p.erased_at IS NULL"}
	if d.Electorate.Scope == ScopeGroup {
		query += ` JOIN group_members m ON m.person_id = p.id AND m.group_id = ? AND m.status = 'active'`
		args = append(args, d.GroupID)
	}
	if d.Electorate.MembersOnly {
		where = append(where, "p.membership_status = 'member'")
	}
	if !d.Electorate.MemberSince.IsZero() {
		where = append(where, "p.member_since IS NOT NULL AND p.member_since <= ?")
		args = append(args, d.Electorate.MemberSince)
	}
	res, err := q.Exec(ctx, query+` WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return 0, fmt.Errorf("electorate of %s: %w", d.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("electorate of %s: %w", d.ID, err)
	}
	if _, err := q.Exec(ctx, `UPDATE decisions SET electorate_size = ? WHERE id = ?`, n, d.ID); err != nil {
		return 0, fmt.Errorf("electorate of %s: %w", d.ID, err)
	}
	return int(n), nil
}

// exists runs a SELECT 1 query and reports whether it found a row.
func exists(ctx context.Context, q db.Querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRow(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func inElectorate(ctx context.Context, q db.Querier, decisionID, personID string) (bool, error) {
	ok, err := exists(ctx, q, `SELECT 1 FROM decision_electorate WHERE decision_id = ? AND person_id = ?`, decisionID, personID)
	if err != nil {
		return false, fmt.Errorf("electorate of %s: %w", decisionID, err)
	}
	return ok, nil
}

// lockVoter serialises one voter's submissions on PostgreSQL (two tabs, a
// double click) by locking their electorate row, so the second sees what
// the first committed. SQLite's write transactions are serial already.
func lockVoter(ctx context.Context, q db.Querier, decisionID, personID string) error {
	if q.Dialect() != db.Postgres || personID == "" {
		return nil
	}
	if _, err := exists(ctx, q, `SELECT 1 FROM decision_electorate WHERE decision_id = ? AND person_id = ? FOR UPDATE`, decisionID, personID); err != nil {
		return fmt.Errorf("lock voter: %w", err)
	}
	return nil
}

func hasVoted(ctx context.Context, q db.Querier, decisionID, personID string) (bool, error) {
	ok, err := exists(ctx, q, `SELECT 1 FROM decision_voters WHERE decision_id = ? AND person_id = ?`, decisionID, personID)
	if err != nil {
		return false, fmt.Errorf("voters of %s: %w", decisionID, err)
	}
	return ok, nil
}

// storedBallot is a row of decision_ballots.
type storedBallot struct {
	ID, Hash, Content, PersonID string
}

// ballotByHash finds a decision's ballot by receipt hash.
func ballotByHash(ctx context.Context, q db.Querier, decisionID, hash string) (*storedBallot, error) {
	b := storedBallot{Hash: hash}
	err := q.QueryRow(ctx, `SELECT id, content, COALESCE(person_id, '') FROM decision_ballots
		WHERE decision_id = ? AND receipt_hash = ?`, decisionID, hash).Scan(&b.ID, &b.Content, &b.PersonID)
	if err != nil {
		return nil, db.NotFound(err, "ballot")
	}
	return &b, nil
}

func insertVoter(ctx context.Context, q db.Querier, decisionID, personID, key string) error {
	if _, err := q.Exec(ctx, `INSERT INTO decision_voters (decision_id, person_id, change_key) VALUES (?, ?, ?)`,
		decisionID, personID, key); err != nil {
		return fmt.Errorf("record voter: %w", err)
	}
	return nil
}

// voterKey is the change key recorded with a voter ("" if none).
func voterKey(ctx context.Context, q db.Querier, decisionID, personID string) (string, error) {
	var key string
	err := q.QueryRow(ctx, `SELECT change_key FROM decision_voters WHERE decision_id = ? AND person_id = ?`,
		decisionID, personID).Scan(&key)
	if err != nil {
		return "", fmt.Errorf("voter key: %w", err)
	}
	return key, nil
}

func setVoterKey(ctx context.Context, q db.Querier, decisionID, personID, key string) error {
	if _, err := q.Exec(ctx, `UPDATE decision_voters SET change_key = ? WHERE decision_id = ? AND person_id = ?`,
		key, decisionID, personID); err != nil {
		return fmt.Errorf("voter key: %w", err)
	}
	return nil
}

func insertBallot(ctx context.Context, q db.Querier, decisionID string, b storedBallot) error {
	if _, err := q.Exec(ctx, `INSERT INTO decision_ballots (id, decision_id, receipt_hash, content, person_id) VALUES (?, ?, ?, ?, ?)`,
		b.ID, decisionID, b.Hash, b.Content, nullable(b.PersonID)); err != nil {
		return fmt.Errorf("record ballot: %w", err)
	}
	return nil
}

func deleteBallot(ctx context.Context, q db.Querier, decisionID, hash string) error {
	if _, err := q.Exec(ctx, `DELETE FROM decision_ballots WHERE decision_id = ? AND receipt_hash = ?`, decisionID, hash); err != nil {
		return fmt.Errorf("delete ballot: %w", err)
	}
	return nil
}

// listBallots returns a decision's ballots in fingerprint order (by
// receipt hash), never in the order they were stored. after pages on the
// hash; limit 0 means all.
func listBallots(ctx context.Context, q db.Querier, decisionID, after string, limit int) ([]storedBallot, error) {
	query := `SELECT id, receipt_hash, content, COALESCE(person_id, '') FROM decision_ballots WHERE decision_id = ?`
	args := []any{decisionID}
	if after != "" {
		query += ` AND receipt_hash > ?`
		args = append(args, after)
	}
	query += ` ORDER BY receipt_hash`
	if limit > 0 {
		query += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("ballots of %s: %w", decisionID, err)
	}
	defer rows.Close()
	var out []storedBallot
	for rows.Next() {
		var b storedBallot
		if err := rows.Scan(&b.ID, &b.Hash, &b.Content, &b.PersonID); err != nil {
			return nil, fmt.Errorf("ballots of %s: %w", decisionID, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// rewriteBallots deletes a decision's ballots and inserts them again in
// the order given (shuffled by the caller).
func rewriteBallots(ctx context.Context, q db.Querier, decisionID string, bs []storedBallot) error {
	if _, err := q.Exec(ctx, `DELETE FROM decision_ballots WHERE decision_id = ?`, decisionID); err != nil {
		return fmt.Errorf("rewrite ballots of %s: %w", decisionID, err)
	}
	return insertBallots(ctx, q, decisionID, bs)
}

// insertBallots inserts ballots in the order given, 200 a statement.
func insertBallots(ctx context.Context, q db.Querier, decisionID string, bs []storedBallot) error {
	const batch = 200
	for start := 0; start < len(bs); start += batch {
		part := bs[start:min(start+batch, len(bs))]
		args := make([]any, 0, 5*len(part))
		for _, b := range part {
			args = append(args, b.ID, decisionID, b.Hash, b.Content, nullable(b.PersonID))
		}
		values := strings.Repeat("(?, ?, ?, ?, ?), ", len(part))
		if _, err := q.Exec(ctx, `INSERT INTO decision_ballots (id, decision_id, receipt_hash, content, person_id) VALUES `+
			strings.TrimSuffix(values, ", "), args...); err != nil {
			return fmt.Errorf("ballots of %s: %w", decisionID, err)
		}
	}
	return nil
}

func countVoters(ctx context.Context, q db.Querier, decisionID string) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM decision_voters WHERE decision_id = ?`, decisionID).Scan(&n); err != nil {
		return 0, fmt.Errorf("voters of %s: %w", decisionID, err)
	}
	return n, nil
}

// personNames returns "Given Family" for each person id, 500 ids a query.
func personNames(ctx context.Context, q db.Querier, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := q.Query(ctx, `SELECT id, given_name, family_name FROM people WHERE id IN (?`+
			strings.Repeat(", ?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("names: %w", err)
		}
		for rows.Next() {
			var id, given, family string
			if err := rows.Scan(&id, &given, &family); err != nil {
				rows.Close()
				return nil, fmt.Errorf("names: %w", err)
			}
			out[id] = strings.TrimSpace(given + " " + family)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("names: %w", err)
		}
	}
	return out, nil
}
