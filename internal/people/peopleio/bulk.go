package peopleio

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// The bulk path. An import writes thousands of rows per transaction into a
// handful of tables; each table's rows of a batch go in with as few
// statements as the engine allows:
//
//   - SQLite: a prepared INSERT of 100 rows (VALUES (…), (…), …), reused
//     for the whole batch. Measured here (50,000 people rows, CPU time):
//     1.5 s with a prepared statement per row, 1.2 s with 100-row VALUES,
//     2.0 s sending the batch as JSON through json_each (SQLite turns each
//     row back into JSON text before ->> reads it).
//   - PostgreSQL: INSERT … SELECT FROM unnest($1::text[], …), every column
//     one array: one round trip, inside the same database/sql transaction
//     as everything else. COPY would need pgx's own connection, outside
//     db.InTx, and is hardly faster here: the time goes into the
//     foreign-key checks PostgreSQL runs per row, which COPY runs too
//     (100,000 person_tags rows: 1.9 s with unnest, 1.6 s with COPY, 0.5 s
//     with unnest and no foreign keys).

// kind is a column's Go and PostgreSQL array type.
type kind int

const (
	kText     kind = iota // string
	kNullText             // string, "" stored as NULL
	kTime                 // time.Time
	kNullTime             // *time.Time
	kFloat                // *float64 (nullable)
	kInt                  // int64
	kBool                 // bool
)

var pgArray = map[kind]string{kText: "text[]", kNullText: "text[]", kTime: "timestamptz[]",
	kNullTime: "timestamptz[]", kFloat: "float8[]", kInt: "int8[]", kBool: "bool[]"}

// table describes the rows a bulk writer inserts.
type table struct {
	name  string
	cols  []string
	kinds []kind
	// suffix follows the VALUES or SELECT: "ON CONFLICT … DO …".
	suffix string
}

// bulk inserts rows of one table inside a transaction: add queues them,
// flush sends them.
type bulk struct {
	t    *table
	tx   *db.Tx
	vals []any   // SQLite: the rows' values, row after row
	cols [][]any // PostgreSQL: the values by column
	n    int
}

func newBulk(tx *db.Tx, t *table) *bulk {
	return &bulk{t: t, tx: tx}
}

// add queues one row.
func (b *bulk) add(vals ...any) error {
	if len(vals) != len(b.t.cols) {
		return fmt.Errorf("bulk %s: %d values for %d columns", b.t.name, len(vals), len(b.t.cols))
	}
	b.n++
	if b.tx.Dialect() == db.Postgres {
		if b.cols == nil {
			b.cols = make([][]any, len(vals))
		}
		for i, v := range vals {
			b.cols[i] = append(b.cols[i], v)
		}
		return nil
	}
	for i, v := range vals {
		b.vals = append(b.vals, sqliteValue(b.t.kinds[i], v))
	}
	return nil
}

// flush sends the queued rows.
func (b *bulk) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	b.n = 0
	var query string
	var args []any
	if b.tx.Dialect() == db.Postgres {
		args = make([]any, len(b.cols))
		casts := make([]string, len(b.cols))
		for i, vs := range b.cols {
			args[i] = pgColumn(b.t.kinds[i], vs)
			casts[i] = fmt.Sprintf("$%d::%s", i+1, pgArray[b.t.kinds[i]])
		}
		b.cols = nil
		query = fmt.Sprintf("INSERT INTO %s (%s) SELECT * FROM unnest(%s) %s",
			b.t.name, strings.Join(b.t.cols, ", "), strings.Join(casts, ", "), b.t.suffix)
	} else {
		return b.flushSQLite(ctx)
	}
	// Placeholders are final ($n or one ?): run on the *sql.Tx, not through Rebind.
	if _, err := b.tx.SQL().ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("insert into %s: %w", b.t.name, err)
	}
	return nil
}

// valuesRows is how many rows one SQLite INSERT carries.
const valuesRows = 100

func (b *bulk) flushSQLite(ctx context.Context) error {
	width := len(b.t.cols)
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	for len(b.vals) > 0 {
		k := min(valuesRows, len(b.vals)/width)
		st := stmts[k]
		if st == nil {
			var err error
			st, err = b.tx.SQL().PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES %s %s",
				b.t.name, strings.Join(b.t.cols, ", "), strings.TrimSuffix(strings.Repeat(row+", ", k), ", "), b.t.suffix))
			if err != nil {
				return fmt.Errorf("insert into %s: %w", b.t.name, err)
			}
			stmts[k] = st
		}
		if _, err := st.ExecContext(ctx, b.vals[:k*width]...); err != nil {
			return fmt.Errorf("insert into %s: %w", b.t.name, err)
		}
		b.vals = b.vals[k*width:]
	}
	return nil
}

// sqliteValue turns "" and nil pointers into NULL for the driver.
func sqliteValue(k kind, v any) any {
	switch k {
	case kNullText:
		if v.(string) == "" {
			return nil
		}
	case kNullTime:
		if t := v.(*time.Time); t != nil {
			return *t
		}
		return nil
	case kFloat:
		if f := v.(*float64); f != nil {
			return *f
		}
		return nil
	}
	return v
}

// pgColumn turns one column's values into the typed slice pgx sends as
// an array.
func pgColumn(k kind, vs []any) any {
	switch k {
	case kText:
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = v.(string)
		}
		return out
	case kNullText:
		out := make([]*string, len(vs))
		for i, v := range vs {
			if s := v.(string); s != "" {
				out[i] = &s
			}
		}
		return out
	case kTime:
		out := make([]time.Time, len(vs))
		for i, v := range vs {
			out[i] = v.(time.Time)
		}
		return out
	case kNullTime:
		out := make([]*time.Time, len(vs))
		for i, v := range vs {
			out[i] = v.(*time.Time)
		}
		return out
	case kFloat:
		out := make([]*float64, len(vs))
		for i, v := range vs {
			out[i] = v.(*float64)
		}
		return out
	case kInt:
		out := make([]int64, len(vs))
		for i, v := range vs {
			out[i] = v.(int64)
		}
		return out
	default:
		out := make([]bool, len(vs))
		for i, v := range vs {
			out[i] = v.(bool)
		}
		return out
	}
}
