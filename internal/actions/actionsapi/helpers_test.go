package actionsapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/actions/actionsapi"
	"github.com/momentum-movement/momentum/internal/app/build"
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

// env is the actions API as app mounts it, on the services serve builds.
type env struct {
	d       *db.DB
	people  *people.Service
	groups  *groups.Service
	actions *actions.Service
	auth    *auth.Service
	h       *actionsapi.Handler
	now     time.Time
	srv     http.Handler
	sys     context.Context
	network string
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	e := &env{d: d, now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), sys: auth.WithSystem(context.Background())}
	svcs, err := build.New(context.Background(), build.Options{DB: d, Log: log, Config: config.Config{BaseURL: site, TimeZone: "Europe/London", DataDir: t.TempDir()},
		Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svcs.Close)
	e.people, e.groups, e.actions, e.auth = svcs.People, svcs.Groups, svcs.Actions, svcs.Auth
	rend, err := web.NewRenderer(log, web.RendererOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	e.h = actionsapi.NewHandler(e.actions, site)
	e.h.Routes(mux)
	e.srv = web.Chain(web.Routed(mux), web.RequestIDs(), authweb.New(e.auth, rend, authweb.Options{}).Middleware())
	e.network = e.token(t, "hub sync", "")
	return e
}

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

func (e *env) group(t *testing.T, name string) *groups.Group {
	t.Helper()
	g, err := e.groups.Create(e.sys, groups.Input{Name: name, Kind: groups.KindWorking})
	if err != nil {
		t.Fatalf("create group %s: %v", name, err)
	}
	return g
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.Q().QueryRow(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// do sends a request with token and decodes the HAL+JSON body, failing
// unless the status is want.
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
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	if w.Code != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, w.Code, want, res.Raw)
	}
	if w.Code >= 400 {
		if _, ok := res.Body["error"].(string); !ok {
			t.Errorf("%s %s: error body is not Action Network's {\"error\": \"...\"}: %s", method, path, res.Raw)
		}
	}
	return res
}

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

func (r response) fields() map[string]any {
	e, _ := r.Body["momentum:error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return f
}

func linkOf(obj map[string]any, rel string) string {
	links, _ := obj["_links"].(map[string]any)
	l, _ := links[rel].(map[string]any)
	s, _ := l["href"].(string)
	return s
}

// idOf is the last colon-part of the first identifier, as clients take it.
func idOf(t *testing.T, obj map[string]any) string {
	t.Helper()
	ids, _ := obj["identifiers"].([]any)
	if len(ids) == 0 {
		t.Fatalf("no identifiers: %v", obj)
	}
	s, _ := ids[0].(string)
	parts := strings.Split(s, ":")
	return parts[len(parts)-1]
}

// rawStatus is the status of a request without a body.
func (e *env) rawStatus(t *testing.T, method, path, token string) int {
	t.Helper()
	r := httptest.NewRequest(method, path, nil)
	r.Header.Set(authweb.APITokenHeader, token)
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w.Code
}
