package eventsapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/events/eventsapi"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/auth/authweb"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/hal"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

const site = "https://act.example.org"

// env is the events API as app mounts it: the real people, groups, events
// and auth services on a real database, the policy with every capability's
// rules, and authweb's middleware turning OSDI-API-Token into a principal.
type env struct {
	d       *db.DB
	people  *people.Service
	groups  *groups.Service
	events  *events.Service
	auth    *auth.Service
	now     time.Time
	srv     http.Handler
	sys     context.Context
	network string
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	e := &env{d: d, now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), sys: auth.WithSystem(context.Background())}
	// Every service as serve builds it, with the test's clock.
	svcs, err := build.New(context.Background(), build.Options{DB: d, Log: log, Config: config.Config{BaseURL: site, TimeZone: "Europe/London", DataDir: t.TempDir()},
		Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svcs.Close)
	e.people, e.groups, e.events, e.auth = svcs.People, svcs.Groups, svcs.Events, svcs.Auth
	rend, err := web.NewRenderer(log, web.RendererOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	eventsapi.NewHandler(e.events, site).Routes(mux)
	e.srv = web.Chain(web.Routed(mux), web.RequestIDs(), authweb.New(e.auth, rend, authweb.Options{}).Middleware())
	e.network = e.token(t, "hub sync", "")
	return e
}

// token creates an API token: network-wide, or for one group.
func (e *env) token(t *testing.T, name, groupID string) string {
	t.Helper()
	var plain string
	var err error
	if groupID == "" {
		plain, _, err = e.auth.CreateAPIToken(e.sys, name)
	} else {
		plain, _, err = e.auth.CreateGroupAPIToken(e.sys, name, groupID)
	}
	if err != nil {
		t.Fatalf("create token %s: %v", name, err)
	}
	return plain
}

func (e *env) person(t *testing.T, given, email string) *people.Person {
	t.Helper()
	p, err := e.people.Create(e.sys, people.Input{GivenName: given, FamilyName: "Test", Email: email})
	if err != nil {
		t.Fatalf("create person %s: %v", given, err)
	}
	return p
}

func (e *env) group(t *testing.T, name string) *groups.Group {
	t.Helper()
	g, err := e.groups.Create(e.sys, groups.Input{Name: name, Kind: groups.KindWorking})
	if err != nil {
		t.Fatalf("create group %s: %v", name, err)
	}
	return g
}

// event creates an event in groupID ("" for the network) days from now,
// 19:00 to 21:00 London time.
func (e *env) event(t *testing.T, groupID, title, visibility string, days, capacity int) *events.Event {
	t.Helper()
	day := e.now.AddDate(0, 0, days)
	ev, err := e.events.Create(e.sys, events.Input{GroupID: groupID, Title: title, Visibility: visibility, Capacity: capacity,
		Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
		End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC),
		Place: events.Place{Name: "Round Chapel", Address: "2 Powerscroft Road", Postcode: "E5 0PU"}})
	if err != nil {
		t.Fatalf("create event %s: %v", title, err)
	}
	return ev
}

// response is what a client sees.
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// do sends a request with token (none when "") and decodes the JSON body,
// which must be HAL+JSON, and fails unless the status is want.
func (e *env) do(t *testing.T, method, path, token, body string, want int) response {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set(authweb.APITokenHeader, token)
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	res := response{Status: w.Code, Header: w.Header(), Raw: w.Body.String()}
	if err := json.Unmarshal(w.Body.Bytes(), &res.Body); err != nil {
		t.Fatalf("%s %s: body is not a JSON object (%v): %s", method, path, err, res.Raw)
	}
	if ct := w.Header().Get("Content-Type"); ct != hal.MediaType {
		t.Errorf("%s %s: Content-Type %q, want %q", method, path, ct, hal.MediaType)
	}
	if w.Code != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, w.Code, want, res.Raw)
	}
	return res
}

// items returns the collection's embedded resources under rel.
func (r response) items(t *testing.T, rel string) []map[string]any {
	t.Helper()
	emb, _ := r.Body["_embedded"].(map[string]any)
	raw, ok := emb[rel].([]any)
	if !ok {
		t.Fatalf("no _embedded[%q]: %s", rel, r.Raw)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i] = v.(map[string]any)
	}
	return out
}

// fields returns the per-field messages of an error response.
func (r response) fields() map[string]any {
	e, _ := r.Body["momentum:error"].(map[string]any) // issue 14 (hal): "error" is Action Network's message

	f, _ := e["fields"].(map[string]any)
	return f
}

func linkOf(obj map[string]any, rel string) string {
	links, _ := obj["_links"].(map[string]any)
	l, _ := links[rel].(map[string]any)
	s, _ := l["href"].(string)
	return s
}

// path turns an absolute link into what to request.
func path(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, site+"/api/v1/") {
		t.Fatalf("bad link %q", link)
	}
	return u.RequestURI()
}

func idOf(t *testing.T, obj map[string]any) string {
	t.Helper()
	ids, _ := obj["identifiers"].([]any)
	if len(ids) == 0 {
		t.Fatalf("no identifiers: %v", obj)
	}
	s, _ := ids[0].(string)
	return strings.TrimPrefix(s, "momentum:")
}
