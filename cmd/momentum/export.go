package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

const exportHelp = `Usage: momentum export people [flags] > people.csv

Subcommands:
  people   write people as CSV, in the columns 'momentum import people' reads

Example:
  momentum export people --tag 'Spring petition' > petition.csv
`

func runExport(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "people" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprint(env.Stderr, exportHelp)
			return errHelpShown
		}
		fmt.Fprint(env.Stderr, exportHelp)
		return errUsageShown
	}
	var cf configFlags
	var tags listFlag
	fs := newFlagSet(env, "export people", "> people.csv",
		`Write people as CSV on standard output, in the canonical columns (First
name, Last name, Email, Phone, Address 1, …, Tags, Email opt-in, …, and one
custom:<key> column per custom field). 'momentum import people' reads the
file back unchanged. The export is recorded in the audit log.`,
		"momentum export people > everyone.csv\nmomentum export people --tag Leeds --tag Volunteers > leeds-volunteers.csv")
	cf.register(fs, false)
	fs.Var(&tags, "tag", "only people with this tag (repeat: people with every tag given)")
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
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
	svc := svcs.People
	w := bufio.NewWriterSize(env.Stdout, 64<<10)
	n, err := peopleio.Export(cliContext(ctx), svc, people.Filter{Tags: tags}, w)
	if err != nil {
		return explain(err)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "exported %d people\n", n)
	return nil
}

// Helpers shared by the import and export commands.

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// parseInterspersed parses flags wherever they stand among the arguments
// ("FILE.csv --tag T" as well as "--tag T FILE.csv") and returns the others.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// openMigrated opens the configured database and applies migrations.
func openMigrated(ctx context.Context, cfg config.Config) (*db.DB, error) {
	d, err := app.OpenDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := app.Migrate(ctx, d, slog.New(slog.DiscardHandler)); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// openServices opens the configured database, migrated, and builds every
// service on it as serve does, for the commands that act through the
// services (export, import, search); closeAll closes both.
func openServices(ctx context.Context, cfg config.Config, env *Env) (svcs *build.Services, closeAll func(), err error) {
	d, err := openMigrated(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	if svcs, err = build.New(ctx, build.Options{Config: cfg, Log: newLogger(cfg, env.Stderr), DB: d}); err != nil {
		d.Close()
		return nil, nil, err
	}
	return svcs, func() { svcs.Close(); d.Close() }, nil
}

// cliContext acts as the system: the command line has the machine's
// trust.
func cliContext(ctx context.Context) context.Context {
	return auth.WithPrincipal(ctx, &auth.Principal{System: true, Label: "cli"})
}
