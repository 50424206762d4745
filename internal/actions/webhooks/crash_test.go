package webhooks_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// TestDeliveriesSurviveRestart is issue 14's crash line: with a real
// receiver, people sign up one by one while the node delivers; the
// receiver starts failing and the node is stopped in a hurry mid-way (its
// running delivery cancelled while the receiver holds its answer back);
// more people sign up while no node runs; a new node started on the same
// database delivers everything. Every event reaches the receiver at least
// once, and the first arrival of each is in outbox order — on both engines.
func TestDeliveriesSurviveRestart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		const before, during, after = 10, 10, 10
		rc := newReceiver(t)
		rc.set(func() { rc.delay = 20 * time.Millisecond })
		n1 := startNode(t, d)
		ep := endpoint(t, n1.s, rc, "", outbox.PersonCreated)
		for i := range before {
			signup(t, n1.s, fmt.Sprintf("before%d@example.org", i), "")
		}
		waitFor(t, 20*time.Second, "the first deliveries", func() bool { return len(rc.received()) >= 3 })
		// The receiver falters and holds its answers back; the node is
		// stopped at once, cancelling the delivery under way.
		rc.set(func() {
			rc.delay = 300 * time.Millisecond
			rc.fail = func(_ string, n int) bool { return n%2 == 1 } // every first try of a delivery fails
		})
		for i := range during {
			signup(t, n1.s, fmt.Sprintf("during%d@example.org", i), "")
		}
		// Stopped while the receiver holds back its answer to a delivery it
		// took: the node never learns it arrived.
		had := len(rc.received())
		waitFor(t, 20*time.Second, "a delivery under way", func() bool { return len(rc.received()) > had })
		n1.stop(0)
		t.Logf("stopped with %d of %d delivered", len(rc.received()), before+during)

		// No node runs: people still sign up (the API of another node, say).
		d2 := reopen(t, d)
		n2 := startNodeStopped(t, d2)
		for i := range after {
			signup(t, n2.s, fmt.Sprintf("after%d@example.org", i), "")
		}
		rc.set(func() { rc.delay = 0 })
		n2.start(t)

		// Every person.created event of the outbox arrives, first
		// arrivals in the outbox's order.
		seqOf := map[string]int64{}
		waitFor(t, 60*time.Second, "every delivery", func() bool {
			evs, err := eventSeqs(d2)
			if err != nil {
				t.Fatal(err)
			}
			seqOf = evs
			firsts := map[string]bool{}
			for _, g := range rc.received() {
				firsts[g.eventID] = true
			}
			return len(evs) == before+during+after && len(firsts) == len(evs)
		})
		var last int64
		seen, dupes := map[string]string{}, 0
		for _, g := range rc.received() {
			if !g.verified {
				t.Errorf("delivery %s not verified", g.key)
			}
			if key, ok := seen[g.eventID]; ok {
				dupes++
				if key != g.key { // a receiver dedupes by the key
					t.Errorf("event %s sent again with another idempotency key", g.eventID)
				}
				continue
			}
			seen[g.eventID] = g.key
			seq, ok := seqOf[g.eventID]
			if !ok {
				t.Fatalf("delivery %s of an unknown event %s", g.key, g.eventID)
			}
			if seq <= last {
				t.Errorf("event %d arrived first after event %d: out of order", seq, last)
			}
			last = seq
		}
		t.Logf("%d events delivered, %d sent more than once (at least once)", len(seen), dupes)
		// And the node knows it: every delivery ends delivered, none failed.
		waitFor(t, 10*time.Second, "every delivery marked delivered", func() bool {
			page, err := n2.s.Webhooks.Deliveries(sys, ep.ID, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, dl := range page.Deliveries {
				if dl.Status != "delivered" {
					return false
				}
			}
			return len(page.Deliveries) == before+during+after
		})
	})
}

// eventSeqs maps each person.created event of the outbox to its place.
func eventSeqs(d *db.DB) (map[string]int64, error) {
	rows, err := d.Query(context.Background(), `SELECT id, seq FROM outbox_events WHERE kind = ?`, outbox.PersonCreated)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, err
		}
		out[id] = seq
	}
	return out, rows.Err()
}

// reopen opens d's database again, as a new process would.
func reopen(t *testing.T, d *db.DB) *db.DB {
	t.Helper()
	d2, err := db.Open(context.Background(), db.Options{URL: d.URL, Path: d.Path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d2.Close() })
	return d2
}
