package people

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// clock is an injectable clock the test moves by hand.
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

// env is the people service on a real database, wired as app wires it.
type env struct {
	d     *db.DB
	svc   *Service
	clock *clock
	admin context.Context
}

// groupRoles answers the policy from group_members, as the groups
// capability does: the role of the user's person, when active.
type groupRoles struct{ d *db.DB }

func (g groupRoles) GroupRole(ctx context.Context, userID, groupID string) (string, error) {
	var role string
	err := g.d.QueryRow(ctx, `SELECT gm.role FROM group_members gm JOIN people p ON p.id = gm.person_id
		WHERE p.user_id = ? AND gm.group_id = ? AND gm.status = 'active'`, userID, groupID).Scan(&role)
	if db.IsNotFound(err) {
		return "", nil
	}
	return role, err
}

// joiner adds people to groups for Create with a GroupID.
type joiner struct{}

func (joiner) AddMember(ctx context.Context, tx *db.Tx, groupID, personID string) error {
	now := db.Now()
	_, err := tx.Exec(ctx, `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
		VALUES (?, ?, 'member', 'active', ?, ?) ON CONFLICT (group_id, person_id) DO NOTHING`, groupID, personID, now, now)
	return err
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	policy := auth.NewPolicy()
	policy.AddRules(Rules()...)
	policy.GroupRoles().Set(groupRoles{d})
	e := &env{d: d, clock: &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}}
	e.svc = newService(t, d, policy, e.clock.Now)
	e.admin = auth.WithPrincipal(context.Background(), &auth.Principal{UserID: e.user(t, "admin@example.org", auth.RoleAdmin),
		Role: auth.RoleAdmin, Label: "admin@example.org"})
	return e
}

// user inserts an account and returns its id.
func (e *env) user(t testing.TB, email string, role auth.Role) string {
	t.Helper()
	return e.userNamed(t, email, strings.Split(email, "@")[0], role)
}

func (e *env) userNamed(t testing.TB, email, name string, role auth.Role) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO users (id, email, name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, email, name, string(role), now, now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	return id
}

// as is ctx signed in as an account with a network role.
func as(userID string, role auth.Role) context.Context {
	return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: userID, Role: role, Verified: true, Label: userID + "@label"})
}

// account creates an account linked to a new person and returns both ids
// and the signed-in context.
func (e *env) account(t testing.TB, email, name string, role auth.Role) (userID, personID string, ctx context.Context) {
	t.Helper()
	userID = e.userNamed(t, email, name, role)
	personID, err := e.svc.PersonIDForUser(e.admin, userID)
	if err != nil {
		t.Fatalf("person for %s: %v", email, err)
	}
	return userID, personID, as(userID, role)
}

// mustPerson creates a person as the admin.
func (e *env) mustPerson(t testing.TB, in Input) *Person {
	t.Helper()
	p, err := e.svc.Create(e.admin, in)
	if err != nil {
		t.Fatalf("create %+v: %v", in, err)
	}
	return p
}

// named creates a person with a name and email derived from it.
func (e *env) named(t testing.TB, given, family string) *Person {
	t.Helper()
	return e.mustPerson(t, Input{GivenName: given, FamilyName: family,
		Email: strings.ToLower(given+"."+family) + "@example.org"})
}

// group inserts a group and returns its id.
func (e *env) group(t testing.TB, slug string) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO groups (id, slug, name, kind, last_activity_at, created_at, updated_at)
		VALUES (?, ?, ?, 'local', ?, ?, ?)`, id, slug, slug, now, now, now); err != nil {
		t.Fatalf("insert group: %v", err)
	}
	return id
}

// join puts a person in a group with a role and status.
func (e *env) join(t testing.TB, groupID, personID, role, status string) {
	t.Helper()
	now := db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, groupID, personID, role, status, now, now); err != nil {
		t.Fatalf("join group: %v", err)
	}
}

func (e *env) consent(t testing.TB, personID string, channels ...string) {
	t.Helper()
	for _, ch := range channels {
		if err := e.svc.SetConsent(e.admin, personID, Consent{Channel: ch, Status: ConsentGranted, Source: "test", Wording: "Yes please"}); err != nil {
			t.Fatalf("consent %s: %v", ch, err)
		}
	}
}

func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func wantField(t testing.TB, err error, field, contains string) {
	t.Helper()
	msg, ok := errs.FieldsOf(err)[field]
	if !ok || !strings.Contains(msg, contains) {
		t.Fatalf("field %s: got %q (all: %v, err %v), want it to contain %q", field, msg, errs.FieldsOf(err), err, contains)
	}
}

// names returns the full names of people, sorted.
func names(ps []Person) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name())
	}
	slices.Sort(out)
	return out
}

// count runs a query returning one number.
func (e *env) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// newService builds the people service as app does, with the real account
// and mail services; only group membership is a stand-in (joiner), since
// the groups capability imports people. No other capability moves rows in
// a merge here.
func newService(t testing.TB, d *db.DB, policy *auth.Policy, now func() time.Time) *Service {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	js, err := jobs.New(context.Background(), d, jobs.Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { js.Close() })
	m, err := mail.NewService(d, js, mail.Config{}, log)
	if err != nil {
		t.Fatal(err)
	}
	accounts := auth.NewService(d, m, policy, auth.Config{}, log)
	groups := hook.New[GroupJoiner]("people: group joiner")
	groups.Set(joiner{})
	movers := hook.New[[]PersonMover]("people: person movers")
	movers.Set(nil)
	svc, err := NewService(Deps{DB: d, Policy: policy, Log: log, Now: now, Accounts: accounts, Mail: m,
		Groups: groups, Movers: movers})
	if err != nil {
		t.Fatal(err)
	}
	accounts.AccountCreated().Set(func(ctx context.Context, tx *db.Tx, u *auth.User) error {
		return svc.LinkAccount(ctx, tx, u.ID, u.Email, u.Name)
	})
	return svc
}
