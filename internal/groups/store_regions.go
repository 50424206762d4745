package groups

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

func insertRegion(ctx context.Context, q db.Querier, r *Region) error {
	_, err := q.Exec(ctx, `INSERT INTO regions (id, name, slug, created_at) VALUES (?, ?, ?, ?)`,
		r.ID, r.Name, r.Slug, r.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert region: %w", err)
	}
	return nil
}

// maxRegions bounds Regions: a network has a dozen, not thousands.
const maxRegions = 500

func listRegions(ctx context.Context, q db.Querier) ([]Region, error) {
	rows, err := q.Query(ctx, fmt.Sprintf(`SELECT id, name, slug, created_at FROM regions ORDER BY name, id LIMIT %d`, maxRegions))
	if err != nil {
		return nil, fmt.Errorf("list regions: %w", err)
	}
	defer rows.Close()
	var out []Region
	for rows.Next() {
		var r Region
		if err := rows.Scan(&r.ID, &r.Name, &r.Slug, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("list regions: %w", err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

func regionExists(ctx context.Context, q db.Querier, id string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM regions WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("region %s: %w", id, err)
	}
	return n > 0, nil
}
