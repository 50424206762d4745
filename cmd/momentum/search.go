package main

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/search"
)

// runSearch is `momentum search reindex` (issue 13).
func runSearch(ctx context.Context, env *Env, args []string) error {
	var cf configFlags
	fs := newFlagSet(env, "search", "reindex",
		`Rebuild the full-text index that /search reads from the records
themselves: every group, event and decision (and whatever else is indexed)
is written again, in batches of 500 a transaction, and entries whose record
has gone are removed. Search keeps answering while it runs. The index is
kept up to date as records are written and built on the first start after
an upgrade, so this is for repairs: after restoring a backup taken without
the index, or if searches miss something they should find.`,
		"momentum search reindex\nMOMENTUM_DATABASE_URL=postgres://momentum@db/momentum momentum search reindex")
	cf.register(fs, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "reindex" {
		fs.Usage()
		return errUsageShown
	}
	cfg, err := cf.load(env)
	if err != nil {
		return err
	}
	svcs, closeAll, err := openServices(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer closeAll()
	start := time.Now()
	c, err := search.Reindex(cliContext(ctx), svcs.DB, svcs.SearchSources()...)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "search index rebuilt: %d entries written, %d removed, in %s\n",
		c.Put, c.Removed, time.Since(start).Round(time.Millisecond))
	return nil
}
