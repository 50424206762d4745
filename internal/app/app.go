package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/actions/webhooks/webhooksweb"
	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/hal"
	"github.com/momentum-movement/momentum/internal/platform/metrics"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// App is a running Momentum node: every service, and the HTTP handler that
// serves them.
type App struct {
	Config config.Config
	Log    *slog.Logger
	// Services are every service, built by build.New (which tests and the
	// command line use as well).
	*build.Services
	Metrics *metrics.Metrics
	// Node names this process in job records and logs: host:pid.
	Node string
	// Zone is the network's time zone (MOMENTUM_TIME_ZONE), in which
	// pages and mail show times and new events take place by default.
	Zone *time.Location

	Renderer *web.Renderer
	Assets   *web.Assets
	Handler  http.Handler

	apiLinks map[string]hal.Link

	// WebhookReceiver is the development receiver of webhook deliveries,
	// when MOMENTUM_DEV_WEBHOOK_RECEIVER is on (issue 14); nil otherwise.
	WebhookReceiver *webhooksweb.Receiver
}

// Options tune New for tests.
type Options struct {
	// FastJobs polls for jobs more often (tests).
	FastJobs bool
}

// New opens the database, applies migrations and builds every service. The
// caller must Close the App.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts Options) (_ *App, err error) {
	if log == nil {
		log = slog.Default()
	}
	host, _ := os.Hostname()
	zone, err := cfg.Location()
	if err != nil {
		return nil, fmt.Errorf("MOMENTUM_TIME_ZONE: %w", err)
	}
	a := &App{Config: cfg, Log: log, Node: fmt.Sprintf("%s:%d", host, os.Getpid()), Zone: zone}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	d, err := OpenDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err = d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if a.Services, err = build.New(ctx, build.Options{Config: cfg, Log: log, DB: d, FastJobs: opts.FastJobs}); err != nil {
		d.Close()
		return nil, err
	}
	// The one job of app's own: it names the node that ran it.
	river.AddWorker(a.Jobs.Workers(), &pingWorker{db: a.DB, node: a.Node})

	a.Metrics = metrics.New()
	if a.Assets, err = web.NewAssets(); err != nil {
		return nil, err
	}
	b, err := brandOf(cfg) // issue 16: the network's colour and logo
	if err != nil {
		return nil, err
	}
	if a.Renderer, err = web.NewRenderer(log, web.RendererOptions{SiteName: cfg.SiteName, Assets: a.Assets, Brand: b, Zone: a.Zone /* issue 16: pages show times in the network zone */}); err != nil {
		return nil, err
	}
	if a.Handler, err = a.routes(); err != nil {
		return nil, err
	}
	return a, nil
}

// Run starts the job workers and serves HTTP on ln until ctx ends, then
// shuts down gracefully: the server stops accepting, in-flight requests get
// up to ten seconds, running jobs as long again.
func (a *App) Run(ctx context.Context, ln net.Listener) error {
	if err := a.Jobs.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting: a clean shutdown
		}
		return fmt.Errorf("start jobs: %w", err)
	}
	stopMetrics, merr := a.serveMetrics(ctx)
	if merr != nil {
		a.stopJobs()
		return merr
	}
	defer stopMetrics()
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		a.stopJobs()
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down", "node", a.Node)
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Live streams never end by themselves: close the broker so their
	// handlers return and Shutdown can finish.
	a.Live.Close()
	err := srv.Shutdown(shutCtx)
	a.stopJobs()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (a *App) stopJobs() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Jobs.Stop(ctx); err != nil {
		a.Log.Warn("stopping jobs", "err", err)
	}
}

// Close releases the services, then the database.
func (a *App) Close() error {
	if a.Services == nil {
		return nil
	}
	a.Services.Close()
	return a.DB.Close()
}
