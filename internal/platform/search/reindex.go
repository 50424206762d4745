package search

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// reindexBatch is how many Docs one reindexing transaction writes: big
// enough to be quick, small enough not to hold SQLite's writer for long.
const reindexBatch = 500

// Counts says what a reindex did.
type Counts struct {
	Put     int // Docs written (added or replaced)
	Removed int // Docs of the sources' kinds no source emitted any more
}

// Reindex rebuilds the index from sources: every Doc they emit is Put, in
// transactions of reindexBatch Docs, and then the Docs of the kinds they
// emitted that none of them emitted this time are deleted. Search keeps
// answering throughout (from the old Docs until each is replaced).
func Reindex(ctx context.Context, d *db.DB, sources ...Source) (Counts, error) {
	var c Counts
	seen := map[string]map[string]bool{} // kind → ids emitted
	var batch []Doc
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for _, x := range batch {
				if err := Put(ctx, tx, x); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		c.Put += len(batch)
		batch = batch[:0]
		return nil
	}
	for _, src := range sources {
		err := src.SearchDocs(ctx, d.Q(), func(x Doc) error {
			if seen[x.Kind] == nil {
				seen[x.Kind] = map[string]bool{}
			}
			seen[x.Kind][x.ID] = true
			batch = append(batch, x)
			if len(batch) >= reindexBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return c, fmt.Errorf("reindex %T: %w", src, err)
		}
	}
	if err := flush(); err != nil {
		return c, err
	}
	kinds := make([]string, 0, len(seen))
	for k := range seen {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		n, err := sweep(ctx, d, k, seen[k])
		c.Removed += n
		if err != nil {
			return c, err
		}
	}
	return c, nil
}

// sweep deletes the Docs of kind whose ids are not in keep.
func sweep(ctx context.Context, d *db.DB, kind string, keep map[string]bool) (int, error) {
	rows, err := d.Query(ctx, `SELECT id FROM search_docs WHERE kind = ?`, kind)
	if err != nil {
		return 0, fmt.Errorf("reindex sweep %s: %w", kind, err)
	}
	var gone []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("reindex sweep %s: %w", kind, err)
		}
		if !keep[id] {
			gone = append(gone, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("reindex sweep %s: %w", kind, err)
	}
	total := len(gone)
	for len(gone) > 0 {
		n := min(reindexBatch, len(gone))
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for _, id := range gone[:n] {
				if err := Delete(ctx, tx, kind, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("reindex sweep %s: %w", kind, err)
		}
		gone = gone[n:]
	}
	return total, nil
}

// Empty reports whether the index holds no Doc.
func Empty(ctx context.Context, q db.Querier) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_docs LIMIT 1) x`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("search index: %w", err)
	}
	return n == 0, nil
}

// ReindexIfEmpty builds the index from sources when it is empty (the first
// start after the upgrade that added search, or a restored database
// without it); an index with Docs is left alone. With no records it writes
// nothing.
func ReindexIfEmpty(ctx context.Context, d *db.DB, log *slog.Logger, sources ...Source) error {
	empty, err := Empty(ctx, d.Q())
	if err != nil || !empty {
		return err
	}
	c, err := Reindex(ctx, d, sources...)
	if err != nil {
		return err
	}
	if c.Put > 0 && log != nil {
		log.Info("search index built", "docs", c.Put)
	}
	return nil
}
