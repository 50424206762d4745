package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	start := time.Now()
	var cf configFlags
	fs := newFlagSet(env, "serve", "",
		`Run the web server and the background workers until interrupted (Ctrl-C or
SIGTERM stop it gracefully). Migrations are applied first. Several 'serve'
processes may share one PostgreSQL database behind a load balancer.

With --demo and an empty database, a demo network is created first; a demo
that a run stopped half-way is finished first. The demo's accounts (an
admin, an organiser, a member) and their passwords are printed last, once
the start-up lines are logged.`,
		"momentum serve --demo\nmomentum serve --addr 0.0.0.0:8080 --data /var/lib/momentum\nMOMENTUM_DATABASE_URL=postgres://momentum@db/momentum momentum serve")
	cf.register(fs, true)
	withDemo := fs.Bool("demo", false, "create the demo network when the database is empty")
	people := fs.Int("demo-people", 20000, "with --demo: how many people the demo network has")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := cf.load(env)
	if err != nil {
		return err
	}
	log, watch := newWatchedLogger(cfg, env.Stderr)
	if *withDemo {
		cfg.DevWebhookReceiver = true // issue 14: the demo's webhook points at /dev/webhook-receiver
	}
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	var personas []demo.Persona
	if *withDemo {
		restore := watch.hush()
		nw, created, err := loadDemo(ctx, env, cfg, a, 1, *people)
		if err == nil {
			personas, err = demo.Personas(ctx, a, nw)
		}
		restore()
		if err != nil {
			return err
		}
		if created {
			fmt.Fprintf(env.Stdout, "Created the demo network: %d people, %d groups in %d regions.\n", len(nw.People), len(nw.Groups), len(nw.Regions))
		} else {
			fmt.Fprintln(env.Stdout, "The database already holds data; the demo network was not added again.")
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set --addr or MOMENTUM_ADDR to another port)", cfg.Addr, err)
	}
	fmt.Fprintf(env.Stdout, "Momentum is serving %s\n", publicURL(cfg, ln))
	fmt.Fprintf(env.Stdout, "Data: %s\n", app.Describe(a.DB))
	if cfg.SMTPURL == "" {
		fmt.Fprintf(env.Stdout, "Mail: kept in the development outbox at %s/admin/outbox (set MOMENTUM_SMTP_URL to send)\n", publicURL(cfg, ln))
	}
	log.Info("started", "node", a.Node, "startup_ms", time.Since(start).Milliseconds())
	if len(personas) > 0 {
		// issue 16: the accounts come last, once the start-up lines (the job
		// queue starting, the jobs that run at start) have been written, so
		// that they are not scrolled away.
		printCtx, stop := context.WithCancel(ctx)
		defer stop() // nothing is printed once serve has returned
		firstJob := firstJobDone(printCtx, a)
		go func() {
			began := time.Now()
			select { // the jobs that run at start log as they finish
			case <-firstJob:
			case <-time.After(settleLimit):
			case <-printCtx.Done():
				return
			}
			if watch.settled(printCtx, settleQuiet, max(settleLimit-time.Since(began), 0)) {
				fmt.Fprintf(env.Stdout, "\nLog in at %s/login as one of the demo's people:\n", publicURL(cfg, ln))
				writePersonas(env.Stdout, personas)
			}
		}()
	}
	return a.Run(ctx, ln)
}

// The demo's accounts are printed once the first background job has
// ended (the jobs that run at start go together) and the log has then been
// quiet for settleQuiet; settleLimit after start-up at the latest.
const (
	settleQuiet = 1500 * time.Millisecond
	settleLimit = 15 * time.Second
)

// firstJobDone is closed when the job queue reports the first job to end
// (done or failed) after now.
func firstJobDone(ctx context.Context, a *app.App) <-chan struct{} {
	done := make(chan struct{})
	events, unsubscribe := a.Jobs.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	go func() {
		defer unsubscribe()
		select {
		case <-events:
			close(done)
		case <-ctx.Done():
		}
	}()
	return done
}

// publicURL is the configured base URL, or the address actually bound
// (useful with port 0).
func publicURL(cfg config.Config, ln net.Listener) string {
	if cfg.BaseURL != "" {
		return cfg.PublicURL()
	}
	c := cfg
	c.Addr = ln.Addr().String()
	return c.PublicURL()
}
