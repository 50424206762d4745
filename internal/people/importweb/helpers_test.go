package importweb

import (
	"bytes"
	"context"
	"html"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// site is the wizard on a real renderer, database, importer and job client
// (not started: a test starts it when it wants the import to run). Requests
// say who is signed in with the X-Test-As header, which stands in for the
// session middleware.
type site struct {
	d    *db.DB
	h    http.Handler
	hd   *Handler
	jobs *jobs.Jobs
	// users by id, and each organiser's groups (group id → name).
	users map[string]*user
}

type user struct {
	ID, Name string
	Role     auth.Role
	// Organises maps group ids to names.
	Organises map[string]string
}

func newSite(t *testing.T, d *db.DB) *site {
	t.Helper()
	return newSiteLimit(t, d, 0)
}

// newSiteLimit is newSite with an upload limit of maxUpload bytes (0: the
// default).
func newSiteLimit(t *testing.T, d *db.DB, maxUpload int64) *site {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	s := &site{d: d, users: map[string]*user{}}
	// Every service as serve builds it, the import job's worker included.
	svcs, err := build.New(ctx, build.Options{DB: d, Log: log, FastJobs: true, Config: config.Config{DataDir: t.TempDir(), TimeZone: "Europe/London"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = svcs.Jobs.Stop(ctx)
		svcs.Close()
	})
	s.jobs = svcs.Jobs
	rend, err := web.NewRenderer(log, web.RendererOptions{SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rend.Add(Templates, "import"); err != nil {
		t.Fatalf("add templates: %v", err)
	}
	mux := http.NewServeMux()
	// The wizard as serve builds it (app/routes.go).
	s.hd, err = NewHandler(Deps{Importer: svcs.Importer, Policy: svcs.Policy, Renderer: rend,
		Groups: GroupsOf(svcs.Groups), Runs: svcs.Importer, DataDir: t.TempDir(), MaxUpload: maxUpload})
	if err != nil {
		t.Fatal(err)
	}
	s.hd.Routes(mux)
	mux.HandleFunc("/", rend.NotFound)
	s.h = web.Chain(web.Routed(mux), web.RequestIDs(), func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u := s.users[r.Header.Get("X-Test-As")]; u != nil {
				ctx := auth.WithPrincipal(r.Context(), &auth.Principal{UserID: u.ID, Role: u.Role, Verified: true, Label: "test:" + u.Name})
				ctx = web.WithViewer(ctx, &web.Viewer{UserID: u.ID, Name: u.Name, Role: string(u.Role), IsAdmin: u.Role == auth.RoleAdmin})
				r = r.WithContext(ctx)
			}
			next.ServeHTTP(w, r)
		})
	})
	return s
}

// user creates an account; groups are id, name pairs it organises.
func (s *site) user(t *testing.T, name string, role auth.Role, groups ...string) *user {
	t.Helper()
	now := db.Now()
	u := &user{ID: db.NewID(), Name: name, Role: role, Organises: map[string]string{}}
	for i := 0; i+1 < len(groups); i += 2 {
		u.Organises[groups[i]] = groups[i+1]
	}
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	if _, err := s.d.Exec(context.Background(), `INSERT INTO users (id, email, name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, u.ID, email, name, string(role), now, now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	// The groups it organises are real: the policy asks the groups
	// service, and an organiser's import makes people members.
	if len(u.Organises) > 0 {
		personID := db.NewID()
		if _, err := s.d.Exec(context.Background(), `INSERT INTO people (id, user_id, given_name, email, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, personID, u.ID, name, email, now, now); err != nil {
			t.Fatalf("insert person: %v", err)
		}
		for id, gname := range u.Organises {
			if _, err := s.d.Exec(context.Background(), `INSERT INTO groups (id, slug, name, kind, last_activity_at, created_at, updated_at)
				VALUES (?, ?, ?, 'local', ?, ?, ?)`, id, id, gname, now, now, now); err != nil {
				t.Fatalf("insert group: %v", err)
			}
			if _, err := s.d.Exec(context.Background(), `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
				VALUES (?, ?, 'organiser', 'active', ?, ?)`, id, personID, now, now); err != nil {
				t.Fatalf("join group: %v", err)
			}
		}
	}
	s.users[u.ID] = u
	return u
}

// startJobs starts the job client: from now on started imports run.
func (s *site) startJobs(t *testing.T) {
	t.Helper()
	if err := s.jobs.Start(context.Background()); err != nil {
		t.Fatalf("start jobs: %v", err)
	}
}

// response is what a request returned; Text is the body with HTML entities
// decoded, for asserting what a person reads.
type response struct {
	Status   int
	Location string
	Body     string
	Text     string
}

// do sends a request as u (nil: nobody signed in). body is a
// url.Values (a form), *upload (a multipart form) or nil.
func (s *site) do(t *testing.T, u *user, method, target string, body any) response {
	t.Helper()
	var req *http.Request
	switch b := body.(type) {
	case url.Values:
		req = httptest.NewRequest(method, target, strings.NewReader(b.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case *upload:
		ct, r := b.encode(t)
		req = httptest.NewRequest(method, target, r)
		req.Header.Set("Content-Type", ct)
	default:
		req = httptest.NewRequest(method, target, nil)
	}
	if u != nil {
		req.Header.Set("X-Test-As", u.ID)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	res := response{Status: rec.Code, Location: rec.Header().Get("Location"), Body: rec.Body.String()}
	res.Text = html.UnescapeString(res.Body)
	if strings.Contains(res.Body, "ZgotmplZ") {
		t.Errorf("%s %s: the page holds ZgotmplZ (a value html/template refused):\n%s", method, target, res.Body)
	}
	return res
}

// upload is the multipart form of step 1.
type upload struct {
	FileName, File string
	Fields         map[string]string
}

func (u *upload) encode(t *testing.T) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range u.Fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if u.FileName != "" {
		fw, err := mw.CreateFormFile("file", u.FileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(u.File))
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), &buf
}

var runPath = regexp.MustCompile(`^/imports/([0-9a-f-]{36})$`)

// mustUpload uploads a file as u and returns the id of the staged run.
func (s *site) mustUpload(t *testing.T, u *user, up *upload) string {
	t.Helper()
	res := s.do(t, u, "POST", "/people/import", up)
	m := runPath.FindStringSubmatch(res.Location)
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("upload %s: status %d, location %q, want 303 to a run:\n%s", up.FileName, res.Status, res.Location, res.Text)
	}
	return m[1]
}

// waitFor polls the run's page until it shows want, failing after 20 s.
func (s *site) waitFor(t *testing.T, u *user, id, want string) response {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res := s.do(t, u, "GET", "/imports/"+id, nil)
		if strings.Contains(res.Text, want) {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s: page never showed %q; last:\n%s", id, want, res.Text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// expect fails unless every want appears in the text of res.
func expect(t *testing.T, res response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(res.Text, w) {
			t.Errorf("page lacks %q:\n%s", w, res.Text)
		}
	}
}

// expectNot fails if any of nots appears in the text of res.
func expectNot(t *testing.T, res response, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(res.Text, n) {
			t.Errorf("page shows %q, and should not:\n%s", n, res.Text)
		}
	}
}
