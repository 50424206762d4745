package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Steps of loading the demo, in order, as recorded in demo_steps. Each is
// written once it is done, so that a run killed half-way (Ctrl-C, kill -9,
// a crash) is finished by the next run: every step either did not begin,
// or can be run again over what it left (see Load).
const (
	stepRun       = "run" // written first; item: "seed people"
	stepAdmin     = "admin"
	stepPeople    = "people"
	stepGroups    = "groups"
	stepEvent     = "event" // one row per event: item its index, ref its id
	stepEvents    = "events"
	stepDecisions = "decisions"
	// stepBroadcasts: the demo's broadcasts (issue 12); a broadcast is
	// found by its subject when a killed run is finished.
	stepBroadcasts = "broadcasts"
	// stepTalk: the demo's discussions (issue 13); a thread is found by
	// its title, or its decision, when a killed run is finished.
	stepTalk = "talk"
	// stepLibrary: the knowledge base's guides, path and group documents
	// (issue 13), found by name when a killed run is finished.
	stepLibrary = "library"
	// stepActions: the demo's petitions and form with their responses
	// (issue 14), found by slug when a killed run is finished.
	stepActions  = "actions"
	stepFinished = "finished" // written last
	// stepWebhooks: the endpoint at the development receiver (issue 14),
	// found by its address when a killed run is finished.
	stepWebhooks = "webhooks"
)

// loadSteps are the steps after stepRun, as a person reads them.
var loadSteps = []struct{ step, name string }{
	{stepAdmin, "the admin account"}, {stepPeople, "people"}, {stepGroups, "groups"},
	{stepEvents, "events"}, {stepDecisions, "decisions"}, {stepBroadcasts, "broadcasts"},
	{stepTalk, "discussions"},            // issue 13
	{stepLibrary, "the library"},         // issue 13
	{stepActions, "petitions and forms"}, // issue 14
	{stepWebhooks, "the webhook"},        // issue 14
}

// progress reads and writes demo_steps.
type progress struct{ d *db.DB }

// mark records step (and item, with ref) as done; marking twice is harmless.
func (p progress) mark(ctx context.Context, step, item, ref string) error {
	_, err := p.d.Exec(ctx, `INSERT INTO demo_steps (step, item, ref, done_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (step, item) DO NOTHING`, step, item, ref, db.Now())
	if err != nil {
		return fmt.Errorf("demo progress %s: %w", step, err)
	}
	return nil
}

// done lists the items (and their refs) recorded for step.
func (p progress) done(ctx context.Context, step string) (map[string]string, error) {
	rows, err := p.d.Q().Query(ctx, `SELECT item, ref FROM demo_steps WHERE step = ?`, step)
	if err != nil {
		return nil, fmt.Errorf("demo progress: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var item, ref string
		if err := rows.Scan(&item, &ref); err != nil {
			return nil, err
		}
		out[item] = ref
	}
	return out, rows.Err()
}

// has reports whether step (with no item) is done.
func (p progress) has(ctx context.Context, step string) (bool, error) {
	items, err := p.done(ctx, step)
	return len(items) > 0, err
}

// Unfinished describes a demo network that a previous run began and did not
// finish.
type Unfinished struct {
	Seed   uint64
	People int
	Began  time.Time // when the run began: the demo's dates are reckoned from it
	// Left names the steps still to do, in order ("events", "decisions").
	Left []string
}

// Begun returns the demo run that a previous process began and did not
// finish, or nil when there is none (no demo, or a finished one).
func Begun(ctx context.Context, d *db.DB) (*Unfinished, error) {
	p := progress{d}
	runs, err := p.done(ctx, stepRun)
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	if fin, err := p.has(ctx, stepFinished); err != nil || fin {
		return nil, err
	}
	u := &Unfinished{}
	for params, began := range runs {
		if _, err := fmt.Sscanf(params, "%d %d", &u.Seed, &u.People); err != nil {
			return nil, fmt.Errorf("demo progress: run %q: %w", params, err)
		}
		if u.Began, err = time.Parse(time.RFC3339, began); err != nil {
			return nil, fmt.Errorf("demo progress: run began %q: %w", began, err)
		}
	}
	for _, s := range loadSteps {
		ok, err := p.has(ctx, s.step)
		if err != nil {
			return nil, err
		}
		if !ok {
			u.Left = append(u.Left, s.name)
		}
	}
	return u, nil
}
