package build

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/actions/actionsapi"
	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events/eventsapi"
	"github.com/momentum-movement/momentum/internal/people/peopleapi"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// issue 14 (webhooks): the service that turns the outbox into signed
// deliveries, and the renderer that gives each delivery its resource as
// the API would answer it.

// buildWebhooks makes s.Webhooks. Under FastJobs (tests) the dispatcher
// reads the outbox every 100 ms and a failed delivery is retried after
// 50 ms, 100 ms, … instead of 30 s to 8 h.
func (s *Services) buildWebhooks(o Options) (err error) {
	base := o.Config.PublicURL()
	s.Policy.AddRules(webhooks.Rules()...)
	d := webhooks.Deps{DB: s.DB, Policy: s.Policy, Jobs: s.Jobs, BaseURL: base, Log: s.Log, Now: o.Now,
		Renderer: &webhookRenderer{
			people: peopleapi.NewHandler(s.People, base), events: eventsapi.NewHandler(s.Events, base),
			actions:   actionsapi.NewHandler(s.Actions, base), // issue 14 (accept14: the merge of actions and webhooks): signatures and submissions as the API answers them
			decisions: s.Decisions, base: base,
		}}
	if o.FastJobs {
		d.DispatchEvery = 100 * time.Millisecond
		for i := 1; i < 10; i++ {
			d.RetryDelays = append(d.RetryDelays, time.Duration(i)*50*time.Millisecond)
		}
	}
	s.Webhooks, err = webhooks.New(d)
	return err
}

// webhookRenderer renders each kind of event with the API's own resource
// functions, read as the system.
type webhookRenderer struct {
	people    *peopleapi.Handler
	events    *eventsapi.Handler
	actions   *actionsapi.Handler // nil: signatures and submissions go as minimal objects
	decisions *decisions.Service
	base      string
}

func (r *webhookRenderer) Render(ctx context.Context, e outbox.Event) (string, any, error) {
	rel := webhooks.RelFor(e.Kind)
	var res any
	var err error
	switch e.Kind {
	case outbox.PersonCreated, outbox.PersonUnsubscribed:
		res, err = r.people.PersonResource(ctx, e.SubjectID)
	case outbox.AttendanceCreated, outbox.RSVPChanged:
		res, err = r.events.AttendanceResource(ctx, e.SubjectID)
	case outbox.SignatureCreated, outbox.SubmissionCreated:
		if r.actions == nil {
			return rel, nil, errors.New("the actions API is not built")
		}
		if e.Kind == outbox.SignatureCreated {
			res, err = r.actions.SignatureResource(ctx, e.SubjectID)
		} else {
			res, err = r.actions.SubmissionResource(ctx, e.SubjectID)
		}
	case outbox.DecisionClosed:
		res, err = r.decision(ctx, e.SubjectID)
	default:
		err = fmt.Errorf("no resource for %s", e.Kind)
	}
	return rel, res, err
}

// decision is a closed decision as a delivery carries it: Momentum's own
// resource, as Action Network has none.
func (r *webhookRenderer) decision(ctx context.Context, id string) (any, error) {
	d, err := r.decisions.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"identifiers": []string{"momentum:" + d.ID},
		"title":       d.Title,
		"kind":        string(d.Kind),
		"status":      string(d.Status),
		"turnout":     d.Turnout,
		"electorate":  d.ElectorateSize,
		"browser_url": r.base + "/decisions/" + d.ID,
		"_links": map[string]any{
			"self":             map[string]string{"href": r.base + "/api/v1/decisions/" + d.ID},
			"momentum:results": map[string]string{"href": r.base + "/decisions/" + d.ID + "/results"},
		},
	}
	if !d.ClosedAt.IsZero() {
		out["closed_date"] = d.ClosedAt.UTC().Format(time.RFC3339)
	}
	if d.GroupID != "" {
		out["group_id"] = d.GroupID
	}
	outcome := d.Outcome
	if res, err := r.decisions.Results(ctx, id); err == nil && res.Outcome != nil {
		if outcome == "" {
			outcome = res.Summary
		}
		out["decided"], out["winners"], out["summary"] = res.Decided, res.Winners, res.Summary
	}
	out["outcome"] = outcome
	return out, nil
}
