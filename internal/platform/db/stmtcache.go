package db

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements for the SQLite reader pool. SQLite
// parses and plans every statement it is given, which costs more than
// running a small indexed query; database/sql re-prepares a cached *sql.Stmt
// on each pooled connection only once. PostgreSQL needs none of this: pgx
// caches prepared statements per connection itself.
//
// Queries built at run time (filters) could make the set grow without end,
// so the cache stops adding after maxStmts and those queries run unprepared.
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
	// failed are queries that would not prepare: they run unprepared
	// without trying again.
	failed map[string]bool
}

const maxStmts = 512

// lookup returns the cached statement for query, or nil.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[query]
}

// get returns the cached statement for query, preparing it on pool when
// it is missing. The lock is not held while preparing: preparing on the
// SQLite writer waits for its one connection, and the transaction that
// holds it may be looking a statement up (lookup) meanwhile.
func (c *stmtCache) get(ctx context.Context, pool *sql.DB, query string) *sql.Stmt {
	c.mu.RLock()
	st, full, failed := c.m[query], len(c.m) >= maxStmts, c.failed[query]
	c.mu.RUnlock()
	if st != nil || full || failed {
		return st
	}
	st, err := pool.PrepareContext(ctx, query)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if c.failed == nil {
			c.failed = map[string]bool{}
		}
		if len(c.failed) < maxStmts {
			c.failed[query] = true
		}
		return nil // let the plain query report the error
	}
	if prev := c.m[query]; prev != nil || len(c.m) >= maxStmts {
		st.Close() // prepared meanwhile by another caller, or the cache filled up
		return prev
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
