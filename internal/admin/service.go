package admin

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/site"
)

// ActAnnounce is broadcasting a live announcement. It has no rule in the
// policy table, so only admins (and network-admin tokens) may do it.
const ActAnnounce auth.Action = "live.announce"

// Service answers the admin console. Build it with New.
type Service struct {
	db     *db.DB
	policy *auth.Policy
	auth   *auth.Service
	jobs   *jobs.Jobs
	mail   *mail.Service
	live   live.Broker
	// ping builds the job that Ping enqueues (app owns its worker).
	ping func(nonce string, seq int) river.JobArgs
}

// New returns the admin service.
func New(d *db.DB, p *auth.Policy, a *auth.Service, j *jobs.Jobs, m *mail.Service, b live.Broker, ping func(nonce string, seq int) river.JobArgs) *Service {
	return &Service{db: d, policy: p, auth: a, jobs: j, mail: m, live: b, ping: ping}
}

func (s *Service) can(ctx context.Context, act auth.Action) error {
	return s.policy.Can(ctx, auth.PrincipalFrom(ctx), act, auth.Resource{Kind: "network"})
}

// Overview is the admin home page's figures.
type Overview struct {
	Jobs       map[string]int
	OutboxMode bool
	Recent     []audit.Entry
	Users      []auth.User
}

// Overview returns the figures for /admin.
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (s *Service) Overview(ctx context.Context) (*Overview, error) {
	if err := s.can(ctx, auth.ActAdminView); err != nil {
		return nil, err
	}
	o := &Overview{OutboxMode: s.mail.OutboxMode()}
	var err error
	if o.Jobs, err = s.jobs.Counts(ctx); err != nil {
		return nil, err
	}
	if o.Recent, err = audit.List(ctx, s.db.Q(), audit.Filter{Limit: 10}); err != nil {
		return nil, err
	}
	if o.Users, err = s.auth.ListUsers(ctx, auth.UserFilter{Limit: 10}); err != nil {
		return nil, err
	}
	return o, nil
}

// Users lists accounts for the admin (the auth service checks permission).
func (s *Service) Users(ctx context.Context, f auth.UserFilter) ([]auth.User, error) {
	return s.auth.ListUsers(ctx, f)
}

// SetRole changes a user's network role (the auth service checks permission
// and audits).
func (s *Service) SetRole(ctx context.Context, userID string, role auth.Role) error {
	return s.auth.SetRole(ctx, userID, role)
}

// Audit lists the audit log.
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (s *Service) Audit(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	if err := s.can(ctx, auth.ActAuditRead); err != nil {
		return nil, err
	}
	return audit.List(ctx, s.db.Q(), f)
}

// Outbox lists mail, newest first. Outside the development outbox (SMTP
// configured) the bodies come without links: see Mail.
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (s *Service) Outbox(ctx context.Context, f mail.OutboxFilter) ([]mail.Stored, error) {
	if err := s.can(ctx, auth.ActOutboxRead); err != nil {
		return nil, err
	}
	list, err := s.mail.Outbox(ctx, f)
	if err != nil || s.mail.OutboxMode() {
		return list, err
	}
	for i := range list {
		list[i] = list[i].Redacted()
	}
	return list, nil
}

// OutboxMode reports whether mail is kept rather than sent.
func (s *Service) OutboxMode() bool { return s.mail.OutboxMode() }

// Mail returns one stored message and audits the read ("mail.read": who
// opened which mail). Its body is whole only in the development outbox,
// where mail is never sent and following its links is how a developer signs
// in; once SMTP is configured the links are removed from what is shown, even
// for mail not yet sent, because they belong to the recipient (sent mail
// keeps none in the database either: mail.Service.markSent).
//
// Errors: errs.Unauthorized, errs.Forbidden, errs.NotFound.
func (s *Service) Mail(ctx context.Context, id string) (*mail.Stored, error) {
	if err := s.can(ctx, auth.ActOutboxRead); err != nil {
		return nil, err
	}
	m, err := s.mail.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	whole := s.mail.OutboxMode()
	if err := audit.Record(ctx, s.db.Q(), "mail.read", "mail", m.ID, map[string]any{"status": m.Status, "links_shown": whole}); err != nil {
		return nil, err
	}
	if !whole {
		r := m.Redacted()
		m = &r
	}
	return m, nil
}

