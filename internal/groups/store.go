package groups

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// Filter selects groups for List. Empty fields match everything.
type Filter struct {
	Kind     string
	RegionID string
	Status   string
	// Text matches the name or description, ignoring case.
	Text string
	// After pages: groups whose slug sorts after it (the last slug shown).
	After string
	// Limit defaults to 50; at most 200.
	Limit int
}

func (f Filter) limit() int {
	switch {
	case f.Limit <= 0:
		return 50
	case f.Limit > 200:
		return 200
	}
	return f.Limit
}

type scanner interface{ Scan(dest ...any) error }

// groupSelect reads every Group field but Districts, with the region's name,
// the merged-into group's slug and the count of active members (one indexed
// count per row of a page: not a query per group).
const groupSelect = `SELECT g.id, g.slug, g.name, g.kind, COALESCE(g.region_id, ''), COALESCE(r.name, ''),
	g.description, g.join_policy, g.status, COALESCE(g.merged_into, ''), COALESCE(mg.slug, ''), COALESCE(mg.name, ''),
	g.centre_lat, g.centre_lng, COALESCE(g.radius_km, 0), g.last_activity_at, g.dormant_at, g.archived_at,
	g.created_at, g.updated_at,
	(SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id AND m.status = 'active')
	FROM groups g LEFT JOIN regions r ON r.id = g.region_id LEFT JOIN groups mg ON mg.id = g.merged_into`

func scanGroup(s scanner) (*Group, error) {
	var g Group
	var lat, lng sql.NullFloat64
	var dormant, archived sql.NullTime
	err := s.Scan(&g.ID, &g.Slug, &g.Name, &g.Kind, &g.RegionID, &g.RegionName,
		&g.Description, &g.JoinPolicy, &g.Status, &g.MergedInto, &g.MergedIntoSlug, &g.MergedIntoName,
		&lat, &lng, &g.RadiusKm, &g.LastActivityAt, &dormant, &archived,
		&g.CreatedAt, &g.UpdatedAt, &g.MemberCount)
	if err != nil {
		return nil, err
	}
	if lat.Valid && lng.Valid {
		g.Centre = &geo.Point{Lat: lat.Float64, Lng: lng.Float64}
	}
	g.LastActivityAt, g.CreatedAt, g.UpdatedAt = g.LastActivityAt.UTC(), g.CreatedAt.UTC(), g.UpdatedAt.UTC()
	if dormant.Valid {
		g.DormantAt = dormant.Time.UTC()
	}
	if archived.Valid {
		g.ArchivedAt = archived.Time.UTC()
	}
	return &g, nil
}

// getGroup finds one group by "id" or "slug", with its districts.
func getGroup(ctx context.Context, q db.Querier, column, value string) (*Group, error) {
	g, err := scanGroup(q.QueryRow(ctx, groupSelect+` WHERE g.`+column+` = ?`, value))
	if err != nil {
		return nil, db.NotFound(err, "group "+value)
	}
	if err := loadDistricts(ctx, q, []*Group{g}); err != nil {
		return nil, err
	}
	return g, nil
}

// listGroups returns a page of groups ordered by slug.
func listGroups(ctx context.Context, q db.Querier, f Filter) ([]Group, error) {
	var where []string
	var args []any
	add := func(cond string, vs ...any) { where = append(where, cond); args = append(args, vs...) }
	if f.Kind != "" {
		add("g.kind = ?", f.Kind)
	}
	if f.RegionID != "" {
		add("g.region_id = ?", f.RegionID)
	}
	if f.Status != "" {
		add("g.status = ?", f.Status)
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		like := "%" + escapeLike(strings.ToLower(t)) + "%"
		add(`(LOWER(g.name) LIKE ? ESCAPE '\' OR LOWER(g.description) LIKE ? ESCAPE '\')`, like, like)
	}
	if f.After != "" {
		add("g.slug > ?", f.After)
	}
	query := groupSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY g.slug LIMIT %d", f.limit())
	return queryGroups(ctx, q, query, args...)
}

