package webhooks

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// ActManage is registering, changing and removing endpoints, and reading
// their deliveries. Admins only: a delivery carries a person's whole record
// as a network API token reads it (email, phone, address), more than a
// group's organisers may see of their members (people.Project), so a
// group's endpoint is registered for it by an admin.
const ActManage auth.Action = "webhooks.manage"

// Rules are the capability's rows of the policy table.
func Rules() []auth.Rule {
	return []auth.Rule{{Action: ActManage, Refusal: "Only admins can manage webhooks."}}
}

// Renderer turns an outbox event into the resource a delivery carries:
// the curie it goes under (RelFor(e.Kind) unless the renderer knows
// better) and a value encoding/json can write, read as the system. When
// it fails the delivery carries a minimal object (identifiers and a self
// link), so a resource that cannot be read never holds up an endpoint.
type Renderer interface {
	Render(ctx context.Context, e outbox.Event) (rel string, resource any, err error)
}

// DefaultRetryDelays are the waits after each failed attempt of a
// delivery: ten attempts over about a day (30 s, 2 min, 10 min, 30 min,
// 1 h, 2 h, 3 h, 5 h, 8 h), after which the delivery is failed.
var DefaultRetryDelays = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 5 * time.Hour, 8 * time.Hour}

// Deps are the service's collaborators.
type Deps struct {
	DB       *db.DB
	Policy   *auth.Policy
	Jobs     *jobs.Jobs
	Renderer Renderer
	// BaseURL is the site's address, for the self links of minimal objects.
	BaseURL string
	// Client POSTs deliveries; nil is NewClient().
	Client *http.Client
	// RetryDelays are the waits after each failed attempt; a delivery is
	// failed after len(RetryDelays)+1 attempts. Nil is DefaultRetryDelays.
	RetryDelays []time.Duration
	// DispatchEvery is how often the dispatcher reads the outbox. 0: 2 s.
	DispatchEvery time.Duration
	// Retention is how long finished deliveries (and dispatched outbox
	// events) are kept. 0: 30 days.
	Retention time.Duration
	Log       *slog.Logger
	Now       func() time.Time
}

// Service is the only entry to webhooks.
type Service struct {
	d      Deps
	log    *slog.Logger
	now    func() time.Time
	client *http.Client
	delays []time.Duration
	// retryIn passes a failed deliver job's wait from Work to NextRetry
	// (job id → duration), on the node that ran it.
	retryIn syncMap
}

// New returns the service, or an error naming a missing collaborator.
func New(d Deps) (*Service, error) {
	if err := hook.Need("webhooks.New", "DB", d.DB, "Policy", d.Policy, "Jobs", d.Jobs, "Renderer", d.Renderer); err != nil {
		return nil, err
	}
	if d.BaseURL == "" {
		return nil, errors.New("webhooks.New: missing BaseURL")
	}
	d.BaseURL = strings.TrimSuffix(d.BaseURL, "/")
	s := &Service{d: d, log: d.Log, now: d.Now, client: d.Client, delays: d.RetryDelays}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = db.Now
	}
	if s.client == nil {
		s.client = NewClient()
	}
	if len(s.delays) == 0 {
		s.delays = DefaultRetryDelays
	}
	if s.d.DispatchEvery <= 0 {
		s.d.DispatchEvery = 2 * time.Second
	}
	if s.d.Retention <= 0 {
		s.d.Retention = 30 * 24 * time.Hour
	}
	return s, nil
}

// MaxAttempts is how many times a delivery is tried before it is failed.
func (s *Service) MaxAttempts() int { return len(s.delays) + 1 }

func (s *Service) can(ctx context.Context, groupID string) error {
	return s.d.Policy.Can(ctx, auth.PrincipalFrom(ctx), ActManage, auth.Resource{Kind: "webhook", GroupID: groupID})
}

// CanManage says whether the viewer may manage webhooks (admins), for
// pages that show something else of them (the development receiver).
func (s *Service) CanManage(ctx context.Context) error { return s.can(ctx, "") }

