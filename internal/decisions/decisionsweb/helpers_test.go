package decisionsweb

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// start is the test clock's first reading: a Tuesday in British Summer
// Time, so London is UTC+1.
var start = time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)

// site is the decisions pages and API on a real renderer and database.
// Requests say who is signed in with the X-Test-As header (a user id),
// which stands in for the session middleware.
type site struct {
	d      *db.DB
	svc    *decisions.Service
	clock  *clock
	h      http.Handler
	people map[string]person
	system context.Context
	admin  person
}

// person is an account with its person record.
type person struct {
	UserID, PersonID, Name, Email string
	Role                          auth.Role
}

func (p person) ctx() context.Context {
	return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: p.UserID, Role: p.Role, Verified: true, Label: p.Email})
}

func newSite(t *testing.T, d *db.DB) *site {
	t.Helper()
	return newSiteIn(t, d, "Europe/London")
}

// newSiteIn is newSite for a network in another time zone.
func newSiteIn(t *testing.T, d *db.DB, zoneName string) *site {
	t.Helper()
	zone, err := time.LoadLocation(zoneName)
	if err != nil {
		t.Fatal(err)
	}
	s := &site{d: d, clock: &clock{now: start}, people: map[string]person{}, system: auth.WithSystem(context.Background())}
	// Every service as serve builds it, with the test's clock.
	svcs, err := build.New(context.Background(), build.Options{DB: d, Log: slog.New(slog.DiscardHandler),
		Config: config.Config{BaseURL: "https://act.example.org", TimeZone: zoneName, DataDir: t.TempDir()}, Now: s.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svcs.Close)
	s.svc = svcs.Decisions
	b := svcs.Live
	rend, err := web.NewRenderer(slog.New(slog.DiscardHandler), web.RendererOptions{SiteName: "Tenants United", Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	if err := rend.Add(Templates, "decisions"); err != nil {
		t.Fatalf("add templates: %v", err)
	}
	mux := http.NewServeMux()
	h, err := NewHandler(s.svc, rend, b, zone, svcs.Talk) // issue 13: Talk
	if err != nil {
		t.Fatal(err)
	}
	h.Routes(mux)
	NewAPIHandler(s.svc, "https://act.example.org").Routes(mux)
	mux.HandleFunc("/", rend.NotFound)
	s.h = web.Chain(web.Routed(mux), web.RequestIDs(), func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p, ok := s.people[r.Header.Get("X-Test-As")]; ok {
				ctx := auth.WithPrincipal(r.Context(), auth.PrincipalFrom(p.ctx()))
				ctx = web.WithViewer(ctx, &web.Viewer{UserID: p.UserID, Name: p.Name, Email: p.Email,
					Role: string(p.Role), IsAdmin: p.Role == auth.RoleAdmin})
				r = r.WithContext(ctx)
			}
			next.ServeHTTP(w, r)
		})
	})
	s.admin = s.person(t, "Ada Admin", auth.RoleAdmin, "member")
	return s
}

