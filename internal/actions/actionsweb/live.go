package actionsweb

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/live"
)

// countBroker passes on an action's live events as the bare count, which
// the page's element shows as it is (app.js's data-live): whatever the
// service publishes (the count, or JSON with a count), the page gets
// digits. An event it cannot read is answered with the count read afresh.
type countBroker struct {
	live.Broker
	svc *actions.Service
	id  string
}

// Subscribe wraps the broker's subscription.
func (b countBroker) Subscribe(ctx context.Context, topics ...string) (<-chan live.Event, func()) {
	in, cancel := b.Broker.Subscribe(ctx, topics...)
	out := make(chan live.Event, live.SubscriberBuffer)
	go func() {
		defer close(out)
		for e := range in {
			n, ok := countOf(e.Data)
			if !ok {
				a, err := b.svc.Public(ctx, b.id)
				if err != nil {
					continue
				}
				n = a.Count
			}
			select {
			case out <- live.Event{Topic: e.Topic, Data: strconv.Itoa(n)}:
			default: // a slow reader misses a count; the next one is newer
			}
		}
	}()
	return out, cancel
}

// countOf reads a count from an event's data: "42", or {"count":42}.
func countOf(data string) (int, bool) {
	data = strings.TrimSpace(data)
	if n, err := strconv.Atoi(data); err == nil {
		return n, true
	}
	var v struct {
		Count *int `json:"count"`
	}
	if json.Unmarshal([]byte(data), &v) == nil && v.Count != nil {
		return *v.Count, true
	}
	return 0, false
}
