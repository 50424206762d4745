package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrations live in migrations/<dialect>/NNNN_name.sql. Each file runs in its
// own transaction and is recorded in schema_migrations. Both dialects must
// have the same numbers, so that `momentum migrate status` means the same on
// both engines.
//
//go:embed migrations
var migrationFS embed.FS

// Migration is one schema step and whether it has been applied.
type Migration struct {
	Version   int
	Name      string
	AppliedAt *time.Time
	sql       string
}

func (d *DB) migrations() ([]Migration, error) {
	dir := path.Join("migrations", string(d.Dialect))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", name)
		}
		body, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: rest, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("two migrations numbered %d", ms[i].Version)
		}
	}
	return ms, nil
}

func (d *DB) ensureMigrationTable(ctx context.Context) error {
	_, err := d.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL)`)
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return nil
}

// MigrationStatus lists every known migration with the time it was applied
// (nil when pending).
func (d *DB) MigrationStatus(ctx context.Context) ([]Migration, error) {
	if err := d.ensureMigrationTable(ctx); err != nil {
		return nil, err
	}
	ms, err := d.migrations()
	if err != nil {
		return nil, err
	}
	rows, err := d.W.QueryContext(ctx, `SELECT version, applied_at FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int]time.Time{}
	for rows.Next() {
		var v int
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			return nil, err
		}
		applied[v] = at
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range ms {
		if at, ok := applied[ms[i].Version]; ok {
			at := at
			ms[i].AppliedAt = &at
		}
	}
	return ms, nil
}

// Migrate applies every pending migration in order and returns how many ran.
// On PostgreSQL an advisory lock makes concurrent nodes take turns.
func (d *DB) Migrate(ctx context.Context) (int, error) {
	if d.Dialect == Postgres {
		conn, err := d.W.Conn(ctx)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		const lockID = 0x6d6f6d656e74 // "moment"
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockID); err != nil {
			return 0, fmt.Errorf("migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockID)
	}
	ms, err := d.MigrationStatus(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if m.AppliedAt != nil {
			continue
		}
		err := d.InTx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, Now())
			return err
		})
		if err != nil {
			return n, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		n++
	}
	return n, nil
}
