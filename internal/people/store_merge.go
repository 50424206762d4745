package people

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// duplicateRows finds pairs (a < b) that are likely one person, after the
// cursor pair, with one row per reason, at most max rows. Pairs marked as
// two different people are left out.
func duplicateRows(ctx context.Context, q db.Querier, afterA, afterB string, max int) ([][3]string, error) {
	rows, err := q.Query(ctx, `SELECT a, b, reason FROM (
		SELECT p1.id AS a, p2.id AS b, 'email' AS reason FROM people p1
			JOIN people p2 ON p2.email_key = p1.email_key AND p2.id > p1.id
			WHERE p1.email_key IS NOT NULL AND p1.id >= ?
		UNION
		SELECT f1.person_id, f2.person_id, 'phone' FROM person_phones f1
			JOIN person_phones f2 ON f2.number = f1.number AND f2.person_id > f1.person_id
			WHERE f1.person_id >= ?
		UNION
		SELECT p1.id, p2.id, 'name_postcode' FROM people p1
			JOIN people p2 ON p2.postcode = p1.postcode AND p2.name_key = p1.name_key AND p2.id > p1.id
			WHERE p1.postcode <> '' AND p1.name_key <> '' AND p1.id >= ?
	) x WHERE (a > ? OR (a = ? AND b > ?))
		AND NOT EXISTS (SELECT 1 FROM people_distinct d WHERE d.a = x.a AND d.b = x.b)
		ORDER BY a, b, reason LIMIT `+fmt.Sprint(max),
		afterA, afterA, afterA, afterA, afterA, afterB)
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	defer rows.Close()
	var out [][3]string
	for rows.Next() {
		var r [3]string
		if err := rows.Scan(&r[0], &r[1], &r[2]); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// peopleByID loads people with their details, keyed by id.
func peopleByID(ctx context.Context, q db.Querier, ids []string) (map[string]*Person, error) {
	out := map[string]*Person{}
	if len(ids) == 0 {
		return out, nil
	}
	ps, err := queryPeople(ctx, q, `SELECT `+personCols+` FROM people p WHERE p.id IN (`+placeholders(len(ids))+`)`, anys(ids)...)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}

// moveRows gives the merged person's rows in people's own tables (and the
// groups' log, which people reads) to the kept one and returns how many
// moved, by table.
func moveRows(ctx context.Context, tx *db.Tx, keep, merge string) (map[string]int64, error) {
	return MoveRows(ctx, tx, keep, merge, []MoveStep{
		{"emails", `UPDATE person_emails SET person_id = ? WHERE person_id = ?`},
		{"phones", `INSERT INTO person_phones (number, person_id, created_at) SELECT number, ?, created_at FROM person_phones
			WHERE person_id = ? ON CONFLICT (number, person_id) DO NOTHING`},
		{"tags", `INSERT INTO person_tags (tag_id, person_id, created_at) SELECT tag_id, ?, created_at FROM person_tags
			WHERE person_id = ? ON CONFLICT (tag_id, person_id) DO NOTHING`},
		{"consent_history", `UPDATE consent_history SET person_id = ? WHERE person_id = ?`},
		{"notes", `UPDATE person_notes SET person_id = ? WHERE person_id = ?`},
		{"donations", `UPDATE donations SET person_id = ? WHERE person_id = ?`},
		{"actions", `UPDATE person_actions SET person_id = ? WHERE person_id = ?`},
		// The groups' own history names members; it would lose the merged
		// person (ON DELETE SET NULL) rather than follow them.
		{"group_log", `UPDATE group_log SET person_id = ? WHERE person_id = ?`},
	})
}

// MoveStep is one statement of a merge, for a table: its placeholders are
// the kept person's id, the merged person's id and, when there is a third,
// the kept person's id again.
type MoveStep struct{ Table, Query string }

// MoveRows runs the steps in tx, in order, and returns how many rows each
// touched, by table. Capabilities implementing PersonMover use it.
func MoveRows(ctx context.Context, tx *db.Tx, keepID, mergeID string, steps []MoveStep) (map[string]int64, error) {
	counts := map[string]int64{}
	for _, st := range steps {
		args := []any{keepID, mergeID}
		if strings.Count(st.Query, "?") == 3 {
			args = append(args, keepID)
		}
		res, err := tx.Exec(ctx, st.Query, args...)
		if err != nil {
			return nil, fmt.Errorf("move %s: %w", st.Table, err)
		}
		n, _ := res.RowsAffected()
		counts[st.Table] = n
	}
	return counts, nil
}

type membershipRow struct {
	groupID, role, status string
	joined                sql.NullTime
}

func membershipsOf(ctx context.Context, q db.Querier, personID string) (map[string]membershipRow, error) {
	out := map[string]membershipRow{}
	err := eachRow(ctx, q, `SELECT group_id, role, status, joined_at FROM group_members WHERE person_id = ?`, []any{personID},
		func(r *sql.Rows) error {
			var m membershipRow
			err := r.Scan(&m.groupID, &m.role, &m.status, &m.joined)
			out[m.groupID] = m
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	return out, nil
}

var (
	roleRank   = map[string]int{"organiser": 3, "moderator": 2, "member": 1}
	statusRank = map[string]int{"active": 4, "requested": 3, "invited": 2, "left": 1}
)

// moveMemberships gives the merged person's group memberships to the kept
// one; where both belong to a group, the higher role, the more engaged
// status and the earlier join date win.
func moveMemberships(ctx context.Context, tx *db.Tx, keep, merge string) (int, error) {
	ms, err := membershipsOf(ctx, tx, merge)
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	ks, err := membershipsOf(ctx, tx, keep)
	if err != nil {
		return 0, err
	}
	for g, m := range ms {
		k, both := ks[g]
		if !both {
			if _, err := tx.Exec(ctx, `UPDATE group_members SET person_id = ? WHERE group_id = ? AND person_id = ?`, keep, g, merge); err != nil {
				return 0, fmt.Errorf("move membership: %w", err)
			}
			continue
		}
		if roleRank[m.role] > roleRank[k.role] {
			k.role = m.role
		}
		if statusRank[m.status] > statusRank[k.status] {
			k.status = m.status
		}
		if m.joined.Valid && (!k.joined.Valid || m.joined.Time.Before(k.joined.Time)) {
			k.joined = m.joined
		}
		var joined any
		if k.joined.Valid {
			joined = k.joined.Time
		}
		if _, err := tx.Exec(ctx, `UPDATE group_members SET role = ?, status = ?, joined_at = ? WHERE group_id = ? AND person_id = ?`,
			k.role, k.status, joined, g, keep); err != nil {
			return 0, fmt.Errorf("merge membership: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM group_members WHERE group_id = ? AND person_id = ?`, g, merge); err != nil {
			return 0, fmt.Errorf("merge membership: %w", err)
		}
	}
	return len(ms), nil
}

// parsePairKey splits a DuplicatePair.Key.
func parsePairKey(key string) (a, b string) {
	a, b, _ = strings.Cut(key, "|")
	return a, b
}

// markDistinct records that a and b (a < b) are two different people.
func markDistinct(ctx context.Context, tx *db.Tx, a, b, userID string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO people_distinct (a, b, decided_by, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (a, b) DO NOTHING`, a, b, nullStr(userID), now)
	if err != nil {
		return fmt.Errorf("mark distinct: %w", err)
	}
	return nil
}
