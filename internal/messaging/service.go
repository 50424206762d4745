package messaging

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// CONTRACT (coordinator's skeleton, issue 12). The exported method set below
// is what the web, API, SMS and tracking work builds on; the core branch
// fills the bodies. Keep the signatures, or tell the coordinator.

// Service is the only entry to messaging for handlers and jobs.
type Service struct {
	d   Deps
	log *slog.Logger
	now func() time.Time
}

// Deps is everything the messaging service needs. Every field is required
// but Log and Now.
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	Jobs   *jobs.Jobs
	Mail   *mail.Service
	Live   live.Broker
	Log    *slog.Logger
	Now    func() time.Time
	// BaseURL is the site's public address: unsubscribe and tracking links.
	BaseURL string
	// SiteName is the network's name, in the mail template.
	SiteName string
	// Zone is the network's time zone, for scheduled times without one.
	Zone *time.Location
}

// New returns the messaging service, or an error naming the missing
// collaborators.
func New(d Deps) (*Service, error) {
	return nil, errors.New("messaging.New: not built yet")
}

// RegisterJobs adds the scheduler and the fan-out workers.
func (s *Service) RegisterJobs(j *jobs.Jobs) error { return errNotYet }

var errNotYet = errs.E(errs.Internal, "messaging: not built yet")

// Create saves a draft. Admins for the network; a group's organisers for
// their group, whose targets must all lie inside it.
func (s *Service) Create(ctx context.Context, in Input) (*Broadcast, error) { return nil, errNotYet }

// Update changes a draft (or a scheduled broadcast, which goes back to draft).
func (s *Service) Update(ctx context.Context, id string, in Input) (*Broadcast, error) {
	return nil, errNotYet
}

// Get returns one broadcast the viewer may see.
func (s *Service) Get(ctx context.Context, id string) (*Broadcast, error) { return nil, errNotYet }

// ListFilter selects broadcasts for List.
type ListFilter struct {
	GroupID string // "" with admins: every broadcast
	Status  string
	After   string // cursor
	Limit   int
}

// List returns the broadcasts the viewer may see, newest first, and the
// next cursor.
func (s *Service) List(ctx context.Context, f ListFilter) ([]Broadcast, string, error) {
	return nil, "", errNotYet
}

// Count returns how many people the broadcast would reach now (consent
// given, address present, not suppressed), before it is sent.
func (s *Service) Count(ctx context.Context, in Input) (int, error) { return 0, errNotYet }

// Preview renders the broadcast as one chosen recipient would receive it
// (personID "" : the viewer, or a sample recipient).
func (s *Service) Preview(ctx context.Context, in Input, personID string) (*Rendered, error) {
	return nil, errNotYet
}

// Rendered is a broadcast personalised for one recipient.
type Rendered struct {
	To      string
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
}

// TestSend sends the draft to the signed-in person's own address now.
func (s *Service) TestSend(ctx context.Context, id string) error { return errNotYet }

// Send starts sending now (or asks for approval when the network wants it
// for group broadcasts).
func (s *Service) Send(ctx context.Context, id string) (*Broadcast, error) { return nil, errNotYet }

// Schedule sends at a time (or asks for approval first, as Send).
func (s *Service) Schedule(ctx context.Context, id string, at time.Time) (*Broadcast, error) {
	return nil, errNotYet
}

// Approve lets a group's broadcast go (admins); it then sends now or at its
// scheduled time. Reject sends it back to draft with a reason.
func (s *Service) Approve(ctx context.Context, id string) (*Broadcast, error) { return nil, errNotYet }
func (s *Service) Reject(ctx context.Context, id, reason string) (*Broadcast, error) {
	return nil, errNotYet
}

// Pause, Resume and Cancel control a broadcast that is sending or scheduled.
func (s *Service) Pause(ctx context.Context, id string) (*Broadcast, error)  { return nil, errNotYet }
func (s *Service) Resume(ctx context.Context, id string) (*Broadcast, error) { return nil, errNotYet }
func (s *Service) Cancel(ctx context.Context, id string) (*Broadcast, error) { return nil, errNotYet }

// Stats returns the broadcast's figures.
func (s *Service) Stats(ctx context.Context, id string) (*Stats, error) { return nil, errNotYet }

// Settings are the network's messaging settings.
type Settings struct {
	ApproveGroups bool // an admin approves group broadcasts before they go
	Track         bool // count opens and clicks
}

// Settings returns the network's settings; SaveSettings changes them (admins).
func (s *Service) Settings(ctx context.Context) (Settings, error)      { return Settings{}, errNotYet }
func (s *Service) SaveSettings(ctx context.Context, st Settings) error { return errNotYet }

// Topic is the live topic a broadcast's progress is published on.
func Topic(id string) string { return "broadcast:" + id }
