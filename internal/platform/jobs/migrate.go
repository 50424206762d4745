package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// migrateLockID is the PostgreSQL advisory lock that makes nodes migrating
// River's tables at the same time take turns ("river_" in ASCII; distinct
// from the application's migration lock).
const migrateLockID = 0x72697665725f

// Migrate brings River's tables (river_job, river_queue, river_leader…) up to
// the version this build needs. It is idempotent. On PostgreSQL it holds an
// advisory lock while it runs, so nodes starting together take turns and the
// later ones find nothing to do.
func (j *Jobs) Migrate(ctx context.Context) error {
	_, err := j.migrate(ctx)
	return err
}

// migrate returns the versions it applied.
func (j *Jobs) migrate(ctx context.Context) ([]int, error) {
	var res *rivermigrate.MigrateResult
	switch j.d.Dialect {
	case db.Postgres:
		m, err := rivermigrate.New(riverpgxv5.New(j.d.Pool), &rivermigrate.Config{Logger: j.log})
		if err != nil {
			return nil, fmt.Errorf("migrate jobs: %w", err)
		}
		// River's migrations must each commit before the next (one adds an
		// enum value the next uses), so they cannot share a transaction. A
		// session lock held on a connection of its own serialises nodes.
		conn, err := j.d.Pool.Acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrate jobs: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLockID)); err != nil {
			return nil, fmt.Errorf("migrate jobs: lock: %w", err)
		}
		defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLockID))
		if res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return nil, fmt.Errorf("migrate jobs: %w", err)
		}
	default:
		m, err := rivermigrate.New(riversqlite.New(j.own), &rivermigrate.Config{Logger: j.log})
		if err != nil {
			return nil, fmt.Errorf("migrate jobs: %w", err)
		}
		if res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return nil, fmt.Errorf("migrate jobs: %w", err)
		}
	}
	versions := make([]int, len(res.Versions))
	for i, v := range res.Versions {
		versions[i] = v.Version
	}
	return versions, nil
}
