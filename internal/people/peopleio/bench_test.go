package peopleio

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// benchRows is how many rows the import benchmarks use:
// MOMENTUM_BENCH_ROWS, default 100,000.
func benchRows(b *testing.B) int {
	if s := os.Getenv("MOMENTUM_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("MOMENTUM_BENCH_ROWS=%q is not a positive number", s)
		}
		return n
	}
	return 100_000
}

// engines runs a benchmark once per engine, each on a fresh database per
// iteration (made with the timer stopped).
func engines(b *testing.B, fn func(b *testing.B, fresh func() *db.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, func() *db.DB { return dbtest.NewSQLite(b) }) })
	b.Run("postgres", func(b *testing.B) { fn(b, func() *db.DB { return dbtest.NewPostgres(b) }) })
}

// BenchmarkImport imports a generated file of MOMENTUM_BENCH_ROWS people
// (names, email, mobile, postcode, town, an email opt-in on every seventh
// row) with one tag, into an empty database, and reports rows/s. Run it
// beside BenchmarkRawInsert:
//
//	MOMENTUM_BENCH_ROWS=1000000 go test ./internal/people/peopleio -run '^$' -bench 'Import|RawInsert' -benchtime 1x
func BenchmarkImport(b *testing.B) {
	n := benchRows(b)
	csv := genCSV(n)
	engines(b, func(b *testing.B, fresh func() *db.DB) { benchImport(b, n, csv, fresh) })
}

// BenchmarkImportBare is BenchmarkImport on SQLite with every secondary
// index of the tables an import writes dropped first (primary keys and
// unique constraints stay): how fast the import could be if indexes were
// built after a bulk load. It shows what index tuning alone can buy.
func BenchmarkImportBare(b *testing.B) {
	n := benchRows(b)
	benchImport(b, n, genCSV(n), func() *db.DB {
		d := dbtest.NewSQLite(b)
		dropSecondaryIndexes(b, d)
		return d
	})
}

