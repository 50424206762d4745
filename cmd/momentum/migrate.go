package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/momentum-movement/momentum/internal/app"
)

func runMigrate(ctx context.Context, env *Env, args []string) error {
	var cf configFlags
	fs := newFlagSet(env, "migrate", "status|up",
		`Show which database migrations have been applied (status), or apply the
pending ones (up). 'momentum serve' applies them too, so this is for
operators who want to migrate before starting new nodes.`,
		"momentum migrate status\nMOMENTUM_DATABASE_URL=postgres://momentum@db/momentum momentum migrate up")
	cf.register(fs, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "status" && fs.Arg(0) != "up") {
		fs.Usage()
		return errUsageShown
	}
	cfg, err := cf.load(env)
	if err != nil {
		return err
	}
	d, err := app.OpenDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if fs.Arg(0) == "up" {
		n, err := app.Migrate(ctx, d, newLogger(cfg, env.Stderr))
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "applied %d migration(s) to %s\n", n, app.Describe(d))
		return nil
	}
	ms, err := d.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "database: %s\n", app.Describe(d))
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED")
	pending := 0
	for _, m := range ms {
		at := "pending"
		if m.AppliedAt != nil {
			at = m.AppliedAt.Format("2006-01-02 15:04:05 UTC")
		} else {
			pending++
		}
		fmt.Fprintf(tw, "%04d\t%s\t%s\n", m.Version, m.Name, at)
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "%d pending\n", pending)
	return nil
}
