package main

import (
	"context"
	"fmt"
)

func runHelp(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		printHelp(env.Stdout)
		return nil
	}
	if args[0] == "config" {
		printConfigHelp(env.Stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] && c.name != "help" {
			e := *env
			e.Stderr = env.Stdout
			return c.run(ctx, &e, []string{"-h"})
		}
	}
	return fmt.Errorf("no help for %q: try 'momentum help'", args[0])
}
