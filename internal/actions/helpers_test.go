package actions

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// env is the actions service on a real database with the first tier
// (people, groups, mail, live) built as build.New builds it.
type env struct {
	d      *db.DB
	c      *core.Services
	svc    *Service
	mu     sync.Mutex
	now    time.Time
	admin  user
	system context.Context
}

// user is an account with its person record.
type user struct {
	UserID, PersonID string
	ctx              context.Context
}

type envOpt func(*Deps)

func doubleOptIn(d *Deps) { d.DoubleOptIn = true }

func newEnv(t testing.TB, d *db.DB, opts ...envOpt) *env {
	t.Helper()
	e := &env{d: d, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	c, err := core.New(context.Background(), core.Options{DB: d, Log: slog.New(slog.DiscardHandler),
		Config: config.Config{BaseURL: "https://act.example.org"}, Now: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	e.c = c
	c.Policy.AddRules(Rules()...)
	deps := Deps{DB: d, Policy: c.Policy, People: c.People, Mail: c.Mail, Live: c.Live, BaseURL: "https://act.example.org/",
		SiteName: "Tenants United", Log: slog.New(slog.DiscardHandler), Now: e.clock}
	for _, o := range opts {
		o(&deps)
	}
	if e.svc, err = New(deps); err != nil {
		t.Fatal(err)
	}
	c.Movers.Set([]people.PersonMover{e.svc})
	c.GroupPanels.Set(nil)
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	e.admin = e.user(t, "Ada Admin", auth.RoleAdmin)
	e.system = auth.WithSystem(context.Background())
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func (e *env) user(t testing.TB, name string, role auth.Role) user {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	u := user{UserID: db.NewID(), PersonID: db.NewID()}
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	given, family, _ := strings.Cut(name, " ")
	if _, err := e.d.Exec(ctx, `INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.UserID, email, name, string(role), now, now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	if _, err := e.d.Exec(ctx, `INSERT INTO people (id, user_id, given_name, family_name, email, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.PersonID, u.UserID, given, family, email, now, now); err != nil {
		t.Fatalf("insert person: %v", err)
	}
	u.ctx = auth.WithPrincipal(ctx, &auth.Principal{UserID: u.UserID, Role: role, Verified: true, Label: email})
	return u
}

func (e *env) group(t testing.TB, slug string) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO groups (id, slug, name, kind, last_activity_at, created_at, updated_at)
		VALUES (?, ?, ?, 'local', ?, ?, ?)`, id, slug, slug, now, now, now); err != nil {
		t.Fatalf("insert group: %v", err)
	}
	return id
}

func (e *env) join(t testing.TB, groupID string, u user, role string) {
	t.Helper()
	now := db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
		VALUES (?, ?, ?, 'active', ?, ?)`, groupID, u.PersonID, role, now, now); err != nil {
		t.Fatalf("join group: %v", err)
	}
}

// petition returns a valid petition's input.
func petition(title string) Input {
	return Input{Kind: KindPetition, Title: title, Target: "The council", Text: "We ask the council to *act*.", Goal: 100,
		Comments: true, ConsentWording: "Email me about this campaign.", Tags: []string{"petition signer"}}
}

// open creates and opens an action as ctx.
func (e *env) open(t testing.TB, ctx context.Context, in Input) *Action {
	t.Helper()
	a, err := e.svc.Create(ctx, in)
	if err != nil {
		t.Fatalf("create %q: %v", in.Title, err)
	}
	if err := e.svc.SetStatus(ctx, a.ID, StatusOpen); err != nil {
		t.Fatalf("open %q: %v", in.Title, err)
	}
	a.Status = StatusOpen
	return a
}

// count is the number of rows of a table.
func (e *env) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	if err := e.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// snapshot counts every table a response writes to.
func (e *env) snapshot(t testing.TB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range []string{"people", "consents", "consent_history", "person_tags", "action_responses", "outbox_events",
		"mail_messages", "audit_log"} {
		out[tb] = e.count(t, tb)
	}
	return out
}

func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("err = %v (%s), want %s", err, errs.CodeOf(err), code)
	}
}

func wantField(t testing.TB, err error, field string) {
	t.Helper()
	if _, ok := errs.FieldsOf(err)[field]; !ok {
		t.Fatalf("err = %v, fields %v: want field %q", err, errs.FieldsOf(err), field)
	}
}

// sign is a valid signature from a new address.
func sign(email string) Respond {
	given, _, _ := strings.Cut(email, "@")
	return Respond{GivenName: given, FamilyName: "Signer", Email: email, EmailOptIn: true, Source: "page"}
}
