// Package apptest starts the real Momentum application for end-to-end
// tests: the whole middleware chain, services, jobs and a real database,
// listening on a free port on 127.0.0.1. Nothing is mocked.
package apptest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// Engines runs fn once on SQLite (dbURL "") and once on PostgreSQL (a fresh
// database) when MOMENTUM_TEST_POSTGRES_URL is set.
func Engines(t *testing.T, fn func(t *testing.T, dbURL string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "") })
	t.Run("postgres", func(t *testing.T) { fn(t, dbtest.PostgresURL(t)) })
}

// Options say how to start a node.
type Options struct {
	// DatabaseURL is a PostgreSQL URL; empty means SQLite in a temp folder.
	DatabaseURL string
	// SMTPURL sends mail through a real server (see mailtest); empty keeps
	// mail in the outbox.
	SMTPURL string
	// Configure may change the Config before the app is built.
	Configure func(*config.Config)
	// Before runs once the app is built, before it serves and starts its
	// jobs, as `momentum serve --demo` loads the demo: data written with a
	// clock of its own (the demo's past election) is not raced by the
	// scheduler closing it meanwhile.
	Before func(context.Context, *app.App) error
}

// Node is a running application.
type Node struct {
	App  *app.App
	URL  string
	Logs *Buffer
}

// Start builds and runs the application until the test ends.
func Start(t testing.TB, o Options) *Node {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Addr = ln.Addr().String()
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	cfg.DatabaseURL = o.DatabaseURL
	cfg.SMTPURL = o.SMTPURL
	cfg.MailFrom = "Momentum Test <noreply@momentum.test>"
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logs := &Buffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, log, app.Options{FastJobs: true})
	if err != nil {
		cancel()
		t.Fatalf("start app: %v", err)
	}
	if o.Before != nil {
		if err := o.Before(ctx, a); err != nil {
			cancel()
			a.Close()
			t.Fatalf("before start: %v", err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, ln) }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("application log (errors and warnings):\n%s", logs.Problems())
		}
		cancel()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				t.Errorf("app.Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("app did not shut down within 20s")
		}
		a.Close()
	})
	return &Node{App: a, URL: "http://" + cfg.Addr, Logs: logs}
}

// CreateUser makes a verified account with a password, as the CLI would.
func (n *Node) CreateUser(t testing.TB, email, password string, role auth.Role) *auth.User {
	t.Helper()
	ctx := auth.WithSystem(reqctx.WithActor(context.Background(), reqctx.Actor{Label: "test"}))
	u, err := n.App.Auth.CreateAdmin(ctx, email, password, strings.Split(email, "@")[0])
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	if role != auth.RoleAdmin {
		if err := n.App.Auth.SetRole(ctx, u.ID, role); err != nil {
			t.Fatalf("set role of %s: %v", email, err)
		}
		u.Role = role
	}
	return u
}

// Client is an HTTP client with its own cookie jar that does not follow
// redirects, so tests see each response as the browser would.
func Client(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:     jar,
		Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Login logs c in with a password through the real login form.
func (n *Node) Login(t testing.TB, c *http.Client, email, password string) {
	t.Helper()
	res := PostForm(t, c, n.URL+"/login", url.Values{"email": {email}, "password": {password}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("login as %s: status %d\n%s", email, res.Status, res.Body)
	}
}

// Response is a read response.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Get fetches url with c.
func Get(t testing.TB, c *http.Client, u string) Response {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return Do(t, c, req)
}

// PostForm posts a form as a same-origin browser would.
func PostForm(t testing.TB, c *http.Client, u string, form url.Values) Response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return Do(t, c, req)
}

// Do sends req and reads the whole response.
func Do(t testing.TB, c *http.Client, req *http.Request) Response {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Buffer is a goroutine-safe log sink.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns everything logged so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Problems returns the logged lines at WARN level or above.
func (b *Buffer) Problems() string {
	var out []string
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, `"level":"WARN"`) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// LoadDemo is an Options.Before that loads the demo network nw, as
// `momentum serve --demo` does before it starts.
func LoadDemo(nw demo.Network) func(context.Context, *app.App) error {
	return func(ctx context.Context, a *app.App) error {
		_, err := demo.Load(ctx, a, nw)
		return err
	}
}