func notFound() error { return errs.E(errs.NotFound, "There is no such webhook endpoint.") }

// List returns every endpoint with its health, the network's first, then
// by group and address.
//
// Errors: errs.Forbidden, errs.Unauthorized.
func (s *Service) List(ctx context.Context) ([]Endpoint, error) {
	if err := s.can(ctx, ""); err != nil {
		return nil, err
	}
	return listEndpoints(ctx, s.d.DB.Q(), "")
}

// Get returns one endpoint with its health.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Get(ctx context.Context, id string) (*Endpoint, error) {
	if err := s.can(ctx, ""); err != nil {
		return nil, err
	}
	eps, err := listEndpoints(ctx, s.d.DB.Q(), id)
	if err != nil {
		return nil, err
	}
	if len(eps) == 0 {
		return nil, notFound()
	}
	return &eps[0], nil
}

// Create registers an endpoint and returns it with its secret, which is
// shown this once (Rotate makes a new one).
//
// Errors: errs.Invalid naming url, kinds, description or group_id;
// errs.Forbidden, errs.Unauthorized.
func (s *Service) Create(ctx context.Context, in Input) (*Endpoint, string, error) {
	if err := s.can(ctx, in.GroupID); err != nil {
		return nil, "", err
	}
	if err := in.validate(); err != nil {
		return nil, "", err
	}
	now := s.now()
	ep := &Endpoint{ID: db.NewID(), GroupID: in.GroupID, URL: in.URL, Kinds: in.Kinds, Enabled: in.Enabled,
		Description: in.Description, CreatedAt: now, UpdatedAt: now}
	secret := newSecret()
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if ep.GroupID != "" {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM groups WHERE id = ?`, ep.GroupID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return errs.Fields(map[string]string{"group_id": "There is no such group."})
			}
		}
		if err := insertEndpoint(ctx, tx, ep, secret); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "webhook.created", "webhook", ep.ID, map[string]any{
			"url": ep.URL, "kinds": ep.Kinds, "group_id": ep.GroupID, "enabled": ep.Enabled})
	})
	if err != nil {
		return nil, "", err
	}
	return ep, secret, nil
}

// Update changes an endpoint's address, kinds, description and whether it
// is enabled (not its group). Enabling it again sends what waited.
//
// Errors: as Create, and errs.NotFound.
func (s *Service) Update(ctx context.Context, id string, in Input) (*Endpoint, error) {
	if err := s.can(ctx, ""); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET url = ?, kinds = ?, enabled = ?, description = ?, updated_at = ?
			WHERE id = ?`, in.URL, strings.Join(in.Kinds, ","), in.Enabled, in.Description, s.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound()
		}
		if in.Enabled {
			if err := s.enqueue(ctx, tx, id); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, "webhook.updated", "webhook", id, map[string]any{
			"url": in.URL, "kinds": in.Kinds, "enabled": in.Enabled})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Rotate gives the endpoint a new secret and returns it (shown once); the
// old one no longer signs anything from the next attempt on.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Rotate(ctx context.Context, id string) (string, error) {
	if err := s.can(ctx, ""); err != nil {
		return "", err
	}
	secret := newSecret()
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET secret = ?, updated_at = ? WHERE id = ?`, secret, s.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound()
		}
		return audit.Record(ctx, tx, "webhook.secret_rotated", "webhook", id, nil)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// Delete removes an endpoint with its deliveries.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Delete(ctx context.Context, id string) error {
	if err := s.can(ctx, ""); err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		var url string
		if err := tx.QueryRow(ctx, `SELECT url FROM webhook_endpoints WHERE id = ?`, id).Scan(&url); err != nil {
			if db.IsNotFound(err) {
				return notFound()
			}
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = ?)`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE endpoint_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_endpoints WHERE id = ?`, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "webhook.deleted", "webhook", id, map[string]any{"url": url})
	})
}

// Test queues a ping delivery to the endpoint, after whatever waits.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Test(ctx context.Context, id string) (*Delivery, error) {
	if err := s.can(ctx, ""); err != nil {
		return nil, err
	}
	var d *Delivery
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		seq, err := nextSeq(ctx, tx, id)
		if db.IsNotFound(err) {
			return notFound()
		} else if err != nil {
			return err
		}
		now := s.now()
		d = &Delivery{ID: db.NewID(), EndpointID: id, Seq: seq, Kind: KindPing, Status: StatusPending, CreatedAt: now}
		ping := map[string]any{"momentum:ping": map[string]any{"endpoint": id, "created_date": now.Format(time.RFC3339)}}
		if d.Body, err = body(ping, d.ID, event{Kind: KindPing, At: now}); err != nil {
			return err
		}
		if err := insertDelivery(ctx, tx, d); err != nil {
			return err
		}
		if err := s.enqueue(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "webhook.tested", "webhook", id, map[string]any{"delivery_id": d.ID})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Retry sends a failed delivery again, as the endpoint's newest (same
// idempotency key, a new place in the order), and returns its endpoint's id.
//
// Errors: errs.NotFound, errs.Conflict (not failed), errs.Forbidden,
// errs.Unauthorized.
func (s *Service) Retry(ctx context.Context, deliveryID string) (string, error) {
	if err := s.can(ctx, ""); err != nil {
		return "", err
	}
	var endpointID string
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT endpoint_id, status FROM webhook_deliveries WHERE id = ?`, deliveryID).Scan(&endpointID, &status)
		if db.IsNotFound(err) {
			return errs.E(errs.NotFound, "There is no such delivery.")
		} else if err != nil {
			return err
		}
		if status != StatusFailed {
			return errs.E(errs.Conflict, "Only a failed delivery can be sent again.")
		}
		seq, err := nextSeq(ctx, tx, endpointID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, seq = ?, finished_at = NULL
			WHERE id = ?`, seq, deliveryID); err != nil {
			return err
		}
		if err := s.enqueue(ctx, tx, endpointID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "webhook.delivery_retried", "webhook", endpointID, map[string]any{"delivery_id": deliveryID})
	})
	return endpointID, err
}

// DeliveryPage is a page of an endpoint's deliveries, newest first.
type DeliveryPage struct {
	Deliveries []Delivery
	// Next is the Before of the next (older) page; 0 when this is the last.
	Next int64
}

// Deliveries lists an endpoint's deliveries newest first, each with its
// attempts: those before sequence number before (0: from the newest).
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Deliveries(ctx context.Context, endpointID string, before int64, limit int) (*DeliveryPage, error) {
	if err := s.can(ctx, ""); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	ds, err := listDeliveries(ctx, s.d.DB.Q(), endpointID, before, limit+1)
	if err != nil {
		return nil, err
	}
	p := &DeliveryPage{Deliveries: ds}
	if len(ds) > limit {
		p.Deliveries = ds[:limit]
		p.Next = ds[limit-1].Seq
	}
	return p, nil
}

// VerifyReceived checks a delivery that came back to this node (the
// development receiver, /dev/webhook-receiver): its signature must be made
// with the secret of an endpoint whose address is url. It reveals no
// secret and checks no permission.
func (s *Service) VerifyReceived(ctx context.Context, url, timestamp, signature string, body []byte) error {
	rows, err := s.d.DB.Q().Query(ctx, `SELECT secret FROM webhook_endpoints WHERE url = ?`, url)
	if err != nil {
		return err
	}
	defer rows.Close()
	verr := ErrBadSignature
	for rows.Next() {
		var secret string
		if err := rows.Scan(&secret); err != nil {
			return err
		}
		if verr = Verify(secret, timestamp, signature, body, 5*time.Minute); verr == nil {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return verr
}

// enqueue asks for the endpoint's deliver job in tx (one per endpoint at
// a time: a job waiting or running already takes the new deliveries).
func (s *Service) enqueue(ctx context.Context, tx *db.Tx, endpointID string) error {
	_, err := s.d.Jobs.InsertTx(ctx, tx, DeliverArgs{EndpointID: endpointID}, nil)
	return err
}
