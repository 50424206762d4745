package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

func TestRebindLeavesStringsAlone(t *testing.T) {
	d := &db.DB{Dialect: db.Postgres}
	got := d.Rebind(`SELECT a FROM t WHERE b = ? AND c = '?' AND d = ?`)
	want := `SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2`
	if got != want {
		t.Fatalf("Rebind = %q, want %q", got, want)
	}
	s := &db.DB{Dialect: db.SQLite}
	if q := s.Rebind("x = ?"); q != "x = ?" {
		t.Fatalf("sqlite rebind changed the query: %q", q)
	}
}

func TestStore(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		t.Run("MigrateIsIdempotent", func(t *testing.T) {
			n, err := d.Migrate(ctx)
			if err != nil || n != 0 {
				t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
			}
			ms, err := d.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.AppliedAt == nil {
					t.Errorf("migration %d %s not applied", m.Version, m.Name)
				}
			}
		})
		t.Run("TimeRoundTrip", func(t *testing.T) {
			at := time.Date(2026, 11, 26, 5, 49, 1, 123456000, time.UTC)
			if _, err := d.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, "k", "v", at); err != nil {
				t.Fatal(err)
			}
			var got time.Time
			if err := d.QueryRow(ctx, `SELECT updated_at FROM settings WHERE key = ?`, "k").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if !got.Equal(at) {
				t.Fatalf("time came back as %v, want %v", got, at)
			}
			var n int
			if err := d.QueryRow(ctx, `SELECT count(*) FROM settings WHERE updated_at > ? AND updated_at < ?`,
				at.Add(-time.Millisecond), at.Add(time.Millisecond)).Scan(&n); err != nil || n != 1 {
				t.Fatalf("time comparison found %d rows (%v), want 1", n, err)
			}
		})
		t.Run("UniqueViolation", func(t *testing.T) {
			_, err := d.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, "k", "again", db.Now())
			if !db.IsUniqueViolation(err) {
				t.Fatalf("err = %v, want a unique violation", err)
			}
		})
		t.Run("NotFound", func(t *testing.T) {
			var v string
			err := db.NotFound(d.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, "nope").Scan(&v), "setting nope")
			if !errors.Is(err, db.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
		})
		t.Run("TxRollsBack", func(t *testing.T) {
			boom := errors.New("boom")
			err := d.InTx(ctx, func(tx *db.Tx) error {
				if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, "rolled", "v", db.Now()); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx err = %v", err)
			}
			var n int
			d.QueryRow(ctx, `SELECT count(*) FROM settings WHERE key = 'rolled'`).Scan(&n)
			if n != 0 {
				t.Fatal("a rolled-back insert is visible")
			}
		})
	})
}
