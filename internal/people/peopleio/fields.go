package peopleio

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// tagCache maps tag name keys to ids across a run's batches; tags created
// in a batch join it only once their transaction commits.
type tagCache struct {
	ids, pending map[string]string
}

func (c *tagCache) ensure(ctx context.Context, q db.Querier, names []string, now time.Time, create bool) (map[string]string, error) {
	out := map[string]string{}
	var missing []string
	display := map[string]string{}
	for _, n := range names {
		k := tagKey(n)
		if id := c.ids[k]; id != "" {
			out[k] = id
		} else if _, ok := display[k]; !ok {
			display[k] = n
			missing = append(missing, k)
		}
	}
	find := func() error {
		return queryIn(ctx, q, `SELECT id, name_key FROM tags WHERE name_key IN (?)`, missing, func(r *sql.Rows) error {
			var id, k string
			err := r.Scan(&id, &k)
			out[k] = id
			return err
		})
	}
	if err := find(); err != nil {
		return nil, fmt.Errorf("find tags: %w", err)
	}
	for _, k := range missing {
		if out[k] != "" {
			c.ids[k] = out[k]
			continue
		}
		if !create {
			out[k] = "new:" + k
			continue
		}
		id := db.NewID()
		if _, err := q.Exec(ctx, `INSERT INTO tags (id, name, name_key, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name_key) DO NOTHING`, id, display[k], k, now); err != nil {
			return nil, fmt.Errorf("create tag: %w", err)
		}
		if err := q.QueryRow(ctx, `SELECT id FROM tags WHERE name_key = ?`, k).Scan(&id); err != nil {
			return nil, fmt.Errorf("create tag: %w", err)
		}
		out[k] = id
		if c.pending == nil {
			c.pending = map[string]string{}
		}
		c.pending[k] = id
	}
	return out, nil
}

func (c *tagCache) commit()   { maps.Copy(c.ids, c.pending); c.pending = nil }
func (c *tagCache) rollback() { c.pending = nil }

// customDef is a custom field's kind and, for choices, its choices.
type customDef struct {
	kind    string
	choices []string
}

// checkCustomColumns refuses a mapping with a custom field no admin has
// defined: its values would have nowhere to go.
func checkCustomColumns(m peoplecsv.Mapping, defs map[string]customDef) error {
	for _, c := range m.Columns {
		if k, ok := c.Field.CustomKey(); ok {
			if _, defined := defs[k]; !defined {
				return errs.E(errs.Invalid, "The column %q is for a custom field %q that does not exist: an admin defines it first, or map the column to something else.", errs.Clip(c.Header, errs.EchoMax), errs.Clip(k, errs.EchoMax))
			}
		}
	}
	return nil
}

// checkCustomValues returns what is wrong with a record's custom values for
// their kinds, or "". Numbers and dates are normalised in place.
func checkCustomValues(r *peoplecsv.Record, defs map[string]customDef) string {
	for k, v := range r.Custom {
		d := defs[k]
		switch d.kind {
		case "number":
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Sprintf("custom:%s: %q is not a number", errs.Clip(k, errs.EchoMax), errs.Clip(v, errs.EchoMax))
			}
			r.Custom[k] = strconv.FormatFloat(n, 'f', -1, 64)
		case "date":
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return fmt.Sprintf("custom:%s: %q is not a date (YYYY-MM-DD)", errs.Clip(k, errs.EchoMax), errs.Clip(v, errs.EchoMax))
			}
			r.Custom[k] = t.Format(time.DateOnly)
		case "choice":
			if !slices.Contains(d.choices, v) {
				return fmt.Sprintf("custom:%s: %q is not one of the choices", errs.Clip(k, errs.EchoMax), errs.Clip(v, errs.EchoMax))
			}
		}
	}
	return ""
}
