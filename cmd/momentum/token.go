package main

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

func runToken(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(env.Stdout, tokenHelp)
			return nil
		}
		fmt.Fprint(env.Stderr, tokenHelp)
		return errUsageShown
	}
	var cf configFlags
	fs := newFlagSet(env, "token create", "",
		`Create an API token with network-admin scope and print it. The token is
shown once; only its hash is stored. Send it in the OSDI-API-Token header
(or as "Authorization: Bearer <token>").

--consent-wording gives the consent wording of the forms whose signups the
token sends (issue 14): a signup through the token with "status":
"subscribed" is recorded as consent to these words, with source
"api: <name>". Without it, such a signup must send its own
consent.wording, or "subscribed" is refused.`,
		"momentum token create --name 'CRM sync'\n"+
			"momentum token create --name 'Website forms' --consent-wording 'Email me about the campaign.'\n"+
			"curl -H \"OSDI-API-Token: $TOKEN\" http://127.0.0.1:8080/api/v1")
	cf.register(fs, false)
	name := fs.String("name", "", "what the token is for (required)")
	wording := fs.String("consent-wording", "", "the consent wording of the forms whose signups the token sends (optional)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *name == "" {
		fs.Usage()
		return errUsageShown
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
	plain, _, err := a.Auth.CreateAPITokenWithConsent(ctx, *name, "", *wording)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintln(env.Stdout, plain)
	return nil
}

const tokenHelp = `Usage: momentum token <subcommand> [flags]

Subcommands:
  create   create an API token with network-admin scope and print it

Example:
  momentum token create --name 'CRM sync'
  momentum token create --name 'Website forms' --consent-wording 'Email me about the campaign.'
`
