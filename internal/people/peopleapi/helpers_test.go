package peopleapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peopleapi"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/auth/authweb"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/hal"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

const site = "https://act.example.org"

// clock is the people service's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is the API as app mounts it: the real people, groups and auth
// services on a real database, the policy with every capability's rules,
// and authweb's middleware turning OSDI-API-Token into a principal.
type env struct {
	d       *db.DB
	people  *people.Service
	groups  *groups.Service
	auth    *auth.Service
	clock   *clock
	srv     http.Handler
	sys     context.Context // the system, for fixtures
	network string          // a network-wide token
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	e := &env{d: d, clock: &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}, sys: auth.WithSystem(context.Background())}
	// Every service as serve builds it, with the test's clock.
	svcs, err := build.New(context.Background(), build.Options{DB: d, Log: log, Config: config.Config{BaseURL: site, DataDir: t.TempDir(), TimeZone: "Europe/London"},
		Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svcs.Close)
	e.people, e.groups, e.auth = svcs.People, svcs.Groups, svcs.Auth
	rend, err := web.NewRenderer(log, web.RendererOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	peopleapi.NewHandler(e.people, site).Routes(mux)
	groups.NewAPIHandler(e.groups, site).Routes(mux)
	mux.HandleFunc("/api/", hal.CatchAll(mux))
	e.srv = web.Chain(web.Routed(mux), web.RequestIDs(), authweb.New(e.auth, rend, authweb.Options{}).Middleware())
	e.network = e.token(t, "hub sync", "")
	return e
}

// token creates an API token: network-wide, or for one group.
func (e *env) token(t testing.TB, name, groupID string) string {
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

// person creates a person (a minute after the last, by the clock).
func (e *env) person(t *testing.T, given, email string) *people.Person {
	t.Helper()
	e.clock.Advance(time.Minute)
	p, err := e.people.Create(e.sys, people.Input{GivenName: given, FamilyName: "Test", Email: email})
	if err != nil {
		t.Fatalf("create person %s: %v", given, err)
	}
	return p
}

// group creates a working group with the given members.
func (e *env) group(t *testing.T, name string, members ...*people.Person) *groups.Group {
	t.Helper()
	g, err := e.groups.Create(e.sys, groups.Input{Name: name, Kind: groups.KindWorking})
	if err != nil {
		t.Fatalf("create group %s: %v", name, err)
	}
	var ms []groups.NewMember
	for _, p := range members {
		ms = append(ms, groups.NewMember{GroupID: g.ID, PersonID: p.ID, Role: groups.RoleMember})
	}
	if len(ms) > 0 {
		if _, err := e.groups.ImportMembers(e.sys, ms); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// response is what a client sees.
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// do sends a request with token (none when "") and decodes the JSON body,
// which must be HAL+JSON.
func (e *env) do(t *testing.T, method, path, token, body string) response {
	t.Helper()
	return e.send(t, method, path, token, body, true)
}

// send is do; halOnly false accepts any JSON (authweb's middleware answers
// an unknown token with application/json before the API is reached).
func (e *env) send(t *testing.T, method, path, token, body string, halOnly bool) response {
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
	if ct := w.Header().Get("Content-Type"); halOnly && ct != hal.MediaType {
		t.Errorf("%s %s: Content-Type %q, want %q", method, path, ct, hal.MediaType)
	}
	return res
}

// want fails unless the response has status.
func (r response) want(t *testing.T, status int) response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	return r
}

// embedded returns the items of a collection.
func (r response) embedded(t *testing.T, rel string) []map[string]any {
	t.Helper()
	emb, _ := r.Body["_embedded"].(map[string]any)
	raw, ok := emb[rel].([]any)
	if !ok {
		t.Fatalf("no _embedded[%q] in %s", rel, r.Raw)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i] = v.(map[string]any)
	}
	return out
}

// href returns the href of a link of an object ("" when absent).
func href(obj map[string]any, rel string) string {
	links, _ := obj["_links"].(map[string]any)
	l, _ := links[rel].(map[string]any)
	s, _ := l["href"].(string)
	return s
}

// path turns an absolute link into the path and query to request.
func path(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, site+"/api/v1") {
		t.Fatalf("link %q is not under %s/api/v1", link, site)
	}
	return u.RequestURI()
}

// idOf is the Momentum id of an OSDI resource, from its identifiers.
func idOf(t *testing.T, obj map[string]any) string {
	t.Helper()
	ids, _ := obj["identifiers"].([]any)
	if len(ids) == 0 {
		t.Fatalf("no identifiers in %v", obj)
	}
	return strings.TrimPrefix(ids[0].(string), "momentum:")
}

// errorOf returns the error message and fields of an error response.
func (r response) errorOf() (string, map[string]any) {
	msg, _ := r.Body["error"].(string) // Action Network's {"error": "message"}
	e, _ := r.Body["momentum:error"].(map[string]any)
	fields, _ := e["fields"].(map[string]any)
	return msg, fields
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// inputOf is p's details with another primary email.
func inputOf(p *people.Person, email string) people.Input {
	return people.Input{GivenName: p.GivenName, FamilyName: p.FamilyName, Email: email, Phone: p.Phone}
}
