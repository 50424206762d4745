package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/hal"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/metrics"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/site"
)

// App is a running Momentum node: every service, and the HTTP handler that
// serves them.
type App struct {
	Config config.Config
	Log    *slog.Logger
	DB     *db.DB
	Jobs   *jobs.Jobs
	Mail   *mail.Service
	Auth   *auth.Service
	Policy *auth.Policy
	People *people.Service
	Groups *groups.Service
	Events *events.Service
	// Decisions holds proposals, ballots and elections.
	Decisions *decisions.Service
	// Importer imports people from CSV files (CLI, web wizard, demo).
	Importer *peopleio.Importer
	Site     *site.Service
	Live     live.Broker
	Metrics  *metrics.Metrics
	// Node names this process in job records and logs: host:pid.
	Node string
	// Zone is the network's time zone (MOMENTUM_TIME_ZONE), in which
	// pages and mail show times and new events take place by default.
	Zone *time.Location

	Renderer *web.Renderer
	Assets   *web.Assets
	Handler  http.Handler

	apiLinks map[string]hal.Link
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
	if a.DB, err = OpenDB(ctx, cfg); err != nil {
		return nil, err
	}
	if _, err = a.DB.Migrate(ctx); err != nil {
		return nil, err
	}

	a.Policy = auth.NewPolicy()
	a.Policy.AddRules(people.Rules()...)
	a.Policy.AddRules(peopleio.Rules()...)
	a.Policy.AddRules(groups.Rules()...)
	a.Policy.AddRules(groups.APIRules()...)
	a.Policy.AddRules(events.Rules()...)
	a.Importer = peopleio.New(a.DB, a.Policy, log)

	// Workers are registered before the River client exists; they reach the
	// services through the App, which is filled in below.
	workers := river.NewWorkers()
	river.AddWorker(workers, peopleio.NewImportWorker(a.Importer))
	periodic := []*river.PeriodicJob{mail.PeriodicSweep(), purgePeriodic(), ladderPeriodic(),
		groups.DormantPeriodic(groups.DefaultDormantAfter), events.FollowUpPeriodic()}
	river.AddWorker(workers, &pingWorker{app: a})
	river.AddWorker(workers, &purgeWorker{app: a})
	river.AddWorker(workers, &ladderWorker{app: a})
	dormantWorker := &groups.DormantWorker{}
	river.AddWorker(workers, dormantWorker)
	periodic = append(periodic, a.decisionWorkers(workers)...)
	periodic = append(periodic, a.eventWorkers(workers)...)
	followUpWorker := &events.FollowUpWorker{}
	river.AddWorker(workers, followUpWorker)
	var mailWorker *mail.SendWorker
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[mail.SendArgs]) error {
		return mailWorker.Work(ctx, j)
	}))
	if a.Jobs, err = jobs.New(ctx, a.DB, jobs.Options{Log: log, Workers: workers, PeriodicJobs: periodic, TestOnly: opts.FastJobs,
		Ended: map[string]jobs.EndFunc{peopleio.ImportArgs{}.Kind(): a.Importer.JobEnded}}); err != nil {
		return nil, err
	}
	if err = a.Jobs.Migrate(ctx); err != nil {
		return nil, err
	}
	if a.Mail, err = mail.NewService(a.DB, a.Jobs, mail.Config{SMTPURL: cfg.SMTPURL, From: cfg.MailFrom, Retention: cfg.MailRetention}, log); err != nil {
		return nil, err
	}
	mailWorker = mail.NewSendWorker(a.Mail)

	if a.DB.Dialect == db.Postgres {
		if a.Live, err = live.NewPostgres(ctx, a.DB.URL, log); err != nil {
			return nil, err
		}
	} else {
		a.Live = live.NewMemory()
	}

	a.Auth = auth.NewService(a.DB, a.Mail, a.Policy, auth.Config{
		BaseURL:          cfg.PublicURL(),
		SessionIdle:      cfg.SessionIdle,
		SessionMax:       cfg.SessionMax,
		RequireAdminTOTP: cfg.AdminTOTP,
		SiteName:         cfg.SiteName,
	}, log)

	a.People = people.NewService(a.DB, a.Policy, log)
	a.People.SetAccountEraser(a.Auth)
	a.People.SetRecipientForgetter(a.Mail)
	a.Auth.OnAccountCreated(func(ctx context.Context, tx *db.Tx, u *auth.User) error {
		return a.People.LinkAccount(ctx, tx, u.ID, u.Email, u.Name)
	})
	a.Groups = groups.NewService(a.DB, a.Policy, a.People, log)
	a.Groups.SetRecorder(a.People)
	a.Groups.SetNotifier(groupNotifier{a})
	a.Policy.SetGroupRoles(a.Groups)
	a.People.SetGroupJoiner(a.Groups)
	a.Importer.SetGroupJoiner(a.Groups)
	a.Importer.SetJobs(a.Jobs, filepath.Join(cfg.DataDir, "imports"))
	dormantWorker.Svc = a.Groups
	a.Events = events.New(a.DB, a.Policy, a.People, log, a.Zone)
	a.Events.SetRecorder(a.People)
	a.Events.SetBaseURL(cfg.PublicURL())
	a.Events.SetNotifier(eventNotifier{a})
	a.Events.SetGuests(guestSignup{a.People})
	if err = a.buildDecisions(ctx); err != nil {
		return nil, err
	}
	// Their rows about a person follow the person through a merge.
	a.People.AddPersonMover(a.Decisions)
	a.People.AddPersonMover(a.Events)
	followUpWorker.Svc = a.Events
	a.Site = site.New(a.DB, a.Auth, a.Policy)
	a.Site.AddPanel(a.myGroupsPanel)
	a.Site.AddPanel(a.myEventsPanel)
	a.Site.AddPanel(a.myVotesPanel)
	a.Site.AddPanel(a.figuresPanel)
	a.Groups.AddPanel(a.groupEventsPanel)

	a.Metrics = metrics.New()
	if a.Assets, err = web.NewAssets(); err != nil {
		return nil, err
	}
	if a.Renderer, err = web.NewRenderer(log, web.RendererOptions{SiteName: cfg.SiteName, Assets: a.Assets}); err != nil {
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

// Close releases the database and the live broker.
func (a *App) Close() error {
	if a.Live != nil {
		a.Live.Close()
	}
	if a.Jobs != nil {
		a.Jobs.Close()
	}
	if a.DB != nil {
		return a.DB.Close()
	}
	return nil
}
