package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

func runDemo(ctx context.Context, env *Env, args []string) error {
	var cf configFlags
	fs := newFlagSet(env, "demo", "",
		`Fill an empty database with a deterministic demo network: people with
realistic British names in towns across the UK (members, supporters, donors,
with tags and consent, loaded through the importer), 150 local groups in 12
regions and 12 working groups with their members and organisers, 300
events past and to come with their answers, a finished national committee
election and open proposals in three branches, broadcasts sent last month
(with their figures), one scheduled and one draft, and three accounts whose
emails and passwords are printed: an admin, an organiser and a member. The
same --seed always gives the same network. A database that already holds
data is left alone. A demo that a run stopped half-way (Ctrl-C, a crash,
kill -9) is finished by the next run, with that run's seed and size. Run it
while no server uses the database: a running server would close the demo's
past election while its votes are being cast (serve --demo loads the demo
before it starts, so it is safe).`,
		"momentum demo --people 2000 --seed 7 --data ./demo-data")
	cf.register(fs, false)
	people := fs.Int("people", 20000, "how many people the network has")
	seed := fs.Uint64("seed", 1, "the seed that decides every name and place")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *people < 0 {
		return fmt.Errorf("--people must be 0 or more")
	}
	cfg, err := cf.load(env)
	if err != nil {
		return err
	}
	log, watch := newWatchedLogger(cfg, env.Stderr)
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	restore := watch.hush() // issue 16: not a line per demo mail
	nw, created, err := loadDemo(ctx, env, cfg, a, *seed, *people)
	restore()
	if err != nil {
		return err
	}
	if !created {
		return fmt.Errorf("%s already holds data, so the demo was not loaded; to load it, %s", app.Describe(a.DB), startAfresh(cfg))
	}
	fmt.Fprintf(env.Stdout, "Created the demo network in %s: %d people, %d groups in %d regions.\n",
		app.Describe(a.DB), len(nw.People), len(nw.Groups), len(nw.Regions))
	return printPersonas(ctx, env, a, nw)
}

// loadDemo loads the demo network of seed and people into a's database,
// or finishes the one a previous run began there (saying so, with that
// run's seed and size), and returns the network loaded and whether anything
// was written. A failure says how to carry on or start afresh.
func loadDemo(ctx context.Context, env *Env, cfg config.Config, a *app.App, seed uint64, people int) (demo.Network, bool, error) {
	u, err := demo.Begun(ctx, a.DB)
	if err != nil {
		return demo.Network{}, false, err
	}
	if u != nil {
		seed, people = u.Seed, u.People
		fmt.Fprintf(env.Stdout, "Finishing the demo network that a previous run began (seed %d, %d people): %s.\n",
			u.Seed, u.People, strings.Join(u.Left, ", "))
	}
	nw := demo.Generate(seed, people)
	created, err := demo.Load(ctx, a, nw)
	if err != nil {
		return nw, false, fmt.Errorf("demo data: %w\nRun the same command again to carry on where it stopped; to start afresh instead, %s", err, startAfresh(cfg))
	}
	return nw, created, nil
}

// startAfresh says how to get an empty database for the demo.
func startAfresh(cfg config.Config) string {
	if cfg.DatabaseURL != "" {
		return "point MOMENTUM_DATABASE_URL at an empty PostgreSQL database"
	}
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		dir = cfg.DataDir
	}
	return fmt.Sprintf("stop any server using it, delete the folder %s and run again (or give --data an empty folder)", dir)
}

// printPersonas prints the demo accounts and their passwords.
func printPersonas(ctx context.Context, env *Env, a *app.App, nw demo.Network) error {
	ps, err := demo.Personas(ctx, a, nw)
	if err != nil {
		return err
	}
	writePersonas(env.Stdout, ps)
	return nil
}

// writePersonas writes one line per demo account: email, password, role.
func writePersonas(w io.Writer, ps []demo.Persona) {
	for _, p := range ps {
		label := "Demo " + p.Role + ":"
		if p.Role == "admin" {
			label = "Demo admin:"
		}
		fmt.Fprintf(w, "%-16s %s  password: %s  (%s)\n", label, p.Email, p.Password, p.Note)
	}
}
