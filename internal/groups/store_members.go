package groups

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// memberRow is one group_members row.
type memberRow struct {
	GroupID, PersonID, Role, Status string
	ShowName                        bool
	JoinedAt, UpdatedAt             time.Time
}

const memberCols = `group_id, person_id, role, status, show_name, joined_at, updated_at`

func scanMember(s scanner) (*memberRow, error) {
	var m memberRow
	if err := s.Scan(&m.GroupID, &m.PersonID, &m.Role, &m.Status, &m.ShowName, &m.JoinedAt, &m.UpdatedAt); err != nil {
		return nil, err
	}
	m.JoinedAt, m.UpdatedAt = m.JoinedAt.UTC(), m.UpdatedAt.UTC()
	return &m, nil
}

// getMember returns the row, or nil when the person has none in the group.
func getMember(ctx context.Context, q db.Querier, groupID, personID string) (*memberRow, error) {
	m, err := scanMember(q.QueryRow(ctx, `SELECT `+memberCols+` FROM group_members WHERE group_id = ? AND person_id = ?`, groupID, personID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("membership %s/%s: %w", groupID, personID, err)
	}
	return m, nil
}

// putMember inserts or replaces a membership.
func putMember(ctx context.Context, q db.Querier, m *memberRow) error {
	_, err := q.Exec(ctx, `INSERT INTO group_members (`+memberCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (group_id, person_id) DO UPDATE SET role = excluded.role, status = excluded.status,
			show_name = excluded.show_name, joined_at = excluded.joined_at, updated_at = excluded.updated_at`,
		m.GroupID, m.PersonID, m.Role, m.Status, m.ShowName, m.JoinedAt, m.UpdatedAt)
	if err != nil {
		return fmt.Errorf("save membership %s/%s: %w", m.GroupID, m.PersonID, err)
	}
	return nil
}

func deleteMember(ctx context.Context, q db.Querier, groupID, personID string) error {
	if _, err := q.Exec(ctx, `DELETE FROM group_members WHERE group_id = ? AND person_id = ?`, groupID, personID); err != nil {
		return fmt.Errorf("delete membership: %w", err)
	}
	return nil
}

// personOfUser returns the person record linked to an account, or "".
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

// personByEmail finds a person by any of their addresses (lowercased).
func personByEmail(ctx context.Context, q db.Querier, email string) (string, error) {
	var id string
	err := q.QueryRow(ctx, `SELECT person_id FROM person_emails WHERE address = ?`, email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("person by email: %w", err)
	}
	return id, nil
}

// personExists reports whether there is a person with this id.
func personExists(ctx context.Context, q db.Querier, id string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM people WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("person %s: %w", id, err)
	}
	return n > 0, nil
}

// activeOrganisers counts a group's active organisers.
func activeOrganisers(ctx context.Context, q db.Querier, groupID string) (organisers, members int, err error) {
	err = q.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN role = 'organiser' THEN 1 ELSE 0 END), 0), COUNT(*)
		FROM group_members WHERE group_id = ? AND status = 'active'`, groupID).Scan(&organisers, &members)
	if err != nil {
		return 0, 0, fmt.Errorf("count organisers of %s: %w", groupID, err)
	}
	return organisers, members, nil
}

// personName is a person's display name: their record's name, else their
// account's ("" once erased).
const personName = `CASE WHEN TRIM(p.given_name || ' ' || p.family_name) <> ''
	THEN TRIM(p.given_name || ' ' || p.family_name) ELSE COALESCE(u.name, '') END`

// memberQuery selects memberships for a page of Members or Pending.
type memberQuery struct {
	GroupID   string
	Statuses  []string
	OnlyShown bool   // only members who chose to be listed by name
	After     string // person id of the last row shown
	Limit     int
	// Search keeps the members whose name contains it, ignoring case
	// (issue 16: the members page's search).
	Search string
}

func listMembers(ctx context.Context, q db.Querier, mq memberQuery) ([]Member, error) {
	args := []any{mq.GroupID}
	query := `SELECT m.person_id, ` + personName + `, m.role, m.status, m.show_name, m.joined_at
		FROM group_members m JOIN people p ON p.id = m.person_id LEFT JOIN users u ON u.id = p.user_id
		WHERE m.group_id = ? AND m.status IN (` + placeholders(len(mq.Statuses)) + `)`
	for _, s := range mq.Statuses {
		args = append(args, s)
	}
	if mq.OnlyShown {
		query += ` AND m.show_name = TRUE`
	}
	if mq.Search != "" {
		query += ` AND LOWER(` + personName + `) LIKE ?`
		args = append(args, "%"+strings.ToLower(strings.NewReplacer("%", "", "_", "").Replace(mq.Search))+"%")
	}
	if mq.After != "" {
		query += ` AND (m.joined_at, m.person_id) > (SELECT joined_at, person_id FROM group_members WHERE group_id = ? AND person_id = ?)`
		args = append(args, mq.GroupID, mq.After)
	}
	query += fmt.Sprintf(` ORDER BY m.joined_at, m.person_id LIMIT %d`, mq.Limit)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list members of %s: %w", mq.GroupID, err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.PersonID, &m.Name, &m.Role, &m.Status, &m.ShowName, &m.JoinedAt); err != nil {
			return nil, fmt.Errorf("list members of %s: %w", mq.GroupID, err)
		}
		m.JoinedAt = m.JoinedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// maxMyGroups bounds MyGroups: nobody organises in hundreds of groups.
const maxMyGroups = 200

// myMemberships returns a person's memberships that have not ended, with
// their groups, by group name.
func myMemberships(ctx context.Context, q db.Querier, personID string) ([]Membership, error) {
	rows, err := q.Query(ctx, `SELECT m.group_id, m.role, m.status, m.show_name, m.joined_at
		FROM group_members m JOIN groups g ON g.id = m.group_id
		WHERE m.person_id = ? AND m.status <> 'left' ORDER BY g.name, g.id LIMIT `+fmt.Sprint(maxMyGroups), personID)
	if err != nil {
		return nil, fmt.Errorf("my groups: %w", err)
	}
	var out []Membership
	var ids []any
	for rows.Next() {
		var m Membership
		if err := rows.Scan(&m.Group.ID, &m.Role, &m.Status, &m.ShowName, &m.JoinedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("my groups: %w", err)
		}
		m.JoinedAt = m.JoinedAt.UTC()
		out = append(out, m)
		ids = append(ids, m.Group.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	gs, err := queryGroups(ctx, q, groupSelect+` WHERE g.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Group, len(gs))
	for _, g := range gs {
		byID[g.ID] = g
	}
	for i := range out {
		out[i].Group = byID[out[i].Group.ID]
	}
	return out, nil
}

// addLog appends to a group's own history.
func addLog(ctx context.Context, q db.Querier, groupID, kind, personID, detail string, at time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO group_log (id, group_id, at, kind, person_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		db.NewID(), groupID, at, kind, nullable(personID), detail)
	if err != nil {
		return fmt.Errorf("group log %s: %w", kind, err)
	}
	return nil
}

// membershipOfUser returns the membership (any status) of the person linked
// to an account, or nil: one indexed query (people.user_id, then the
// group_members key).
func membershipOfUser(ctx context.Context, q db.Querier, userID, groupID string) (*memberRow, error) {
	m, err := scanMember(q.QueryRow(ctx, `SELECT m.group_id, m.person_id, m.role, m.status, m.show_name, m.joined_at, m.updated_at
		FROM people p JOIN group_members m ON m.person_id = p.id WHERE p.user_id = ? AND m.group_id = ?`, userID, groupID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("membership of user %s in %s: %w", userID, groupID, err)
	}
	return m, nil
}
