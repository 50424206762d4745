package groups

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// activityRow is one entry of a group's activity before names are judged.
type activityRow struct {
	At                   time.Time
	Kind, PersonID, Name string
	Detail               string // a role or group name (log), or the timeline summary
	FromTimeline         bool
	Shown                bool // the person lets members see their name in this group
}

// activityRows merges the group's log with, when withTimeline, the timeline
// entries other capabilities reported for it, newest first. Each branch
// takes its own newest rows through its (group_id, at) index; the outer
// query merges them. Requests and invitations are not activity.
func activityRows(ctx context.Context, q db.Querier, groupID string, withTimeline bool, limit int) ([]activityRow, error) {
	query := `SELECT a.at, a.kind, COALESCE(a.person_id, ''), a.detail, a.src, ` + personName + `, COALESCE(gm.show_name, FALSE)
		FROM (SELECT * FROM (SELECT at, kind, person_id, detail, 'log' AS src FROM group_log
				WHERE group_id = ? AND kind NOT IN ('requested', 'invited') ORDER BY at DESC LIMIT ?) l`
	args := []any{groupID, limit}
	if withTimeline {
		// The groups capability reports its own joins and role changes to
		// timelines too: the log already has them.
		query += ` UNION ALL SELECT * FROM (SELECT at, kind, person_id, summary AS detail, 'action' AS src FROM person_actions
				WHERE group_id = ? AND kind NOT LIKE 'group.%' ORDER BY at DESC LIMIT ?) pa`
		args = append(args, groupID, limit)
	}
	query += `) a LEFT JOIN people p ON p.id = a.person_id LEFT JOIN users u ON u.id = p.user_id
		LEFT JOIN group_members gm ON gm.group_id = ? AND gm.person_id = a.person_id
		ORDER BY a.at DESC LIMIT ?`
	args = append(args, groupID, limit)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("activity of %s: %w", groupID, err)
	}
	defer rows.Close()
	var out []activityRow
	for rows.Next() {
		var r activityRow
		var at dbTime
		var src string
		if err := rows.Scan(&at, &r.Kind, &r.PersonID, &r.Detail, &src, &r.Name, &r.Shown); err != nil {
			return nil, fmt.Errorf("activity of %s: %w", groupID, err)
		}
		r.At, r.FromTimeline = at.Time, src == "action"
		out = append(out, r)
	}
	return out, rows.Err()
}

// candidateRow is an active local group with one of its districts (or none).
type candidateRow struct {
	GroupID        string
	Centre         *geo.Point
	RadiusKm       float64
	District       string
	DistrictCentre *geo.Point // nil when geo knows no centre for District
}

// candidateRows reads every active local group's centre and districts, with
// the districts' centres, in one query.
func candidateRows(ctx context.Context, q db.Querier, limit int) ([]candidateRow, error) {
	rows, err := q.Query(ctx, fmt.Sprintf(`SELECT g.id, g.centre_lat, g.centre_lng, COALESCE(g.radius_km, 0),
		COALESCE(d.district, ''), pd.latitude, pd.longitude
		FROM groups g LEFT JOIN group_districts d ON d.group_id = g.id
		LEFT JOIN postcode_districts pd ON pd.district = d.district
		WHERE g.kind = 'local' AND g.status = 'active' ORDER BY g.id LIMIT %d`, limit))
	if err != nil {
		return nil, fmt.Errorf("nearest groups: %w", err)
	}
	defer rows.Close()
	var out []candidateRow
	for rows.Next() {
		var r candidateRow
		var glat, glng, dlat, dlng sql.NullFloat64
		if err := rows.Scan(&r.GroupID, &glat, &glng, &r.RadiusKm, &r.District, &dlat, &dlng); err != nil {
			return nil, fmt.Errorf("nearest groups: %w", err)
		}
		if glat.Valid && glng.Valid {
			r.Centre = &geo.Point{Lat: glat.Float64, Lng: glng.Float64}
		}
		if dlat.Valid && dlng.Valid {
			r.DistrictCentre = &geo.Point{Lat: dlat.Float64, Lng: dlng.Float64}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// dbTime scans a timestamp that may reach Go as text: SQLite reports no
// column type for the branches of a UNION, so its driver hands back the
// stored string.
type dbTime struct{ Time time.Time }

// Scan implements sql.Scanner.
func (t *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		t.Time = x.UTC()
		return nil
	case nil:
		t.Time = time.Time{}
		return nil
	case []byte:
		v = string(x)
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if tm, err := time.Parse(layout, s); err == nil {
			t.Time = tm.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}
