package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/momentum-movement/momentum/internal/platform/config"
)

// newFlagSet makes a flag set whose -h output explains the command with an
// example, the way `momentum help <command>` does.
func newFlagSet(env *Env, name, argsUsage, description, example string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: momentum %s [flags] %s\n\n%s\n", name, argsUsage, description)
		has := false
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			fmt.Fprintln(w, "\nFlags:")
			fs.PrintDefaults()
		}
		fmt.Fprintf(w, "\nExample:\n  %s\n", strings.ReplaceAll(example, "\n", "\n  "))
	}
	return fs
}

// parse parses flags; -h prints usage and ends the command successfully.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(io.Discard)
		return errHelpShown
	}
	if err != nil {
		return errUsageShown
	}
	return nil
}

var errHelpShown = errors.New("help shown")

// configFlags are shared by every command that opens the database.
type configFlags struct {
	file string
	data string
	addr string
}

func (c *configFlags) register(fs *flag.FlagSet, withAddr bool) {
	fs.StringVar(&c.file, "config", "", "optional settings file of MOMENTUM_*=value lines (also MOMENTUM_CONFIG)")
	fs.StringVar(&c.data, "data", "", "data folder for the SQLite database (also MOMENTUM_DATA; default ./momentum-data)")
	if withAddr {
		fs.StringVar(&c.addr, "addr", "", "address to listen on (also MOMENTUM_ADDR; default 127.0.0.1:8080)")
	}
}

// load builds the Config: defaults, file, environment, then flags.
func (c *configFlags) load(env *Env) (config.Config, error) {
	file := c.file
	if file == "" {
		file = env.Getenv("MOMENTUM_CONFIG")
	}
	getenv := env.Getenv
	cfg, err := config.Load(file, func(k string) string {
		switch {
		case k == "MOMENTUM_DATA" && c.data != "":
			return c.data
		case k == "MOMENTUM_ADDR" && c.addr != "":
			return c.addr
		}
		return getenv(k)
	})
	return cfg, err
}

func printConfigHelp(w io.Writer) {
	fmt.Fprint(w, `Momentum reads its settings from built-in defaults, then an optional file
(--config or MOMENTUM_CONFIG; one MOMENTUM_NAME=value a line), then the
environment. Flags such as --addr and --data win over all three.

`)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tDEFAULT\tMEANING")
	for _, v := range config.Vars() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Name, v.Default, v.Help)
	}
	tw.Flush()
}
