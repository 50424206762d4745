package decisions

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// logWhere is the WHERE clause of the decision log for f and v: closed or
// published decisions the viewer may see (canView's rule in SQL).
func logWhere(f LogFilter, v logViewer) (string, []any) {
	where := []string{"d.status IN ('closed', 'published')"}
	var args []any
	public := "(d.status = 'published' AND d.public_record = ?)"
	switch {
	case v.all:
	case v.public || (v.personID == "" && !v.network):
		where, args = append(where, public), append(args, true)
	default:
		or := []string{public}
		args = append(args, true)
		if v.network {
			or = append(or, "d.group_id IS NULL")
		}
		if v.personID != "" {
			or = append(or, `d.group_id IN (SELECT m.group_id FROM group_members m WHERE m.person_id = ? AND m.status = 'active')`,
				`EXISTS (SELECT 1 FROM decision_electorate de WHERE de.decision_id = d.id AND de.person_id = ?)`)
			args = append(args, v.personID, v.personID)
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	if f.GroupID != "" {
		where, args = append(where, "d.group_id = ?"), append(args, f.GroupID)
	}
	if f.Topic != "" {
		where, args = append(where, "d.topic = ?"), append(args, f.Topic)
	}
	if !f.From.IsZero() {
		where, args = append(where, "d.closed_at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "d.closed_at < ?"), append(args, f.To.UTC())
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// extraScan scans a decision row followed by more columns.
type extraScan struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (e extraScan) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra...)...) }

// listLog reads one page of the log (one row more than f.Limit, to tell
// whether another page follows) with each decision's stored results JSON.
func listLog(ctx context.Context, q db.Querier, f LogFilter, v logViewer) ([]Decision, []string, error) {
	where, args := logWhere(f, v)
	rows, err := q.Query(ctx, `SELECT `+decisionCols+`, d.results`+decisionFrom+where+
		fmt.Sprintf(` ORDER BY d.closed_at DESC, d.id DESC LIMIT %d OFFSET %d`, f.Limit+1, f.Offset), args...)
	if err != nil {
		return nil, nil, fmt.Errorf("decision log: %w", err)
	}
	defer rows.Close()
	var ds []Decision
	var results []string
	for rows.Next() {
		var res sql.NullString
		d, err := scanDecision(extraScan{rows, []any{&res}})
		if err != nil {
			return nil, nil, fmt.Errorf("decision log: %w", err)
		}
		ds, results = append(ds, *d), append(results, res.String)
	}
	return ds, results, rows.Err()
}

// logChoices reads the groups and topics of the entries v may see.
func logChoices(ctx context.Context, q db.Querier, v logViewer) (*LogChoices, error) {
	where, args := logWhere(LogFilter{}, v)
	out := &LogChoices{}
	rows, err := q.Query(ctx, `SELECT DISTINCT g.id, g.name FROM decisions d JOIN groups g ON g.id = d.group_id`+where+
		` ORDER BY g.name, g.id LIMIT 200`, args...)
	if err != nil {
		return nil, fmt.Errorf("decision log groups: %w", err)
	}
	for rows.Next() {
		var g LogGroup
		if err := rows.Scan(&g.ID, &g.Name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("decision log groups: %w", err)
		}
		out.Groups = append(out.Groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("decision log groups: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT DISTINCT d.topic FROM decisions d`+where+` AND d.topic <> '' ORDER BY d.topic LIMIT 200`, args...)
	if err != nil {
		return nil, fmt.Errorf("decision log topics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("decision log topics: %w", err)
		}
		out.Topics = append(out.Topics, t)
	}
	return out, rows.Err()
}
