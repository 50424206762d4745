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
	"github.com/momentum-movement/momentum/internal/platform/errs"
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
	s := &Service{d: d, log: d.Log, now: d.Now}
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

var errTodo = errs.E(errs.Internal, "actions: not built yet")

// Create makes an action (a draft). Admins for the network, organisers
// for their group (in.GroupID).
//
// Errors: errs.Invalid naming the field (kind, title, slug, goal,
// questions.<n>.<field>, consent_wording, tags…), errs.Conflict (slug),
// errs.Forbidden, errs.Unauthorized.
func (s *Service) Create(ctx context.Context, in Input) (*Action, error) { return nil, errTodo }

// Update replaces an action's details (not its kind or group).
func (s *Service) Update(ctx context.Context, id string, in Input) (*Action, error) { return nil, errTodo }

// SetStatus opens, closes or reopens an action.
func (s *Service) SetStatus(ctx context.Context, id, status string) error { return errTodo }

// Get returns an action the viewer may manage (any status).
func (s *Service) Get(ctx context.Context, id string) (*Action, error) { return nil, errTodo }

// Public returns an open or closed action by id or slug for its public
// page and embeds; anyone may read it (drafts are errs.NotFound).
func (s *Service) Public(ctx context.Context, idOrSlug string) (*Action, error) { return nil, errTodo }

// List returns the actions the viewer may manage, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Action, error) { return nil, errTodo }

// Respond signs a petition or submits a form: validated whole (fields
// named as the form names them: given_name, email, comment,
// answers.<key>, consent), spam-checked, then in one transaction the
// person is matched or created with the action's tags and r.Tags, consent
// granted with the action's wording when r.EmailOptIn, the response
// stored, an outbox event appended, the thank-you (or, under double
// opt-in, the confirmation) mail queued, and the live count published
// after commit. Anyone may respond to an open action.
//
// Errors: errs.Invalid, errs.Conflict (closed), errs.NotFound,
// errs.TooMany (rate) — nothing is written then.
func (s *Service) Respond(ctx context.Context, actionID string, r Respond) (*Result, error) {
	return nil, errTodo
}

// Confirm follows a double opt-in link: the response counts from now.
func (s *Service) Confirm(ctx context.Context, token string) (*Action, error) { return nil, errTodo }

// Responses lists an action's responses for its organisers, newest first
// (keyset: after is the last id of the previous page).
func (s *Service) Responses(ctx context.Context, actionID, after string, limit int) ([]Response, error) {
	return nil, errTodo
}

// Response returns one response for its action's organisers.
func (s *Service) Response(ctx context.Context, id string) (*Response, error) { return nil, errTodo }

// PublicComments returns the newest public comments of a petition.
func (s *Service) PublicComments(ctx context.Context, actionID string, limit int) ([]Response, error) {
	return nil, errTodo
}
