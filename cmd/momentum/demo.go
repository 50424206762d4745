package main

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/demo"
)

func runDemo(ctx context.Context, env *Env, args []string) error {
	var cf configFlags
	fs := newFlagSet(env, "demo", "",
		`Fill an empty database with a deterministic demo network: people with
realistic British names in towns across the UK (members, supporters, donors,
with tags and consent, loaded through the importer), 150 local groups in 12
regions and 12 working groups with their members and organisers, 300
events past and to come with their answers, a finished national committee
election and open proposals in three branches, and three accounts whose
emails and passwords are printed: an admin, an organiser and a member. The
same --seed always gives the same network. A database that already holds
data is left alone. Run it while no server uses the database: a running
server would close the demo's past election while its votes are being cast
(serve --demo loads the demo before it starts, so it is safe).`,
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
	a, err := app.New(ctx, cfg, newLogger(cfg, env.Stderr), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	nw := demo.Generate(*seed, *people)
	created, err := demo.Load(ctx, a, nw)
	if err != nil {
		return err
	}
	if !created {
		return fmt.Errorf("%s already holds data: use an empty data folder (--data) or database", app.Describe(a.DB))
	}
	fmt.Fprintf(env.Stdout, "Created the demo network in %s: %d people, %d groups in %d regions.\n",
		app.Describe(a.DB), len(nw.People), len(nw.Groups), len(nw.Regions))
	return printPersonas(ctx, env, a, nw)
}

// printPersonas prints the demo accounts and their passwords.
func printPersonas(ctx context.Context, env *Env, a *app.App, nw demo.Network) error {
	ps, err := demo.Personas(ctx, a, nw)
	if err != nil {
		return err
	}
	for _, p := range ps {
		label := "Demo " + p.Role + ":"
		if p.Role == "admin" {
			label = "Demo admin:"
		}
		fmt.Fprintf(env.Stdout, "%-16s %s  password: %s  (%s)\n", label, p.Email, p.Password, p.Note)
	}
	return nil
}
