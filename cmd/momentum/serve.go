package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	start := time.Now()
	var cf configFlags
	fs := newFlagSet(env, "serve", "",
		`Run the web server and the background workers until interrupted (Ctrl-C or
SIGTERM stop it gracefully). Migrations are applied first. Several 'serve'
processes may share one PostgreSQL database behind a load balancer.

With --demo and an empty database, a demo network is created first and the
admin's email and password are printed; a demo that a run stopped half-way
is finished first.`,
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
	log := newLogger(cfg, env.Stderr)
	if *withDemo {
		cfg.DevWebhookReceiver = true // issue 14: the demo's webhook points at /dev/webhook-receiver
	}
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if *withDemo {
		nw, created, err := loadDemo(ctx, env, cfg, a, 1, *people)
		if err != nil {
			return err
		}
		if created {
			fmt.Fprintf(env.Stdout, "Created the demo network: %d people, %d groups in %d regions.\n", len(nw.People), len(nw.Groups), len(nw.Regions))
		} else {
			fmt.Fprintln(env.Stdout, "The database already holds data; the demo network was not added again.")
		}
		if err := printPersonas(ctx, env, a, nw); err != nil {
			return err
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
	return a.Run(ctx, ln)
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

// newLogger logs as text on a terminal and as JSON otherwise.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