// queryGroups runs a groupSelect query and loads the districts of every
// group found in one more query.
func queryGroups(ctx context.Context, q db.Querier, query string, args ...any) ([]Group, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("list groups: %w", err)
		}
		out = append(out, *g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	ptrs := make([]*Group, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, loadDistricts(ctx, q, ptrs)
}

// loadDistricts fills Districts of every group in one query.
func loadDistricts(ctx context.Context, q db.Querier, gs []*Group) error {
	if len(gs) == 0 {
		return nil
	}
	byID := make(map[string]*Group, len(gs))
	args := make([]any, len(gs))
	for i, g := range gs {
		byID[g.ID] = g
		args[i] = g.ID
	}
	rows, err := q.Query(ctx, `SELECT group_id, district FROM group_districts WHERE group_id IN (`+
		placeholders(len(gs))+`) ORDER BY group_id, district`, args...)
	if err != nil {
		return fmt.Errorf("load districts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, d string
		if err := rows.Scan(&id, &d); err != nil {
			return fmt.Errorf("load districts: %w", err)
		}
		byID[id].Districts = append(byID[id].Districts, d)
	}
	return rows.Err()
}

func insertGroup(ctx context.Context, q db.Querier, g *Group) error {
	lat, lng := centreArgs(g.Centre)
	_, err := q.Exec(ctx, `INSERT INTO groups (id, slug, name, kind, region_id, description, join_policy, status,
		centre_lat, centre_lng, radius_km, last_activity_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ID, g.Slug, g.Name, g.Kind, nullable(g.RegionID), g.Description, g.JoinPolicy, g.Status,
		lat, lng, radiusArg(g), g.LastActivityAt, g.CreatedAt, g.UpdatedAt)
	if err != nil {
		return fmt.Errorf("insert group: %w", err)
	}
	return setDistricts(ctx, q, g.ID, g.Districts)
}

func updateGroup(ctx context.Context, q db.Querier, g *Group) error {
	lat, lng := centreArgs(g.Centre)
	_, err := q.Exec(ctx, `UPDATE groups SET name = ?, kind = ?, region_id = ?, description = ?, join_policy = ?,
		centre_lat = ?, centre_lng = ?, radius_km = ?, updated_at = ? WHERE id = ?`,
		g.Name, g.Kind, nullable(g.RegionID), g.Description, g.JoinPolicy, lat, lng, radiusArg(g), g.UpdatedAt, g.ID)
	if err != nil {
		return fmt.Errorf("update group %s: %w", g.ID, err)
	}
	return setDistricts(ctx, q, g.ID, g.Districts)
}

// setDistricts replaces a group's districts.
func setDistricts(ctx context.Context, q db.Querier, groupID string, districts []string) error {
	if _, err := q.Exec(ctx, `DELETE FROM group_districts WHERE group_id = ?`, groupID); err != nil {
		return fmt.Errorf("set districts: %w", err)
	}
	if len(districts) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(districts))
	values := make([]string, len(districts))
	for i, d := range districts {
		values[i] = "(?, ?)"
		args = append(args, groupID, d)
	}
	if _, err := q.Exec(ctx, `INSERT INTO group_districts (group_id, district) VALUES `+strings.Join(values, ", "), args...); err != nil {
		return fmt.Errorf("set districts: %w", err)
	}
	return nil
}

// freeSlug returns base, or base-2, base-3… whichever is not yet used in
// table (groups or regions).
func freeSlug(ctx context.Context, q db.Querier, table, base string) (string, error) {
	rows, err := q.Query(ctx, `SELECT slug FROM `+table+` WHERE slug = ? OR slug LIKE ?`, base, base+"-%")
	if err != nil {
		return "", fmt.Errorf("free slug: %w", err)
	}
	defer rows.Close()
	taken := slices.Clone(reservedSlugs)
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", fmt.Errorf("free slug: %w", err)
		}
		taken = append(taken, s)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	slug := base
	for n := 2; slices.Contains(taken, slug); n++ {
		slug = fmt.Sprintf("%s-%d", base, n)
	}
	return slug, nil
}

// touchGroup records activity now and wakes a dormant group. It reports
// whether the group was dormant.
func touchGroup(ctx context.Context, q db.Querier, groupID string, now time.Time) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE groups SET status = 'active', dormant_at = NULL, last_activity_at = ?, updated_at = ?
		WHERE id = ? AND status = 'dormant'`, now, now, groupID)
	if err != nil {
		return false, fmt.Errorf("touch group %s: %w", groupID, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return true, nil
	}
	if _, err := q.Exec(ctx, `UPDATE groups SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?`, now, groupID, now); err != nil {
		return false, fmt.Errorf("touch group %s: %w", groupID, err)
	}
	return false, nil
}

func centreArgs(p *geo.Point) (lat, lng any) {
	if p == nil {
		return nil, nil
	}
	return p.Lat, p.Lng
}

func radiusArg(g *Group) any {
	if g.Centre == nil {
		return nil
	}
	return g.RadiusKm
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