// Jobs lists background jobs with counts per state.
//
// Errors: errs.Unauthorized, errs.Forbidden, errs.Invalid (unknown state).
func (s *Service) Jobs(ctx context.Context, f jobs.ListFilter) ([]jobs.Info, map[string]int, error) {
	if err := s.can(ctx, auth.ActJobsManage); err != nil {
		return nil, nil, err
	}
	list, err := s.jobs.List(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	counts, err := s.jobs.Counts(ctx)
	return list, counts, err
}

// RetryJob runs a failed or discarded job again now, and audits it.
func (s *Service) RetryJob(ctx context.Context, id int64) error {
	if err := s.can(ctx, auth.ActJobsManage); err != nil {
		return err
	}
	if err := s.jobs.Retry(ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, s.db.Q(), "job.retry", "job", itoa(id), nil)
}

// CancelJob cancels a job that has not finished, and audits it.
func (s *Service) CancelJob(ctx context.Context, id int64) error {
	if err := s.can(ctx, auth.ActJobsManage); err != nil {
		return err
	}
	if err := s.jobs.Cancel(ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, s.db.Q(), "job.cancel", "job", itoa(id), nil)
}

// Ping enqueues n test jobs; each leaves a "job.ping" audit entry naming the
// node that ran it. It returns the nonce they share.
func (s *Service) Ping(ctx context.Context, n int) (string, error) {
	if err := s.can(ctx, auth.ActJobsManage); err != nil {
		return "", err
	}
	if n < 1 || n > 1000 {
		return "", errs.Fields(map[string]string{"count": "Choose between 1 and 1000 test jobs."})
	}
	nonce := db.NewID()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		params := make([]river.InsertManyParams, n)
		for i := range params {
			params[i] = river.InsertManyParams{Args: s.ping(nonce, i)}
		}
		if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "job.ping_requested", "job", nonce, map[string]any{"count": n})
	})
	return nonce, err
}

// Announce pushes a message to every signed-in page, on every node, and
// audits it. Announcements are not stored: they are for the moment ("the
// rally has moved to the square").
//
// Errors: errs.Unauthorized, errs.Forbidden, errs.Invalid.
func (s *Service) Announce(ctx context.Context, message string) error {
	if err := s.can(ctx, ActAnnounce); err != nil {
		return err
	}
	message = strings.TrimSpace(message)
	switch {
	case message == "":
		return errs.Fields(map[string]string{"message": "Write the announcement."})
	case utf8.RuneCountInString(message) > 280:
		return errs.Fields(map[string]string{"message": "Keep it to 280 characters."})
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		return audit.Record(ctx, tx, "live.announce", "network", "announcements", map[string]any{"message": message})
	})
	if err != nil {
		return err
	}
	return s.live.Publish(ctx, live.Event{Topic: site.TopicAnnouncements, Data: message})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Tokens lists API tokens (the auth service checks permission).
func (s *Service) Tokens(ctx context.Context) ([]auth.APIToken, error) {
	return s.auth.ListAPITokens(ctx)
}

// CreateToken makes a network-admin API token and returns its plaintext,
// which is shown once. wording is the consent wording of the forms whose
// signups the token sends ("" none: then a signup marked "subscribed" must
// carry its own; issue 14).
func (s *Service) CreateToken(ctx context.Context, name, wording string) (string, error) {
	plain, _, err := s.auth.CreateAPITokenWithConsent(ctx, name, "", wording)
	return plain, err
}

// RevokeToken stops a token working.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	return s.auth.RevokeAPIToken(ctx, id)
}
