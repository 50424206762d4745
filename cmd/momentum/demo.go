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
realistic British names in towns across the UK, members and supporters, and
an admin account whose email and password are printed. The same --seed
always gives the same network. A database that already holds data is left
alone.`,
		"momentum demo --people 2000 --seed 7 --data ./demo-data")
	cf.register(fs, false)
	people := fs.Int("people", 500, "how many people the network has")
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
	fmt.Fprintf(env.Stdout, "Created the demo network in %s: %d people.\n", app.Describe(a.DB), len(nw.People))
	fmt.Fprintf(env.Stdout, "Admin: %s  password: %s\n", nw.AdminEmail, nw.AdminPassword)
	return nil
}
