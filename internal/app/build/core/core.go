// Package core builds the first tier of Momentum's services — the
// platform (policy, jobs, mail, live, auth) and the capabilities everything
// else stands on (people, groups) — each with every
// collaborator in its constructor. internal/app/build builds the rest on
// top of it.
//
// It is its own package so that the tests inside the later capabilities
// (package events, package decisions, package peopleio), which cannot
// import build (build imports them), stand on the very same foundation as serve: they build
// core, then their own service with its real adapters.
//
// It imports the platform, people and groups, never a later capability.
package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// Options are what New builds from. DB must be open and migrated.
type Options struct {
	Config config.Config
	Log    *slog.Logger // default slog.Default()
	DB     *db.DB
	// FastJobs polls for jobs more often (tests).
	FastJobs bool
	// Now is every service's clock; nil is the real time (tests move it by
	// hand).
	Now func() time.Time
}

// Services are the first tier's services, and the hooks the later tiers
// fill: which capabilities' rows follow a person through a merge, and
// which panels a group's page shows.
type Services struct {
	DB     *db.DB
	Log    *slog.Logger
	Jobs   *jobs.Jobs
	Live   live.Broker
	Mail   *mail.Service
	Auth   *auth.Service
	Policy *auth.Policy
	People *people.Service
	Groups *groups.Service

	// Movers is set by whoever builds the later capabilities (build.New),
	// or by a test to the ones it has.
	Movers *hook.Hook[[]people.PersonMover]
	// GroupPanels is set likewise (events adds "Upcoming events").
	GroupPanels *hook.Hook[[]groups.PanelFunc]
}

// New builds the first tier. It migrates River's tables (ours must be
// migrated already) and registers the tier's workers. The caller sets
// Movers and GroupPanels, then calls Check; and must Close the Services.
func New(ctx context.Context, o Options) (_ *Services, err error) {
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	if o.DB == nil {
		return nil, errors.New("build: no database")
	}
	s := &Services{DB: o.DB, Log: log}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	cfg := o.Config
	base := cfg.PublicURL()

	s.Policy = auth.NewPolicy()
	s.Policy.AddRules(people.Rules()...)
	s.Policy.AddRules(groups.Rules()...)
	s.Policy.AddRules(groups.APIRules()...)

	if s.Jobs, err = jobs.New(ctx, o.DB, jobs.Options{Log: log, TestOnly: o.FastJobs}); err != nil {
		return nil, err
	}
	if err = s.Jobs.Migrate(ctx); err != nil {
		return nil, err
	}
	if s.Mail, err = mail.NewService(o.DB, s.Jobs, mail.Config{SMTPURL: cfg.SMTPURL, From: cfg.MailFrom, Retention: cfg.MailRetention,
		Connections: cfg.MailConnections, Rate: cfg.MailRate /* issue 12: bulk sender */}, log); err != nil {
		return nil, err
	}
	if o.DB.Dialect == db.Postgres {
		if s.Live, err = live.NewPostgres(ctx, o.DB.URL, log); err != nil {
			return nil, err
		}
	} else {
		s.Live = live.NewMemory()
	}
	s.Auth = auth.NewService(o.DB, s.Mail, s.Policy, auth.Config{
		BaseURL:          base,
		SessionIdle:      cfg.SessionIdle,
		SessionMax:       cfg.SessionMax,
		RequireAdminTOTP: cfg.AdminTOTP,
		SiteName:         cfg.SiteName,
		Now:              o.Now,
	}, log)

	// people ⇄ groups, and people ⇄ (events, decisions) in a merge: people
	// comes first and takes hooks that are set once the others exist.
	groupJoiner := hook.New[people.GroupJoiner]("people: group joiner")
	s.Movers = hook.New[[]people.PersonMover]("people: person movers")
	if s.People, err = people.NewService(people.Deps{DB: o.DB, Policy: s.Policy, Log: log, Now: o.Now,
		Accounts: s.Auth, Mail: s.Mail, Groups: groupJoiner, Movers: s.Movers}); err != nil {
		return nil, err
	}
	s.Auth.AccountCreated().Set(func(ctx context.Context, tx *db.Tx, u *auth.User) error {
		return s.People.LinkAccount(ctx, tx, u.ID, u.Email, u.Name)
	})

	s.GroupPanels = hook.New[[]groups.PanelFunc]("groups: page panels")
	if s.Groups, err = groups.NewService(groups.Deps{DB: o.DB, Policy: s.Policy, Log: log, Now: o.Now, People: s.People,
		Recorder: s.People, Notifier: groups.NewMailNotifier(s.Mail, base), Panels: s.GroupPanels}); err != nil {
		return nil, err
	}
	s.Policy.GroupRoles().Set(s.Groups)
	groupJoiner.Set(s.Groups)

	if err := hook.Check(s.Policy.GroupRoles(), s.Auth.AccountCreated(), groupJoiner); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := s.registerJobs(); err != nil {
		return nil, err
	}
	return s, nil
}

// Check reports any hook still empty, once the later tiers are built.
func (s *Services) Check() error {
	if err := hook.Check(s.Movers, s.GroupPanels); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	return nil
}

// registerJobs gives River the tier's workers, each built around the
// service it runs, and their periodic jobs.
func (s *Services) registerJobs() error {
	river.AddWorker(s.Jobs.Workers(), mail.NewSendWorker(s.Mail))
	river.AddWorker(s.Jobs.Workers(), &purgeWorker{auth: s.Auth, mail: s.Mail, log: s.Log})
	river.AddWorker(s.Jobs.Workers(), &ladderWorker{people: s.People, log: s.Log})
	if err := s.Jobs.AddPeriodic(mail.PeriodicSweep(), purgePeriodic(), ladderPeriodic()); err != nil {
		return err
	}
	return s.Groups.RegisterJobs(s.Jobs)
}

// Close releases the jobs' own connection and the live broker; the
// database is the caller's.
func (s *Services) Close() {
	if s.Live != nil {
		s.Live.Close()
	}
	if s.Jobs != nil {
		s.Jobs.Close()
	}
	if s.Mail != nil { // issue 12: QUIT the bulk sender's pooled SMTP connections
		s.Mail.Close()
	}
}
