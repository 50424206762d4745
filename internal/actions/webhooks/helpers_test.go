package webhooks_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

var sys = auth.WithSystem(context.Background())

// node is one Momentum node (every service, as serve builds it, with its
// jobs running) on a database.
type node struct {
	s      *build.Services
	cancel context.CancelFunc
}

func startNode(t *testing.T, d *db.DB) *node {
	t.Helper()
	n := startNodeStopped(t, d)
	n.start(t)
	return n
}

// startNodeStopped builds a node whose jobs do not run yet (start).
func startNodeStopped(t *testing.T, d *db.DB) *node {
	t.Helper()
	cfg := config.Config{BaseURL: "https://act.example.org", TimeZone: "Europe/London", DataDir: t.TempDir(), SiteName: "Act Now"}
	s, err := build.New(context.Background(), build.Options{DB: d, Log: slog.New(slog.DiscardHandler), Config: cfg, FastJobs: true})
	if err != nil {
		t.Fatal(err)
	}
	n := &node{s: s, cancel: func() {}}
	t.Cleanup(func() { n.stop(10 * time.Second) })
	return n
}

func (n *node) start(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := n.s.Jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	n.cancel = cancel
}

// stop stops the node's jobs, waiting at most wait for running ones (then
// cancelling them, as a node shut down in a hurry does), and closes its
// services. Stopping twice does nothing.
func (n *node) stop(wait time.Duration) {
	if n.s == nil {
		return
	}
	ctx, done := context.WithTimeout(context.Background(), wait)
	defer done()
	_ = n.s.Jobs.Stop(ctx)
	n.cancel()
	n.s.Close()
	n.s = nil
}

// got is a delivery as the receiver saw it.
type got struct {
	key, kind, eventID, subject, rel string
	verified                         bool
	group                            string
	body                             []byte
}

// receiver is a real HTTP receiver of deliveries.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	secret string
	all    []got
	// fail answers 500 while it returns true for a delivery.
	fail func(key string, n int) bool
	// delay holds back each answer that is not a failure.
	delay time.Duration
	seen  map[string]int
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{seen: map[string]int{}}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	g := got{key: r.Header.Get(webhooks.HeaderDelivery), kind: r.Header.Get(webhooks.HeaderEvent), body: b}
	g.verified = webhooks.Verify(rc.secret, r.Header.Get(webhooks.HeaderTimestamp), r.Header.Get(webhooks.HeaderSignature), b, time.Minute) == nil
	var arr []map[string]json.RawMessage
	if json.Unmarshal(b, &arr) == nil && len(arr) == 1 {
		var ev struct {
			ID      string `json:"id"`
			GroupID string `json:"group_id"`
		}
		json.Unmarshal(arr[0]["momentum:event"], &ev)
		g.eventID, g.group = ev.ID, ev.GroupID
		for k, v := range arr[0] {
			if k != "momentum:event" && k != "idempotency_key" {
				g.rel = k
				var res struct {
					Identifiers []string `json:"identifiers"`
				}
				json.Unmarshal(v, &res)
				if len(res.Identifiers) > 0 {
					g.subject = res.Identifiers[0]
				}
			}
		}
	}
	rc.seen[g.key]++
	n := rc.seen[g.key]
	fail := rc.fail != nil && rc.fail(g.key, n)
	if !fail {
		rc.all = append(rc.all, g)
	}
	delay := rc.delay
	rc.mu.Unlock()
	if fail {
		http.Error(w, "not now", http.StatusInternalServerError)
		return
	}
	time.Sleep(delay) // taken, but the answer is late
	w.Write([]byte("thanks"))
}

// received returns the deliveries answered 2xx so far, in arrival order.
func (rc *receiver) received() []got {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]got(nil), rc.all...)
}

func (rc *receiver) set(fn func()) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	fn()
}

// waitFor polls cond until it holds or the time is up.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(within); ; time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("waited %s for %s", within, what)
		}
	}
}

// signup signs a person up as a petition or the API would.
func signup(t *testing.T, s *build.Services, email, group string) string {
	t.Helper()
	res, err := s.People.Signup(sys, people.Signup{Person: people.Input{GivenName: "Sam", FamilyName: "Signer", Email: email,
		Source: "api", GroupID: group}})
	if err != nil {
		t.Fatalf("signup %s: %v", email, err)
	}
	return res.PersonID
}

// endpoint registers an endpoint at rc and gives rc its secret.
func endpoint(t *testing.T, s *build.Services, rc *receiver, group string, kinds ...string) *webhooks.Endpoint {
	t.Helper()
	ep, secret, err := s.Webhooks.Create(sys, webhooks.Input{URL: rc.URL + "/hook", GroupID: group, Kinds: kinds, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	rc.set(func() { rc.secret = secret })
	return ep
}