// person creates an account and its person record with a membership
// status (member since a year before the test clock).
func (s *site) person(t *testing.T, name string, role auth.Role, membership string) person {
	t.Helper()
	ctx, now := context.Background(), db.Now()
	p := person{UserID: db.NewID(), PersonID: db.NewID(), Name: name, Role: role,
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"}
	given, family, _ := strings.Cut(name, " ")
	if _, err := s.d.Exec(ctx, `INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		p.UserID, p.Email, name, string(role), now, now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	if _, err := s.d.Exec(ctx, `INSERT INTO people (id, user_id, given_name, family_name, email, membership_status, member_since, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.PersonID, p.UserID, given, family, p.Email, membership, start.AddDate(-1, 0, 0), now, now); err != nil {
		t.Fatalf("insert person: %v", err)
	}
	s.people[p.UserID] = p
	return p
}

// group creates a group (a fixture, not the feature under test).
func (s *site) group(t *testing.T, name string) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	if _, err := s.d.Exec(context.Background(), `INSERT INTO groups (id, slug, name, kind, last_activity_at, created_at, updated_at)
		VALUES (?, ?, ?, 'local', ?, ?, ?)`, id, strings.ToLower(strings.ReplaceAll(name, " ", "-")), name, now, now, now); err != nil {
		t.Fatalf("insert group: %v", err)
	}
	return id
}

// join puts p in group g with a role, active.
func (s *site) join(t *testing.T, g string, p person, role string) {
	t.Helper()
	now := db.Now()
	if _, err := s.d.Exec(context.Background(), `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
		VALUES (?, ?, ?, 'active', ?, ?)`, g, p.PersonID, role, now, now); err != nil {
		t.Fatalf("join group: %v", err)
	}
}

// openDecision creates a decision as who and takes it to voting.
func (s *site) openDecision(t *testing.T, who person, in decisions.Input) *decisions.Decision {
	t.Helper()
	if in.OpensAt.IsZero() {
		in.OpensAt = s.clock.Now().Add(time.Hour)
	}
	if in.ClosesAt.IsZero() {
		in.ClosesAt = in.OpensAt.Add(48 * time.Hour)
	}
	d, err := s.svc.Create(who.ctx(), in)
	if err != nil {
		t.Fatalf("create %q: %v", in.Title, err)
	}
	if _, err := s.svc.StartDiscussion(who.ctx(), d.ID); err != nil {
		t.Fatalf("discussion: %v", err)
	}
	s.clock.Set(d.OpensAt)
	if d, err = s.svc.OpenVoting(s.system, d.ID); err != nil {
		t.Fatalf("open voting: %v", err)
	}
	return d
}

// closeDecision moves the clock to the close and counts.
func (s *site) closeDecision(t *testing.T, d *decisions.Decision) {
	t.Helper()
	s.clock.Set(d.ClosesAt)
	if _, err := s.svc.Close(s.system, d.ID); err != nil {
		t.Fatalf("close: %v", err)
	}
}

// scenario is one request and what the person should see.
type scenario struct {
	Name               string
	As                 *person
	Method, URL        string
	Form               url.Values
	ExpectedStatus     int
	ExpectedLocation   string
	ExpectedContent    []string
	NotExpectedContent []string
}

func (s *site) do(method, target string, form url.Values, as *person) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	if as != nil {
		req.Header.Set("X-Test-As", as.UserID)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

// run performs sc and returns the body.
func (s *site) run(t *testing.T, sc scenario) string {
	t.Helper()
	if sc.Method == "" {
		sc.Method = "GET"
	}
	if sc.Method == "POST" && sc.Form == nil {
		sc.Form = url.Values{}
	}
	res := s.do(sc.Method, sc.URL, sc.Form, sc.As)
	body := res.Body.String()
	if res.Code != sc.ExpectedStatus {
		t.Errorf("%s: %s %s: status %d, want %d\n%s", sc.Name, sc.Method, sc.URL, res.Code, sc.ExpectedStatus, body)
	}
	if loc := res.Header().Get("Location"); sc.ExpectedLocation != "" && !strings.HasPrefix(loc, sc.ExpectedLocation) {
		t.Errorf("%s: Location %q, want %q…", sc.Name, loc, sc.ExpectedLocation)
	}
	for _, want := range sc.ExpectedContent {
		if !strings.Contains(body, want) {
			t.Errorf("%s: %s %s: body lacks %q\n%s", sc.Name, sc.Method, sc.URL, want, body)
		}
	}
	for _, bad := range append(sc.NotExpectedContent, "ZgotmplZ") {
		if strings.Contains(body, bad) {
			t.Errorf("%s: %s %s: body contains %q", sc.Name, sc.Method, sc.URL, bad)
		}
	}
	return body
}

var (
	tokenField  = regexp.MustCompile(`name="ballot" value="([A-Za-z0-9_-]{43})"`)
	receiptShow = regexp.MustCompile(`<strong id="receipt-code">([0-9A-Z]{5}(?:-[0-9A-Z]{5}){4})</strong>`)
)

// ballotToken opens the decision's page as p and returns the ballot token
// in its ballot form.
func (s *site) ballotToken(t *testing.T, id string, p person) string {
	t.Helper()
	body := s.do("GET", "/decisions/"+id, nil, &p).Body.String()
	m := tokenField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s has no ballot form on /decisions/%s:\n%s", p.Name, id, body)
	}
	return m[1]
}

// receiptIn returns the receipt code a receipt page shows.
func receiptIn(t *testing.T, body string) string {
	t.Helper()
	m := receiptShow.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no receipt code on the page:\n%s", body)
	}
	return m[1]
}

// getJSON fetches an API document as p.
func (s *site) getJSON(t *testing.T, target string, p person, v any) {
	t.Helper()
	res := s.do("GET", target, nil, &p)
	if res.Code != 200 {
		t.Fatalf("GET %s: %d\n%s", target, res.Code, res.Body)
	}
	if err := json.Unmarshal(res.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
