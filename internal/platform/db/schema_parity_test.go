package db_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// schemaAllowed lists the known, intended differences between the two
// dialects' migrations, each with its reason. A line here names one table,
// column or index as schemaItems writes it; the test fails when an
// allowed difference has gone (so the list never keeps stale lines).
var schemaAllowed = map[string]string{
	// issue 13: search index. Each engine's full-text index is its own:
	// SQLite's FTS5 table search_fts and the shadow tables FTS5 makes for it;
	// PostgreSQL's tsvector column over search_docs and its GIN index.
	"column search_fts.body":                   "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts.context":                "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts.title":                  "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts_config.k":               "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts_config.v":               "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts_data.block":             "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts_data.id":                "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts_docsize.id":             "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts_docsize.sz":             "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts_idx.pgno":               "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts_idx.segid":              "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_fts_idx.term":               "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"primary key search_fts_config (k)":        "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"primary key search_fts_data (id)":         "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"primary key search_fts_docsize (id)":      "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"primary key search_fts_idx (segid, term)": "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"table search_fts":                         "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"table search_fts_config":                  "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"table search_fts_data":                    "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"table search_fts_docsize":                 "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"table search_fts_idx":                     "SQLite FTS5 index over search_docs (PostgreSQL: search_docs.tsv)",
	"column search_docs.tsv":                   "PostgreSQL full-text index over search_docs (SQLite: search_fts)",
	"index search_docs.search_docs_tsv (tsv)":  "PostgreSQL full-text index over search_docs (SQLite: search_fts)",
}

// TestSchemaParity migrates a fresh SQLite and a fresh PostgreSQL database
// and checks that both have the same tables, the same columns in each, and
// the same named indexes over the same columns, apart from schemaAllowed.
// The two dialects' migrations are written by hand side by side; this is
// what catches a column or an index added to one and forgotten in the
// other.
func TestSchemaParity(t *testing.T) {
	lite := schemaItems(t, dbtest.NewSQLite(t))
	pg := schemaItems(t, dbtest.NewPostgres(t))
	if len(lite) < 50 {
		t.Fatalf("SQLite schema has only %d items; is the query right?", len(lite))
	}
	used := map[string]bool{}
	for _, it := range difference(lite, pg) {
		if _, ok := schemaAllowed[it]; ok {
			used[it] = true
			continue
		}
		t.Errorf("only in SQLite: %s", it)
	}
	for _, it := range difference(pg, lite) {
		if _, ok := schemaAllowed[it]; ok {
			used[it] = true
			continue
		}
		t.Errorf("only in PostgreSQL: %s", it)
	}
	for it := range schemaAllowed {
		if !used[it] {
			t.Errorf("schemaAllowed lists %s, which is now the same on both engines: remove the line", it)
		}
	}
}

// difference returns the items of a that are not in b.
func difference(a, b []string) []string {
	var out []string
	for _, it := range a {
		if _, ok := slices.BinarySearch(b, it); !ok {
			out = append(out, it)
		}
	}
	return out
}

// schemaItems describes d's schema as sorted lines:
//
//	table people
//	column people.email
//	index people.people_email_idx unique (email)
//	primary key people (id)
//	unique users (email)
//
// Column types are left out: the dialects spell them differently on
// purpose (TEXT for timestamps on SQLite, TIMESTAMPTZ on PostgreSQL).
// Indexes are those created by name (CREATE INDEX), with their columns, and
// whether they are unique or partial; the ones engines make for primary keys
// and UNIQUE constraints are named differently by each, so those are
// compared as the constraint and its columns. Expression columns show as
// "expr". Migration bookkeeping is left out.
func schemaItems(t *testing.T, d *db.DB) []string {
	t.Helper()
	ctx := context.Background()
	var q string
	switch d.Dialect {
	case db.SQLite:
		q = `
SELECT 'table ' || m.name FROM sqlite_master m
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
UNION ALL
SELECT 'column ' || m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
UNION ALL
SELECT 'index ' || m.tbl_name || '.' || m.name || CASE WHEN il."unique" THEN ' unique' ELSE '' END ||
       CASE WHEN il.partial THEN ' partial' ELSE '' END || ' (' ||
       (SELECT group_concat(COALESCE(ii.name, 'expr'), ', ') FROM
          (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno) ii) || ')'
  FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) il ON il.name = m.name
 WHERE m.type = 'index' AND m.sql IS NOT NULL
UNION ALL
SELECT 'primary key ' || m.name || ' (' ||
       (SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_table_info(m.name) WHERE pk > 0 ORDER BY pk)) || ')'
  FROM sqlite_master m
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE pk > 0)
UNION ALL
SELECT 'unique ' || m.name || ' (' ||
       (SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno)) || ')'
  FROM sqlite_master m JOIN pragma_index_list(m.name) il ON il.origin = 'u'
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	case db.Postgres:
		q = `
SELECT 'table ' || c.relname FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
UNION ALL
SELECT 'column ' || table_name || '.' || column_name FROM information_schema.columns
 WHERE table_schema = 'public'
   AND table_name IN (SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p'))
UNION ALL
SELECT 'index ' || t.relname || '.' || i.relname || CASE WHEN x.indisunique THEN ' unique' ELSE '' END ||
       CASE WHEN x.indpred IS NOT NULL THEN ' partial' ELSE '' END || ' (' ||
       (SELECT string_agg(COALESCE(a.attname, 'expr'), ', ' ORDER BY k.n)
          FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
          LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0) || ')'
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
 WHERE t.relnamespace = 'public'::regnamespace
   AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid)
UNION ALL
SELECT CASE con.contype WHEN 'p' THEN 'primary key ' ELSE 'unique ' END || t.relname || ' (' ||
       (SELECT string_agg(a.attname, ', ' ORDER BY k.n)
          FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) || ')'
  FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
 WHERE t.relnamespace = 'public'::regnamespace AND con.contype IN ('p', 'u')`
	}
	rows, err := d.Query(ctx, q)
	if err != nil {
		t.Fatalf("%s schema: %v", d.Dialect, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatalf("%s schema: %v", d.Dialect, err)
		}
		if strings.Contains(s, "schema_migrations") {
			continue
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s schema: %v", d.Dialect, err)
	}
	slices.Sort(out)
	return out
}

// TestSchemaParityNotices shows the comparison can fail: a column and an
// index added to one engine only are both reported.
func TestSchemaParityNotices(t *testing.T) {
	d := dbtest.NewSQLite(t)
	before := schemaItems(t, d)
	ctx := context.Background()
	for _, q := range []string{`ALTER TABLE people ADD COLUMN only_here TEXT`, `CREATE INDEX people_only_here ON people (only_here)`} {
		if _, err := d.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	got := difference(schemaItems(t, d), before)
	want := []string{"column people.only_here", "index people.people_only_here (only_here)"}
	if !slices.Equal(got, want) {
		t.Fatalf("difference %q, want %q", got, want)
	}
}
