package authweb_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/auth/authweb"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// fastPasswords keeps argon2id cheap in tests; the real cost is tested in auth.
var fastPasswords = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// fakeMailer records the mail the service queues, once its transaction commits.
type fakeMailer struct {
	mu   sync.Mutex
	sent []auth.OutgoingMail
}

func (m *fakeMailer) Queue(_ context.Context, tx *db.Tx, msg auth.OutgoingMail) (string, error) {
	tx.AfterCommit(func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.sent = append(m.sent, msg)
	})
	return db.NewID(), nil
}

func (m *fakeMailer) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sent)
}

// link returns the path of the newest link to path (e.g. "/verify/") mailed
// to address.
func (m *fakeMailer) link(t *testing.T, to, path string) string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	re := regexp.MustCompile(regexp.QuoteMeta(path) + `[A-Za-z0-9_-]+`)
	for i := len(m.sent) - 1; i >= 0; i-- {
		if m.sent[i].To == to {
			if l := re.FindString(m.sent[i].Text); l != "" {
				return l
			}
		}
	}
	t.Fatalf("no mail to %s with a %s link (%d mails sent)", to, path, len(m.sent))
	return ""
}

// clock is a settable time for auth.Config.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one running site: a real SQLite database, the real auth service,
// the account pages and a browser-like client with a cookie jar that does
// not follow redirects (so tests can see them).
type env struct {
	db     *db.DB
	svc    *auth.Service
	mail   *fakeMailer
	clock  *clock
	srv    *httptest.Server
	client *http.Client
}

type envOptions struct {
	requireAdminTOTP bool
	secureCookies    bool
}

func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	d := dbtest.NewSQLite(t)
	e := &env{db: d, mail: &fakeMailer{}, clock: &clock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}}
	e.svc = auth.NewService(d, e.mail, nil, auth.Config{
		BaseURL:          "https://act.example.org",
		SiteName:         "Tenants United",
		Now:              e.clock.Now,
		Password:         fastPasswords,
		RequireAdminTOTP: o.requireAdminTOTP,
	}, nil)
	// The account pages on their own: accounts have no person records here
	// (app sets the people capability's hook).
	e.svc.AccountCreated().Set(func(context.Context, *db.Tx, *auth.User) error { return nil })
	e.srv = httptest.NewServer(newSite(t, e.svc, o.secureCookies))
	t.Cleanup(e.srv.Close)
	e.client = e.newClient(t)
	return e
}

// newSite wires the account pages as app does, plus stub pages to land on.
func newSite(t *testing.T, svc *auth.Service, secure bool) http.Handler {
	t.Helper()
	rend, err := web.NewRenderer(slog.New(slog.DiscardHandler), web.RendererOptions{SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rend.Add(authweb.Templates, "auth"); err != nil {
		t.Fatalf("add templates: %v", err)
	}
	h := authweb.New(svc, rend, authweb.Options{
		SiteName:      "Tenants United",
		SecureCookies: func(*http.Request) bool { return secure },
	})
	mux := http.NewServeMux()
	h.Routes(mux)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "home") })
	mux.HandleFunc("GET /dashboard", h.RequireUser(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Hello %s", web.ViewerFrom(r.Context()).Name)
	}))
	mux.HandleFunc("GET /api/whoami", func(w http.ResponseWriter, r *http.Request) {
		p := auth.PrincipalFrom(r.Context())
		if p == nil {
			fmt.Fprint(w, "anonymous")
			return
		}
		fmt.Fprintf(w, "%s token=%v viewer=%v", p.Label, p.Token, web.ViewerFrom(r.Context()) != nil)
	})
	mux.HandleFunc("/", rend.NotFound)
	return web.Chain(web.Routed(mux), web.RequestIDs(), h.Middleware())
}

// newClient is a fresh browser: its own cookie jar.
func (e *env) newClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// response is what a test looks at.
type response struct {
	Status   int
	Location string
	Body     string
	Header   http.Header
}

func (e *env) do(t *testing.T, c *http.Client, method, path string, form url.Values, header http.Header) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(b), Header: res.Header}
}

func (e *env) get(t *testing.T, path string) response {
	t.Helper()
	return e.do(t, e.client, "GET", path, nil, nil)
}

func (e *env) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return e.do(t, e.client, "POST", path, form, nil)
}

// scenario is one request and what the person should see (PocketBase style).
type scenario struct {
	Name               string
	Method             string
	URL                string
	Form               url.Values
	ExpectedStatus     int
	ExpectedLocation   string
	ExpectedContent    []string
	NotExpectedContent []string
}

func (e *env) run(t *testing.T, s scenario) response {
	t.Helper()
	var res response
	if s.Method == "POST" && s.Form == nil {
		s.Form = url.Values{}
	}
	res = e.do(t, e.client, s.Method, s.URL, s.Form, nil)
	if res.Status != s.ExpectedStatus {
		t.Errorf("%s %s: status %d, want %d\nbody:\n%s", s.Method, s.URL, res.Status, s.ExpectedStatus, res.Body)
	}
	if s.ExpectedLocation != "" && res.Location != s.ExpectedLocation {
		t.Errorf("%s %s: Location %q, want %q", s.Method, s.URL, res.Location, s.ExpectedLocation)
	}
	for _, want := range s.ExpectedContent {
		if !strings.Contains(res.Body, want) {
			t.Errorf("%s %s: body lacks %q\nbody:\n%s", s.Method, s.URL, want, res.Body)
		}
	}
	// html/template writes ZgotmplZ where it refused a value or attribute.
	for _, bad := range append(s.NotExpectedContent, "ZgotmplZ") {
		if strings.Contains(res.Body, bad) {
			t.Errorf("%s %s: body contains %q", s.Method, s.URL, bad)
		}
	}
	return res
}

// mustSignUp creates an account through the service (not the pages).
func (e *env) mustSignUp(t *testing.T, name, email, password string) *auth.User {
	t.Helper()
	u, err := e.svc.SignUp(context.Background(), auth.SignUpInput{Name: name, Email: email, Password: password, IP: "192.0.2.1"})
	if err != nil {
		t.Fatalf("sign up %s: %v", email, err)
	}
	return u
}

// mustLogIn logs the env's client in with a password through the pages.
func (e *env) mustLogIn(t *testing.T, email, password string) {
	t.Helper()
	e.run(t, scenario{Method: "POST", URL: "/login", Form: url.Values{"email": {email}, "password": {password}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/dashboard"})
}

// sessionCookie returns the client's session cookie value, or "".
func (e *env) sessionCookie(c *http.Client) string {
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == authweb.SessionCookie {
			return ck.Value
		}
	}
	return ""
}

// verified reports whether the account's address is confirmed, from the database.
func (e *env) verified(t *testing.T, email string) bool {
	t.Helper()
	var n int
	err := e.db.QueryRow(context.Background(), `SELECT COUNT(*) FROM users WHERE email = ? AND email_verified_at IS NOT NULL`, email).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q\nbody:\n%s", w, body)
		}
	}
}
