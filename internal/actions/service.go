package actions

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// Deps are the collaborators of the actions service.
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	// People matches or creates responders (SignupTx) in the response's
	// transaction.
	People *people.Service
	// Mail queues thank-you and confirmation mail in the same transaction.
	Mail *mail.Service
	// Live publishes a petition's count as it rises (topic Topic(id)).
	Live live.Broker
	// DoubleOptIn: responses wait for a confirmation link before they
	// count, are sent to webhooks, or grant consent (MOMENTUM_DOUBLE_OPT_IN).
	DoubleOptIn bool
	// RatePerHour bounds responses per remote address per hour (0: 30).
	RatePerHour int
	// MinFillTime is how long a person takes at least to fill a form
	// (0: 2 s); a faster submission from a web form is refused as spam.
	MinFillTime time.Duration
	BaseURL     string
	SiteName    string
	Log         *slog.Logger
	Now         func() time.Time
}

// Service is the only entry to actions.
type Service struct {
	d   Deps
	log *slog.Logger
	now func() time.Time
	// rate counts web responses per remote address (spam.go).
	rate *rateLimiter
}

// New returns the Service, or an error naming each missing collaborator.
func New(d Deps) (*Service, error) {
	if err := hook.Need("actions.New", "DB", d.DB, "Policy", d.Policy, "People", d.People, "Mail", d.Mail,
		"Live", d.Live); err != nil {
		return nil, err
	}
	if d.BaseURL == "" {
		return nil, errors.New("actions.New: missing BaseURL")
	}
	d.BaseURL = strings.TrimSuffix(d.BaseURL, "/")
	if d.RatePerHour <= 0 {
		d.RatePerHour = 30
	}
	if d.MinFillTime <= 0 {
		d.MinFillTime = 2 * time.Second
	}
	s := &Service{d: d, log: d.Log, now: d.Now, rate: newRateLimiter(d.RatePerHour)}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = db.Now
	}
	return s, nil
}

// Topic is the live topic of an action's count.
func Topic(actionID string) string { return "action:" + actionID }

// can checks act on an action of groupID ("" for the network's).
func (s *Service) can(ctx context.Context, act auth.Action, groupID string) error {
	return s.d.Policy.Can(ctx, auth.PrincipalFrom(ctx), act, auth.Resource{Kind: "action", GroupID: groupID})
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }
