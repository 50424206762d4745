package groups

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// organiserEmails returns the addresses of the active organisers of each
// group: the person's primary address, else their account's.
func organiserEmails(ctx context.Context, q db.Querier, groupIDs []any) (map[string][]string, error) {
	rows, err := q.Query(ctx, `SELECT m.group_id, COALESCE(p.email, u.email, '')
		FROM group_members m JOIN people p ON p.id = m.person_id LEFT JOIN users u ON u.id = p.user_id
		WHERE m.group_id IN (`+placeholders(len(groupIDs))+`) AND m.role = 'organiser' AND m.status = 'active'
		ORDER BY m.group_id, 2`, groupIDs...)
	if err != nil {
		return nil, fmt.Errorf("organiser emails: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, fmt.Errorf("organiser emails: %w", err)
		}
		if email != "" {
			out[id] = append(out[id], email)
		}
	}
	return out, rows.Err()
}

// adminEmails returns the addresses of the network's admins (at most 1000).
func adminEmails(ctx context.Context, q db.Querier) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT email FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY email LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("admin emails: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, fmt.Errorf("admin emails: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// mergeCounts says what a merge moved, for the audit record.
type mergeCounts struct {
	Moved, Combined, Districts, Actions int64
}

// moveMembers moves every membership of from into into. People in only
// from move as they are, in one statement; people in both keep one row with
// the stronger status, the higher role, the earlier joining date, and the
// name choice of their active membership.
func moveMembers(ctx context.Context, tx *db.Tx, from, into string) (moved, combined int64, err error) {
	rows, err := tx.Query(ctx, `SELECT f.person_id, f.role, f.status, f.show_name, f.joined_at,
		t.role, t.status, t.show_name, t.joined_at
		FROM group_members f JOIN group_members t ON t.person_id = f.person_id AND t.group_id = ?
		WHERE f.group_id = ?`, into, from)
	if err != nil {
		return 0, 0, fmt.Errorf("merge members: %w", err)
	}
	var both []memberRow
	for rows.Next() {
		var f, t memberRow
		if err := rows.Scan(&f.PersonID, &f.Role, &f.Status, &f.ShowName, &f.JoinedAt,
			&t.Role, &t.Status, &t.ShowName, &t.JoinedAt); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("merge members: %w", err)
		}
		m := t
		m.GroupID, m.PersonID = into, f.PersonID
		if statusRank(f.Status) > statusRank(t.Status) {
			m.Status = f.Status
		}
		if roleRank(f.Role) > roleRank(t.Role) {
			m.Role = f.Role
		}
		if f.JoinedAt.Before(t.JoinedAt) {
			m.JoinedAt = f.JoinedAt
		}
		if t.Status != MemberActive {
			m.ShowName = f.ShowName
		}
		both = append(both, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("merge members: %w", err)
	}
	now := db.Now()
	for i := range both {
		both[i].UpdatedAt = now
		if err := putMember(ctx, tx, &both[i]); err != nil {
			return 0, 0, err
		}
	}
	res, err := tx.Exec(ctx, `UPDATE group_members SET group_id = ?, updated_at = ? WHERE group_id = ?
		AND person_id NOT IN (SELECT person_id FROM group_members WHERE group_id = ?)`, into, now, from, into)
	if err != nil {
		return 0, 0, fmt.Errorf("merge members: %w", err)
	}
	moved, _ = res.RowsAffected()
	if _, err := tx.Exec(ctx, `DELETE FROM group_members WHERE group_id = ?`, from); err != nil {
		return 0, 0, fmt.Errorf("merge members: %w", err)
	}
	return moved, int64(len(both)), nil
}

// moveDistricts gives into the districts of from that it lacks.
func moveDistricts(ctx context.Context, tx *db.Tx, from, into string) (int64, error) {
	res, err := tx.Exec(ctx, `INSERT INTO group_districts (group_id, district)
		SELECT ?, district FROM group_districts WHERE group_id = ?
		AND district NOT IN (SELECT district FROM group_districts WHERE group_id = ?)`, into, from, into)
	if err != nil {
		return 0, fmt.Errorf("merge districts: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.Exec(ctx, `DELETE FROM group_districts WHERE group_id = ?`, from); err != nil {
		return 0, fmt.Errorf("merge districts: %w", err)
	}
	return n, nil
}

// moveHistory re-labels the group's log and the timeline entries that
// other capabilities reported for it.
func moveHistory(ctx context.Context, tx *db.Tx, from, into string) (int64, error) {
	if _, err := tx.Exec(ctx, `UPDATE group_log SET group_id = ? WHERE group_id = ?`, into, from); err != nil {
		return 0, fmt.Errorf("merge history: %w", err)
	}
	res, err := tx.Exec(ctx, `UPDATE person_actions SET group_id = ? WHERE group_id = ?`, into, from)
	if err != nil {
		return 0, fmt.Errorf("merge history: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// staleGroups returns active groups with no activity since cutoff, the
// longest quiet first.
func staleGroups(ctx context.Context, q db.Querier, cutoff time.Time, limit int) ([]Group, error) {
	return queryGroups(ctx, q, groupSelect+fmt.Sprintf(` WHERE g.status = 'active' AND g.last_activity_at < ?
		ORDER BY g.last_activity_at, g.id LIMIT %d`, limit), cutoff)
}

func markDormant(ctx context.Context, q db.Querier, ids []any, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE groups SET status = 'dormant', dormant_at = ?, updated_at = ? WHERE id IN (`+
		placeholders(len(ids))+`)`, append([]any{now, now}, ids...)...)
	if err != nil {
		return fmt.Errorf("mark dormant: %w", err)
	}
	return nil
}

func reviveGroup(ctx context.Context, q db.Querier, id string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE groups SET status = 'active', dormant_at = NULL, archived_at = NULL,
		last_activity_at = ?, updated_at = ? WHERE id = ?`, now, now, id)
	if err != nil {
		return fmt.Errorf("revive %s: %w", id, err)
	}
	return nil
}

// archiveGroup archives a group; mergedInto is "" unless it was merged.
func archiveGroup(ctx context.Context, q db.Querier, id, mergedInto string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE groups SET status = 'archived', merged_into = ?, archived_at = ?, updated_at = ?
		WHERE id = ?`, nullable(mergedInto), now, now, id)
	if err != nil {
		return fmt.Errorf("archive %s: %w", id, err)
	}
	return nil
}

// bumpActivity moves last_activity_at forward to at (never back).
func bumpActivity(ctx context.Context, q db.Querier, id string, at time.Time) error {
	_, err := q.Exec(ctx, `UPDATE groups SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?`, at, id, at)
	if err != nil {
		return fmt.Errorf("activity of %s: %w", id, err)
	}
	return nil
}
