// Command momentum runs a Momentum network: the web server, its database
// migrations, demo data, and the maintenance commands an admin needs.
//
// Run `momentum help` for the list of commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	// The zone database, so that MOMENTUM_TIME_ZONE and events' zones load
	// on a host without one (a scratch container, Windows): about 450 kB.
	_ "time/tzdata"
)

// Version is set at build time with -ldflags "-X main.Version=v1.2.3".
var Version = "dev"

// command is one subcommand: its name, a one-line summary for `momentum
// help`, and its entry point, which parses its own flags.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// Env is what a command may touch: standard streams and the environment.
// Tests build their own to run commands in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

func commands() []command {
	return []command{
		{"serve", "run the web server and background workers", runServe},
		{"migrate", "show or apply database migrations", runMigrate},
		{"demo", "fill the database with a deterministic demo network", runDemo},
		{"user", "manage accounts (create-admin)", runUser},
		{"token", "manage API tokens (create)", runToken},
		{"import", "import people or postcode districts from CSV", runImport},
		{"export", "export people as CSV", runExport},
		{"tally", "count ballots (IRV, Scottish STV, Meek, …) from a BLT file", runTally},
		{"search", "rebuild the full-text search index (reindex)", runSearch}, // issue 13: search
		{"version", "print the version", runVersion},
		{"help", "explain a command, or the configuration", runHelp},
	}
}

// exitError carries a process exit status other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	err := Run(ctx, env, os.Args[1:])
	stop()
	if err != nil {
		if !errors.Is(err, errUsageShown) {
			fmt.Fprintln(os.Stderr, "momentum:", err)
		}
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		if errors.Is(err, errUsageShown) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsageShown = errors.New("usage shown")

// Run runs one command line (without the program name).
func Run(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		printHelp(env.Stderr)
		return errUsageShown
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" {
		printHelp(env.Stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, env, args[1:])
			if errors.Is(err, errHelpShown) {
				return nil
			}
			return err
		}
	}
	fmt.Fprintf(env.Stderr, "momentum: unknown command %q\n\n", name)
	printHelp(env.Stderr)
	return errUsageShown
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `Momentum runs a networked movement from one place it owns: its people,
local groups, events, decisions and memory.

Usage:
  momentum <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'momentum <command> -h' for a command's flags and an example,
and 'momentum help config' for the MOMENTUM_* settings.

Try it:
  momentum serve --demo      # a demo network on http://127.0.0.1:8080
`)
}

func runVersion(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "version", "", "Print the version of this momentum binary.", "momentum version")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "momentum", Version)
	return nil
}
