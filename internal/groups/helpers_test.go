package groups

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// env is the groups service on a real database, with the policy wired as
// app wires it.
type env struct {
	d      *db.DB
	svc    *Service
	people *people.Service
	auth   *auth.Service
	clock  *clock
	admin  person
	anyone context.Context // nobody signed in
}

// person is an account with its person record.
type person struct {
	UserID, PersonID, Email, Name string
	Role                          auth.Role
	ctx                           context.Context // signed in as them
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	policy := auth.NewPolicy()
	policy.AddRules(Rules()...)
	e := &env{d: d, clock: &clock{now: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}}
	e.svc, e.people, e.auth = build(t, d, policy, e.clock.Now)
	e.anyone = context.Background()
	e.admin = e.person(t, "Ada Admin", auth.RoleAdmin)
	return e
}

// person creates an account (role) and its person record.
func (e *env) person(t *testing.T, name string, role auth.Role) person {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	p := person{UserID: db.NewID(), PersonID: db.NewID(), Name: name, Role: role,
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"}
	given, family, _ := strings.Cut(name, " ")
	if _, err := e.d.Exec(ctx, `INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		p.UserID, p.Email, name, string(role), now, now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	if _, err := e.d.Exec(ctx, `INSERT INTO people (id, user_id, given_name, family_name, email, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.PersonID, p.UserID, given, family, p.Email, now, now); err != nil {
		t.Fatalf("insert person: %v", err)
	}
	if _, err := e.d.Exec(ctx, `INSERT INTO person_emails (address, person_id, created_at) VALUES (?, ?, ?)`,
		p.Email, p.PersonID, now); err != nil {
		t.Fatalf("insert person email: %v", err)
	}
	p.ctx = auth.WithPrincipal(ctx, &auth.Principal{UserID: p.UserID, Role: role, Verified: true, Label: p.Email})
	return p
}

// group creates a local group covering districts (or a working group when
// none are given), as the admin.
func (e *env) group(t *testing.T, name, joinPolicy string, districts ...string) *Group {
	t.Helper()
	in := Input{Name: name, Kind: KindWorking, JoinPolicy: joinPolicy, Districts: districts}
	if len(districts) > 0 {
		in.Kind = KindLocal
	}
	g, err := e.svc.Create(e.admin.ctx, in)
	if err != nil {
		t.Fatalf("create group %s: %v", name, err)
	}
	return g
}

// member puts p in g directly (a fixture, not the feature under test).
func (e *env) member(t *testing.T, g *Group, p person, role, status string, showName bool) {
	t.Helper()
	now := e.clock.Now()
	m := &memberRow{GroupID: g.ID, PersonID: p.PersonID, Role: role, Status: status, ShowName: showName, JoinedAt: now, UpdatedAt: now}
	if err := putMember(context.Background(), e.d.Q(), m); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
}

// status is p's membership status in g ("" for none).
func (e *env) status(t *testing.T, g *Group, p person) (status, role string) {
	t.Helper()
	m, err := getMember(context.Background(), e.d.Q(), g.ID, p.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if m == nil {
		return "", ""
	}
	return m.Status, m.Role
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

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// wantCode fails unless err carries code (nil for success).
func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if errs.CodeOf(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
}

// wantMessage fails unless err's safe message contains want.
func wantMessage(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(errs.MessageOf(err), want) {
		t.Fatalf("error %v, want message containing %q", err, want)
	}
}

// auditCount counts audit entries of an action on a group.
func (e *env) auditCount(t *testing.T, action, groupID string) int {
	t.Helper()
	var n int
	if err := e.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ? AND target_id = ?`,
		action, groupID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The people capability is what app wires in.
var (
	_ People   = (*people.Service)(nil)
	_ Recorder = (*people.Service)(nil)
)

// build makes the groups service as app does: with the real people, auth
// and mail services, and the real mail notifier (its mail lands in
// mail_messages). Only other capabilities' panels and merge movers are
// empty: none is built here.
func build(t testing.TB, d *db.DB, policy *auth.Policy, now func() time.Time) (*Service, *people.Service, *auth.Service) {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	policy.AddRules(people.Rules()...)
	js, err := jobs.New(context.Background(), d, jobs.Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { js.Close() })
	m, err := mail.NewService(d, js, mail.Config{}, log)
	if err != nil {
		t.Fatal(err)
	}
	accounts := auth.NewService(d, m, policy, auth.Config{BaseURL: apiSite}, log)
	joiner := hook.New[people.GroupJoiner]("people: group joiner")
	movers := hook.New[[]people.PersonMover]("people: person movers")
	movers.Set(nil)
	ps, err := people.NewService(people.Deps{DB: d, Policy: policy, Log: log, Now: now, Accounts: accounts, Mail: m,
		Groups: joiner, Movers: movers})
	if err != nil {
		t.Fatal(err)
	}
	accounts.AccountCreated().Set(func(ctx context.Context, tx *db.Tx, u *auth.User) error {
		return ps.LinkAccount(ctx, tx, u.ID, u.Email, u.Name)
	})
	panels := hook.New[[]PanelFunc]("groups: page panels")
	panels.Set(nil)
	svc, err := NewService(Deps{DB: d, Policy: policy, Log: log, Now: now, People: ps, Recorder: ps,
		Notifier: NewMailNotifier(m, apiSite), Panels: panels})
	if err != nil {
		t.Fatal(err)
	}
	joiner.Set(svc)
	policy.GroupRoles().Set(svc)
	return svc, ps, accounts
}

// mails lists the mail queued with the related label, as "to: subject",
// sorted.
func (e *env) mails(t *testing.T, related string) []string {
	t.Helper()
	rows, err := e.d.Query(context.Background(), `SELECT to_addr, subject FROM mail_messages WHERE related = ?`, related)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var to, subject string
		if err := rows.Scan(&to, &subject); err != nil {
			t.Fatal(err)
		}
		out = append(out, to+": "+subject)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
