package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

// OpenDB opens the database the Config names: PostgreSQL when
// MOMENTUM_DATABASE_URL is set, otherwise SQLite in the data folder.
func OpenDB(ctx context.Context, cfg config.Config) (*db.DB, error) {
	return db.Open(ctx, db.Options{URL: cfg.DatabaseURL, Path: cfg.SQLitePath()})
}

// Describe says which database d is, without its password.
func Describe(d *db.DB) string {
	if d.Dialect == db.Postgres {
		u, err := url.Parse(d.URL)
		if err != nil {
			return "PostgreSQL"
		}
		return fmt.Sprintf("PostgreSQL at %s%s", u.Host, u.Path)
	}
	return "SQLite at " + d.Path
}

// Migrate applies Momentum's migrations and River's to d, and returns how
// many of Momentum's ran.
func Migrate(ctx context.Context, d *db.DB, log *slog.Logger) (int, error) {
	n, err := d.Migrate(ctx)
	if err != nil {
		return n, err
	}
	j, err := jobs.New(ctx, d, jobs.Options{Log: log})
	if err != nil {
		return n, err
	}
	defer j.Close()
	return n, j.Migrate(ctx)
}