// BenchmarkRawInsertAllBare is the ceiling of modernc's SQLite for what an
// import of these people must store: every row BenchmarkRawInsertAll
// writes (people, person_emails, person_phones, person_tags, and consents
// with their history for every seventh), already parsed and converted,
// sent by the import's own bulk path (100-row INSERTs, the import's cache,
// batches of DefaultBatchSize people per transaction) into tables with no
// secondary index at all; only primary keys and unique constraints stay,
// because matching people needs them. No look-ups, no matching, no
// parsing: no import of these people can be faster on SQLite.
func BenchmarkRawInsertAllBare(b *testing.B) {
	n := benchRows(b)
	recs := parseAll(b, genCSV(n))
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := dbtest.NewSQLite(b)
		dropSecondaryIndexes(b, d)
		ctx := context.Background()
		tagID := db.NewID()
		if _, err := d.Exec(ctx, `INSERT INTO tags (id, name, name_key, created_at) VALUES (?, 'bench', 'bench', ?)`, tagID, db.Now()); err != nil {
			b.Fatal(err)
		}
		var batches []map[*table][][]any // a batch's rows by table
		for off := 0; off < n; off += DefaultBatchSize {
			rows := rawAll(recs[off:min(off+DefaultBatchSize, n)], tagID)
			for t, rs := range rows {
				for k, r := range rs {
					rs[k] = typedNils(t, r)
				}
			}
			batches = append(batches, rows)
		}
		tables := []*table{peopleTable, emailsTable, phonesTable, tagsTable, consentsTable, historyTable}
		b.StartTimer()
		start := time.Now()
		restore, err := raiseCache(ctx, d)
		if err != nil {
			b.Fatal(err)
		}
		for _, rows := range batches {
			err = d.InTx(ctx, func(tx *db.Tx) error {
				for _, t := range tables {
					bk := newBulk(tx, t)
					for _, r := range rows[t] {
						if err := bk.add(r...); err != nil {
							return err
						}
					}
					if err := bk.flush(ctx); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				break
			}
		}
		restore()
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "rows/s")
}

// typedNils gives the bulk path the nil of each column's type where a raw
// row has an untyped nil.
func typedNils(t *table, row []any) []any {
	out := slices.Clone(row)
	for i, v := range out {
		if v != nil {
			continue
		}
		switch t.kinds[i] {
		case kFloat:
			out[i] = (*float64)(nil)
		case kNullTime:
			out[i] = (*time.Time)(nil)
		case kNullText:
			out[i] = ""
		}
	}
	return out
}

// dropSecondaryIndexes drops every index of the tables an import writes
// that is not a primary key or a unique constraint.
func dropSecondaryIndexes(b *testing.B, d *db.DB) {
	execGenerated(b, d, `SELECT 'DROP INDEX ' || name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('people', 'person_emails', 'person_phones', 'person_tags', 'person_actions', 'consents', 'consent_history')`)
}

// execGenerated runs each statement query returns.
func execGenerated(b *testing.B, d *db.DB, query string) {
	ctx := context.Background()
	var stmts []string
	rows, err := d.Query(ctx, query)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		stmts = append(stmts, "")
		if err := rows.Scan(&stmts[len(stmts)-1]); err != nil {
			b.Fatal(err)
		}
	}
	rows.Close()
	for _, st := range stmts {
		if _, err := d.Exec(ctx, st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportNoForeignKeys is BenchmarkImport on PostgreSQL with the
// foreign keys of the tables an import writes dropped first: what checking
// them row by row costs, and what the import would be without them.
func BenchmarkImportNoForeignKeys(b *testing.B) {
	n := benchRows(b)
	benchImport(b, n, genCSV(n), func() *db.DB { return postgresNoForeignKeys(b) })
}

// postgresNoForeignKeys is a fresh PostgreSQL database whose tables an
// import writes have no foreign keys; it skips without PostgreSQL.
func postgresNoForeignKeys(b *testing.B) *db.DB {
	if os.Getenv("MOMENTUM_TEST_POSTGRES_URL") == "" {
		b.Skip("MOMENTUM_TEST_POSTGRES_URL is not set")
	}
	d := dbtest.NewPostgres(b)
	execGenerated(b, d, `SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', conrelid::regclass, conname)
		FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN
		('person_emails', 'person_phones', 'person_tags', 'person_actions', 'consents', 'consent_history', 'donations')`)
	return d
}

// benchImport imports csv (n people, one tag) into a database from fresh,
// a new one per iteration made with the timer stopped, and reports rows/s.
func benchImport(b *testing.B, n int, csv string, fresh func() *db.DB) {
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		im := newImporter(b, fresh())
		b.StartTimer()
		start := time.Now()
		res, err := im.Import(system(), strings.NewReader(csv), Options{Tags: []string{"bench"}})
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if res.Created != n {
			b.Fatalf("created %d of %d", res.Created, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "rows/s")
}

// BenchmarkRawInsert inserts the same people, already parsed, into the
// people table alone by the fastest plain method of each engine: one
// prepared INSERT in one transaction on SQLite, COPY on PostgreSQL. It is
// the ceiling BenchmarkImport is measured against.
func BenchmarkRawInsert(b *testing.B) {
	n := benchRows(b)
	recs := parseAll(b, genCSV(n))
	engines(b, func(b *testing.B, fresh func() *db.DB) {
		var elapsed time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			d := fresh()
			rows := rawRows(recs)
			b.StartTimer()
			start := time.Now()
			var err error
			if d.Dialect == db.Postgres {
				_, err = d.Pool.CopyFrom(context.Background(), pgx.Identifier{"people"}, peopleTable.cols, pgx.CopyFromRows(rows))
			} else {
				err = rawSQLite(d, rows)
			}
			elapsed += time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "rows/s")
	})
}

// BenchmarkRawInsertAll inserts, by the same plain methods, every row the
// import of those people writes — people, person_emails, person_phones,
// person_tags, and consents with their history for every seventh — with no look-ups and no logic: the ceiling for the import's
// writes rather than for the people table alone.
func BenchmarkRawInsertAll(b *testing.B) {
	n := benchRows(b)
	recs := parseAll(b, genCSV(n))
	engines(b, func(b *testing.B, fresh func() *db.DB) { rawInsertAll(b, recs, fresh) })
}

// BenchmarkRawInsertAllNoForeignKeys is BenchmarkRawInsertAll on
// PostgreSQL with no foreign keys on the tables: COPY of every row the
// import writes, with neither logic nor checks.
func BenchmarkRawInsertAllNoForeignKeys(b *testing.B) {
	n := benchRows(b)
	recs := parseAll(b, genCSV(n))
	rawInsertAll(b, recs, func() *db.DB { return postgresNoForeignKeys(b) })
}

func rawInsertAll(b *testing.B, recs []peoplecsv.Record, fresh func() *db.DB) {
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := fresh()
		ctx := context.Background()
		tagID := db.NewID()
		if _, err := d.Exec(ctx, `INSERT INTO tags (id, name, name_key, created_at) VALUES (?, 'bench', 'bench', ?)`, tagID, db.Now()); err != nil {
			b.Fatal(err)
		}
		all := rawAll(recs, tagID)
		b.StartTimer()
		start := time.Now()
		var err error
		for _, t := range []*table{peopleTable, emailsTable, phonesTable, tagsTable, consentsTable, historyTable} {
			if d.Dialect == db.Postgres {
				_, err = d.Pool.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(all[t]))
			} else {
				err = rawSQLiteTable(d, t, all[t])
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(len(recs)*b.N)/elapsed.Seconds(), "rows/s")
}

// rawAll is every row an import of recs writes, by table.
func rawAll(recs []peoplecsv.Record, tagID string) map[*table][][]any {
	now := db.Now()
	out := map[*table][][]any{}
	for i, row := range rawRows(recs) {
		id := row[0]
		out[peopleTable] = append(out[peopleTable], row)
		out[emailsTable] = append(out[emailsTable], []any{recs[i].Emails[0], id, now})
		out[phonesTable] = append(out[phonesTable], []any{recs[i].Phones[0], id, now})
		out[tagsTable] = append(out[tagsTable], []any{tagID, id, now})
		if i%7 == 0 {
			out[consentsTable] = append(out[consentsTable], []any{id, "email", "granted", now, "import: bench.csv", ""})
			out[historyTable] = append(out[historyTable], []any{db.NewID(), id, "email", "granted", now, "import: bench.csv", "", "system"})
		}
	}
	return out
}

func rawSQLiteTable(d *db.DB, t *table, rows [][]any) error {
	ctx := context.Background()
	return d.InTx(ctx, func(tx *db.Tx) error {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ")
		st, err := tx.SQL().PrepareContext(ctx, "INSERT INTO "+t.name+" ("+strings.Join(t.cols, ", ")+") VALUES ("+ph+")")
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rows {
			if _, err := st.ExecContext(ctx, r...); err != nil {
				return err
			}
		}
		return nil
	})
}

func rawSQLite(d *db.DB, rows [][]any) error {
	ctx := context.Background()
	return d.InTx(ctx, func(tx *db.Tx) error {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(peopleTable.cols)), ", ")
		st, err := tx.SQL().PrepareContext(ctx, "INSERT INTO people ("+strings.Join(peopleTable.cols, ", ")+") VALUES ("+ph+")")
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rows {
			if _, err := st.ExecContext(ctx, r...); err != nil {
				return err
			}
		}
		return nil
	})
}

// rawRows are the people rows an import of recs would write.
func rawRows(recs []peoplecsv.Record) [][]any {
	now := db.Now()
	out := make([][]any, len(recs))
	for i, r := range recs {
		out[i] = []any{db.NewID(), r.GivenName, r.FamilyName, r.Emails[0], r.Phones[0], emailKey(r.Emails[0]),
			nameKey(r.GivenName, r.FamilyName), "", "", r.Locality, "", r.Postcode, r.District, "GB", nil, nil, "en",
			"supporter", nil, nil, "supporter", "import", "bench.csv", "{}", now, now}
	}
	return out
}

func parseAll(tb testing.TB, csv string) []peoplecsv.Record {
	dec, err := peoplecsv.NewDecoder(strings.NewReader(csv), nil)
	if err != nil {
		tb.Fatal(err)
	}
	var out []peoplecsv.Record
	for {
		rec, _, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, rec)
	}
}
