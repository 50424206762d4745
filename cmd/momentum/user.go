package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "create-admin" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(env.Stdout, userHelp)
			return nil
		}
		fmt.Fprint(env.Stderr, userHelp)
		return errUsageShown
	}
	var cf configFlags
	fs := newFlagSet(env, "user create-admin", "",
		`Create a network admin account, verified and ready to log in. If an account
with that email exists, it is made an admin and its password is set. When
--password is omitted the password is read from standard input (one line),
so it stays out of the shell history.`,
		"momentum user create-admin --email ada@example.org --password 'a long passphrase'\necho 'a long passphrase' | momentum user create-admin --email ada@example.org")
	cf.register(fs, false)
	email := fs.String("email", "", "the admin's email address (required)")
	password := fs.String("password", "", "the password (at least 10 characters); read from stdin when omitted")
	name := fs.String("name", "", "the admin's name (default: the part of the email before @)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" {
		fs.Usage()
		return errUsageShown
	}
	if *password == "" {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("no --password given and nothing on standard input")
		}
		*password = strings.TrimRight(line, "\r\n")
	}
	if *name == "" {
		*name, _, _ = strings.Cut(*email, "@")
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
	// The command line acts as the system (it is run by whoever runs the
	// server): without a principal the policy refuses everything.
	ctx = auth.WithPrincipal(ctx, &auth.Principal{System: true, Label: "cli"})
	u, err := a.Auth.CreateAdmin(ctx, *email, *password, *name)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(env.Stdout, "admin %s is ready: log in at %s/login\n", u.Email, cfg.PublicURL())
	return nil
}

const userHelp = `Usage: momentum user <subcommand> [flags]

Subcommands:
  create-admin   create (or promote) a network admin account

Example:
  momentum user create-admin --email ada@example.org
`
