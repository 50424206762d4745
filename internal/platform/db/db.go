package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Dialect names a database engine.
type Dialect string

// The engines Momentum runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNotFound is returned (wrapped) when a query that must find a row finds none.
var ErrNotFound = errors.New("not found")

// Options say which database to open.
type Options struct {
	// URL is a postgres:// or postgresql:// connection string. Empty means SQLite.
	URL string
	// Path is the SQLite file (created with its folder when missing).
	Path string
	// Readers is the size of the SQLite reader pool (default 4).
	Readers int
}

// DB is an open database. Writes and transactions go to W; plain reads to R
// (the same pool on PostgreSQL).
type DB struct {
	Dialect Dialect
	W       *sql.DB
	R       *sql.DB
	// Pool is pgx's native pool, for COPY and LISTEN/NOTIFY. Nil on SQLite.
	Pool *pgxpool.Pool
	// URL is the PostgreSQL connection string, Path the SQLite file.
	URL  string
	Path string

	reads stmtCache // SQLite only
	// writes keeps prepared statements for transactions on the SQLite
	// writer (issue 14: a petition signature runs some thirty statements,
	// and parsing them was a sixth of its time). See Tx.stmt.
	writes stmtCache
}

// Open opens and pings the database. It does not migrate: call Migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.URL != "" {
		return openPostgres(ctx, o.URL)
	}
	return openSQLite(ctx, o)
}

// SQLiteDSN returns the modernc.org/sqlite data source name Momentum uses
// for a file: WAL, a five-second busy timeout, foreign keys on,
// secure_delete (what is deleted — sealed ballots moved to the box, an
// erased person's record — is overwritten with zeros, not left in the
// file's free pages), a checkpoint every 8,000 WAL pages rather than
// SQLite's 1,000 (each checkpoint syncs the file; a busy petition writes
// some forty pages per signature, so at the default one in every 25
// signatures waited for it: issue 14, docs/PERFORMANCE.md), and times
// written in a form that sorts and parses back.
func SQLiteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(5000)", "foreign_keys(ON)", "synchronous(NORMAL)", "secure_delete(ON)", "wal_autocheckpoint(8000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "sqlite")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, o Options) (*DB, error) {
	if o.Path == "" {
		return nil, errors.New("open sqlite: no path given")
	}
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite: create folder: %w", err)
	}
	dsn := SQLiteDSN(o.Path)
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", o.Path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", o.Path, err)
	}
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", o.Path, err)
	}
	n := o.Readers
	if n <= 0 {
		n = 4
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &DB{Dialect: SQLite, W: w, R: r, Path: o.Path}, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: the database URL is not valid: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", redact(url), err)
	}
	sqldb := stdlib.OpenDBFromPool(pool)
	return &DB{Dialect: Postgres, W: sqldb, R: sqldb, Pool: pool, URL: url}, nil
}

// redact removes a password from a connection URL for messages.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparseable URL)"
	}
	return p.Redacted()
}

// Close closes every pool.
func (d *DB) Close() error {
	d.reads.close()
	d.writes.close()
	var errs []error
	if d.R != nil && d.R != d.W {
		errs = append(errs, d.R.Close())
	}
	if d.W != nil {
		errs = append(errs, d.W.Close())
	}
	if d.Pool != nil {
		d.Pool.Close()
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers; /readyz uses it.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.W.PingContext(ctx); err != nil {
		return err
	}
	var one int
	return d.R.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Querier runs SQL with ? placeholders. Both *DB and *Tx implement it.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
}

// conn wraps DB so its methods don't clash with the Dialect field.
type dbQuerier struct{ d *DB }

// Q returns d as a Querier: reads on the reader pool, writes on the writer.
func (d *DB) Q() Querier { return dbQuerier{d} }

func (q dbQuerier) Dialect() Dialect { return q.d.Dialect }
func (q dbQuerier) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.d.W.ExecContext(ctx, q.d.Rebind(query), args...)
}
func (q dbQuerier) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.d.readStmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.d.R.QueryContext(ctx, q.d.Rebind(query), args...)
}
func (q dbQuerier) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.d.readStmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.d.R.QueryRowContext(ctx, q.d.Rebind(query), args...)
}

