package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// dispatchBatch is how many outbox events one transaction turns into
// deliveries.
const dispatchBatch = 100

// dispatchLock is the PostgreSQL advisory lock a dispatch transaction
// holds, so that two dispatchers (a job run late on a second node) take
// turns and each endpoint's sequence follows the outbox's order. SQLite
// has one writer anyway.
const dispatchLock = 0x7765626873 // "webhs"

// Dispatch turns the outbox's pending events into deliveries, in order,
// batch by batch, then makes sure every endpoint with deliveries waiting
// has its deliver job. It returns how many events it dispatched. The
// dispatch job calls it as the system.
//
// Errors: errs.Forbidden, errs.Unauthorized (anyone but the system and
// admins).
func (s *Service) Dispatch(ctx context.Context) (int, error) {
	if err := s.can(ctx, ""); err != nil {
		return 0, err
	}
	total := 0
	for start := time.Now(); time.Since(start) < time.Minute; {
		n, err := s.dispatchOnce(ctx)
		total += n
		if err != nil {
			return total, err
		}
		if n < dispatchBatch {
			break
		}
	}
	return total, s.sweep(ctx)
}

// rendered is an event's resource, written once for all its deliveries.
type rendered struct {
	rel      string
	resource json.RawMessage
}

func (s *Service) dispatchOnce(ctx context.Context) (int, error) {
	q := s.d.DB.Q()
	evs, err := outbox.Pending(ctx, q, dispatchBatch)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	// Rendering reads other capabilities' tables, so it happens before the
	// transaction, which then holds the write lock only to write.
	eps, err := enabledTargets(ctx, q)
	if err != nil {
		return 0, err
	}
	res := map[int64]rendered{}
	for _, e := range evs {
		if wanted(eps, e) {
			res[e.Seq] = s.render(ctx, e)
		}
	}
	n := 0
	err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if tx.Dialect() == db.Postgres {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(dispatchLock)); err != nil {
				return fmt.Errorf("dispatch lock: %w", err)
			}
		}
		// Read again under the lock: another dispatcher may have been first,
		// and an endpoint may have changed.
		evs, err := outbox.Pending(ctx, tx, dispatchBatch)
		if err != nil {
			return err
		}
		eps, err := enabledTargets(ctx, tx)
		if err != nil {
			return err
		}
		touched := map[string]bool{}
		seqs := make([]int64, 0, len(evs))
		now := s.now()
		for _, e := range evs {
			seqs = append(seqs, e.Seq)
			for i := range eps {
				ep := &eps[i]
				if !ep.Wants(e) {
					continue
				}
				r, ok := res[e.Seq]
				if !ok { // an endpoint added since the reading
					r = s.render(ctx, e)
					res[e.Seq] = r
				}
				seq, err := nextSeq(ctx, tx, ep.ID)
				if err != nil {
					return err
				}
				d := &Delivery{ID: db.NewID(), EndpointID: ep.ID, Seq: seq, EventID: e.ID, Kind: e.Kind, CreatedAt: now}
				if d.Body, err = body(map[string]any{r.rel: r.resource}, d.ID, eventOf(e)); err != nil {
					return err
				}
				if err := insertDelivery(ctx, tx, d); err != nil {
					return err
				}
				touched[ep.ID] = true
			}
		}
		if err := outbox.MarkDispatched(ctx, tx, now, seqs...); err != nil {
			return err
		}
		for id := range touched {
			if err := s.enqueue(ctx, tx, id); err != nil {
				return err
			}
		}
		n = len(evs)
		return nil
	})
	return n, err
}

func wanted(eps []target, e outbox.Event) bool {
	for i := range eps {
		if eps[i].Wants(e) {
			return true
		}
	}
	return false
}

// render asks the Renderer for e's resource, as the system; when it fails
// the delivery carries a minimal object instead, so nothing waits on it.
func (s *Service) render(ctx context.Context, e outbox.Event) rendered {
	rel, res, err := s.d.Renderer.Render(auth.WithSystem(ctx), e)
	if rel == "" {
		rel = RelFor(e.Kind)
	}
	if err == nil {
		js, merr := json.Marshal(res)
		if merr == nil {
			return rendered{rel: rel, resource: js}
		}
		err = merr
	}
	s.log.Warn("webhook: resource not rendered; sending a minimal object", "kind", e.Kind, "subject_id", e.SubjectID, "err", err)
	js, _ := json.Marshal(Minimal(s.d.BaseURL, e))
	return rendered{rel: rel, resource: js}
}

// Minimal is the object a delivery carries when its resource cannot be
// read: the subject's identifier and a link to it in the API.
func Minimal(baseURL string, e outbox.Event) map[string]any {
	path := "/api/v1/"
	switch e.Subject {
	case "person":
		path += "people/" + e.SubjectID
	case "attendance":
		if ev, _ := e.Data["event_id"].(string); ev != "" {
			person, _ := e.Data["person_id"].(string)
			path += "events/" + ev + "/attendances/" + person
		} else {
			path += "attendances/" + e.SubjectID
		}
	default:
		path += e.Subject + "s/" + e.SubjectID
	}
	return map[string]any{
		"identifiers": []string{"momentum:" + e.SubjectID},
		"_links":      map[string]any{"self": map[string]string{"href": baseURL + path}},
	}
}

// event is the "momentum:event" member of a delivery's object: what
// happened, besides the resource.
type event struct {
	ID      string         `json:"id,omitempty"`
	Kind    string         `json:"kind"`
	GroupID string         `json:"group_id,omitempty"`
	At      time.Time      `json:"created_date"`
	Data    map[string]any `json:"data,omitempty"`
}

func eventOf(e outbox.Event) event {
	return event{ID: e.ID, Kind: e.Kind, GroupID: e.GroupID, At: e.At.UTC(), Data: e.Data}
}

// body is a delivery's JSON: an array of one object, as Action Network
// sends its webhooks, holding the resource under its curie, the
// idempotency key and Momentum's account of the event.
func body(resource map[string]any, deliveryID string, ev event) (string, error) {
	obj := map[string]any{"idempotency_key": deliveryID, "momentum:event": ev}
	for k, v := range resource {
		obj[k] = v
	}
	js, err := json.Marshal([]any{obj})
	if err != nil {
		return "", fmt.Errorf("webhook body: %w", err)
	}
	return string(js), nil
}

// sweep enqueues the deliver job of every enabled endpoint with
// deliveries waiting whose job went missing (a job given up, a lost
// enqueue); an endpoint whose job waits or runs is left alone by the
// job's uniqueness.
func (s *Service) sweep(ctx context.Context) error {
	ids, err := pendingEndpoints(ctx, s.d.DB.Q())
	if err != nil || len(ids) == 0 {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, id := range ids {
			if err := s.enqueue(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// Purge deletes finished deliveries (with their attempts) older than the
// retention, and dispatched outbox events older than a week. The daily job
// calls it as the system.
func (s *Service) Purge(ctx context.Context) error {
	if err := s.can(ctx, ""); err != nil {
		return err
	}
	cut := s.now().Add(-s.d.Retention)
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_attempts WHERE delivery_id IN
			(SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?)`, cut); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?`, cut); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM outbox_events WHERE dispatched_at IS NOT NULL AND dispatched_at < ?`,
			s.now().Add(-7*24*time.Hour))
		return err
	})
}
