package peopleweb

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// site is the people pages on a real renderer, database, people and groups
// services, with the policy wired as app wires it. Requests say who is
// signed in with the X-Test-As header (a user id), standing in for the
// session middleware.
type site struct {
	d      *db.DB
	people *people.Service
	groups *groups.Service
	h      http.Handler
	users  map[string]user
	admin  user
}

// user is an account with its person record.
type user struct {
	UserID, PersonID, Email, Name string
	Role                          auth.Role
	ctx                           context.Context
}

func newSite(t *testing.T, d *db.DB) *site {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	s := &site{d: d, users: map[string]user{}}
	// Every service as serve builds it.
	svcs, err := build.New(context.Background(), build.Options{DB: d, Log: log, Config: config.Config{DataDir: t.TempDir(), TimeZone: "Europe/London"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svcs.Close)
	s.people, s.groups = svcs.People, svcs.Groups

	rend, err := web.NewRenderer(log, web.RendererOptions{SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rend.Add(Templates, "people"); err != nil {
		t.Fatalf("add templates: %v", err)
	}
	mux := http.NewServeMux()
	// The pages as serve builds them (app/routes.go).
	h, err := NewHandler(Deps{People: s.people, Groups: s.groups, Renderer: rend,
		Locator: LocatorFunc(func(ctx context.Context, pc string) (geo.District, error) {
			return geo.Locate(ctx, d.Q(), pc)
		})})
	if err != nil {
		t.Fatal(err)
	}
	h.Routes(mux)
	mux.HandleFunc("/", rend.NotFound)
	s.h = web.Chain(web.Routed(mux), web.RequestIDs(), func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u, ok := s.users[r.Header.Get("X-Test-As")]; ok {
				ctx := auth.WithPrincipal(r.Context(), auth.PrincipalFrom(u.ctx))
				ctx = reqctx.WithActor(ctx, reqctx.Actor{ID: u.UserID, Label: u.Email})
				ctx = web.WithViewer(ctx, &web.Viewer{UserID: u.UserID, Name: u.Name, Email: u.Email,
					Role: string(u.Role), IsAdmin: u.Role == auth.RoleAdmin})
				r = r.WithContext(ctx)
			}
			next.ServeHTTP(w, r)
		})
	})
	s.admin = s.user(t, "Ada Admin", auth.RoleAdmin)
	return s
}

// user creates an account (a fixture: accounts belong to auth) and links
// it to a person through the people service.
func (s *site) user(t *testing.T, name string, role auth.Role) user {
	t.Helper()
	ctx := context.Background()
	u := user{UserID: db.NewID(), Name: name, Role: role,
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"}
	now := db.Now()
	if _, err := s.d.Exec(ctx, `INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.UserID, u.Email, name, string(role), now, now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	u.ctx = auth.WithPrincipal(ctx, &auth.Principal{UserID: u.UserID, Role: role, Verified: true, Label: u.Email})
	id, err := s.people.PersonIDForUser(u.ctx, u.UserID)
	if err != nil {
		t.Fatalf("person for %s: %v", name, err)
	}
	u.PersonID = id
	s.users[u.UserID] = u
	return u
}

// group creates a local group covering district, as the admin.
func (s *site) group(t *testing.T, name, district string) *groups.Group {
	t.Helper()
	g, err := s.groups.Create(s.admin.ctx, groups.Input{Name: name, Kind: groups.KindLocal, Districts: []string{district}})
	if err != nil {
		t.Fatalf("create group %s: %v", name, err)
	}
	return g
}

// organise makes u an organiser of g.
func (s *site) organise(t *testing.T, g *groups.Group, u user) {
	t.Helper()
	if _, err := s.groups.ImportMembers(s.admin.ctx, []groups.NewMember{{GroupID: g.ID, PersonID: u.PersonID, Role: groups.RoleOrganiser}}); err != nil {
		t.Fatalf("organiser of %s: %v", g.Name, err)
	}
}

// person creates a person record as the admin.
func (s *site) person(t *testing.T, in people.Input) *people.Person {
	t.Helper()
	p, err := s.people.Create(s.admin.ctx, in)
	if err != nil {
		t.Fatalf("create %s %s: %v", in.GivenName, in.FamilyName, err)
	}
	return p
}

// consent grants consent on channels, as the admin.
func (s *site) consent(t *testing.T, p *people.Person, channels ...string) {
	t.Helper()
	for _, ch := range channels {
		if err := s.people.SetConsent(s.admin.ctx, p.ID, people.Consent{Channel: ch, Status: people.ConsentGranted,
			Source: "signup form", Wording: "Keep me posted"}); err != nil {
			t.Fatalf("consent %s: %v", ch, err)
		}
	}
}

// scenario is one request and what the person should see.
type scenario struct {
	Name               string
	As                 *user
	Method, URL        string
	Form               url.Values
	ExpectedStatus     int
	ExpectedLocation   string
	ExpectedHeaders    map[string]string
	ExpectedContent    []string
	NotExpectedContent []string
	// ExpectedFlash is looked for on the page the redirect leads to.
	ExpectedFlash string
}

func (s *site) do(method, target string, form url.Values, as *user, cookies []*http.Cookie) *httptest.ResponseRecorder {
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
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

func (s *site) run(t *testing.T, sc scenario) {
	t.Helper()
	if sc.Method == "" {
		sc.Method = "GET"
	}
	if sc.Method == "POST" && sc.Form == nil {
		sc.Form = url.Values{}
	}
	res := s.do(sc.Method, sc.URL, sc.Form, sc.As, nil)
	body := res.Body.String()
	if res.Code != sc.ExpectedStatus {
		t.Errorf("%s %s: status %d, want %d\n%s", sc.Method, sc.URL, res.Code, sc.ExpectedStatus, body)
	}
	if loc := res.Header().Get("Location"); sc.ExpectedLocation != "" && loc != sc.ExpectedLocation {
		t.Errorf("%s %s: Location %q, want %q", sc.Method, sc.URL, loc, sc.ExpectedLocation)
	}
	for k, want := range sc.ExpectedHeaders {
		if got := res.Header().Get(k); got != want {
			t.Errorf("%s %s: header %s = %q, want %q", sc.Method, sc.URL, k, got, want)
		}
	}
	for _, want := range sc.ExpectedContent {
		if !strings.Contains(body, want) {
			t.Errorf("%s %s: body lacks %q\n%s", sc.Method, sc.URL, want, body)
		}
	}
	for _, bad := range append(sc.NotExpectedContent, "ZgotmplZ") {
		if strings.Contains(body, bad) {
			t.Errorf("%s %s: body contains %q", sc.Method, sc.URL, bad)
		}
	}
	if sc.ExpectedFlash != "" {
		// A browser keeps the #fragment to itself.
		loc, _, _ := strings.Cut(res.Header().Get("Location"), "#")
		next := s.do("GET", loc, nil, sc.As, res.Result().Cookies())
		if !strings.Contains(next.Body.String(), sc.ExpectedFlash) {
			t.Errorf("%s %s: the next page lacks the flash %q\n%s", sc.Method, sc.URL, sc.ExpectedFlash, next.Body.String())
		}
	}
}