// readStmt returns a cached prepared statement for a read on SQLite, or nil.
func (d *DB) readStmt(ctx context.Context, query string) *sql.Stmt {
	if d.Dialect != SQLite {
		return nil
	}
	return d.reads.get(ctx, d.R, query)
}

// Exec runs a statement on the writer.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.Q().Exec(ctx, query, args...)
}

// Query runs a query on the reader pool.
func (d *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.Q().Query(ctx, query, args...)
}

// QueryRow runs a one-row query on the reader pool.
func (d *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return d.Q().QueryRow(ctx, query, args...)
}

// Tx is a transaction on the writer. It implements Querier.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	d       *DB
	// unprepared are the statements this transaction ran that the
	// writer's cache lacks; InTx prepares them once the writer is free.
	unprepared []string
	// afterCommit runs once the transaction has committed.
	afterCommit []func()
}

// Dialect reports the engine.
func (t *Tx) Dialect() Dialect { return t.dialect }

// SQL returns the underlying *sql.Tx, for libraries (River) that take one.
func (t *Tx) SQL() *sql.Tx { return t.tx }

// Exec runs a statement in the transaction.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, rebind(t.dialect, query), args...)
}

// stmt returns the writer's prepared statement for query, bound to this
// transaction, on SQLite; nil elsewhere or when it is not prepared yet.
// It cannot prepare here: the writer pool's one connection is this
// transaction's, so the statement is prepared after the commit (see
// prepareWrites) and used from the next transaction on. database/sql
// keeps it per connection and prepares it again on a new one.
func (t *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if t.d == nil || t.dialect != SQLite {
		return nil
	}
	if st := t.d.writes.lookup(query); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	t.unprepared = append(t.unprepared, query)
	return nil
}

// Query runs a query in the transaction.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, rebind(t.dialect, query), args...)
}

// QueryRow runs a one-row query in the transaction.
func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, rebind(t.dialect, query), args...)
}

// AfterCommit registers fn to run after a successful commit (to publish a
// live event or wake a worker only once the data is visible).
func (t *Tx) AfterCommit(fn func()) { t.afterCommit = append(t.afterCommit, fn) }

// InTx runs fn in a transaction on the writer, committing when fn returns nil
// and rolling back otherwise (and on panic).
func (d *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	stx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{tx: stx, dialect: d.Dialect, d: d}
	defer d.prepareWrites(ctx, tx)
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = stx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// prepareWrites prepares on the SQLite writer the statements tx ran that
// the cache lacks, once tx has finished and the writer's connection is
// free (it waits for at most the transaction that took it meanwhile). Only
// the first few transactions of each kind pay for this; the cache stops
// growing at maxStmts.
func (d *DB) prepareWrites(ctx context.Context, tx *Tx) {
	if len(tx.unprepared) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	for _, q := range tx.unprepared {
		d.writes.get(ctx, d.W, q)
	}
}

// Rebind turns ? placeholders into $1, $2… for PostgreSQL. Question marks
// inside single-quoted strings are left alone.
func (d *DB) Rebind(query string) string { return rebind(d.Dialect, query) }

func rebind(dialect Dialect, query string) string {
	if dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	inString := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inString = !inString
			b.WriteByte(c)
		case c == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(fmt.Sprint(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// NewID returns a new UUIDv7 as a string: time-ordered, safe to expose.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Now is the time in UTC, truncated to microseconds so that it survives a
// round trip through PostgreSQL unchanged. Services take a clock; this is
// the default one.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Rebind turns ? placeholders into the engine's form, for statements a
// caller prepares itself on SQL().
func (t *Tx) Rebind(query string) string { return rebind(t.dialect, query) }
