// Package dbtest runs a store test once per database engine, each time on a
// fresh, migrated database: SQLite always (a file in t.TempDir()), and
// PostgreSQL when MOMENTUM_TEST_POSTGRES_URL is set (a new database created
// for the test and dropped after it).
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver for the admin connection

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// EnvPostgres names the variable that points tests at a PostgreSQL server.
// Its database is used only to CREATE and DROP per-test databases.
const EnvPostgres = "MOMENTUM_TEST_POSTGRES_URL"

// Run calls fn as a subtest named "sqlite", then "postgres" when
// MOMENTUM_TEST_POSTGRES_URL is set, each with a fresh migrated database.
func Run(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, NewSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, NewPostgres(t))
	})
}

// NewSQLite returns a migrated SQLite database in a temporary folder.
func NewSQLite(t testing.TB) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{Path: filepath.Join(t.TempDir(), "momentum.db")})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return d
}

// NewPostgres returns a migrated PostgreSQL database created for this test,
// or skips the test when MOMENTUM_TEST_POSTGRES_URL is not set.
func NewPostgres(t testing.TB) *db.DB {
	t.Helper()
	u := PostgresURL(t)
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{URL: u})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate postgres: %v", err)
	}
	return d
}

// PostgresURL creates an empty database for this test and returns its URL,
// dropping it when the test ends. It skips the test when
// MOMENTUM_TEST_POSTGRES_URL is not set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := lookupEnv()
	if base == "" {
		testenv.Missing(t, "PostgreSQL", "set "+EnvPostgres+" (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	defer admin.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "momentum_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	p, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", EnvPostgres, err)
	}
	p.Path = "/" + name
	return p.String()
}
