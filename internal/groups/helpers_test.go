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
)

// env is the groups service on a real database, with the policy wired as
// app wires it.
type env struct {
	d      *db.DB
	svc    *Service
	notes  *notifier
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
	e := &env{d: d, notes: &notifier{}, clock: &clock{now: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}}
	e.svc = NewService(d, policy, peopleFixture{d}, slog.New(slog.DiscardHandler))
	policy.SetGroupRoles(e.svc)
	e.svc.SetRecorder(recorder{})
	e.svc.SetNotifier(e.notes)
	e.svc.SetClock(e.clock.Now)
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

// peopleFixture finds or creates the person of an account in the real
// people table, as the people capability will.
type peopleFixture struct{ d *db.DB }

func (f peopleFixture) PersonIDForUser(ctx context.Context, userID string) (string, error) {
	if id, err := personOfUser(ctx, f.d.Q(), userID); err != nil || id != "" {
		return id, err
	}
	id, now := db.NewID(), db.Now()
	_, err := f.d.Exec(ctx, `INSERT INTO people (id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?)`, id, userID, now, now)
	return id, err
}

// recorder writes timeline entries to the real person_actions table.
type recorder struct{}

func (recorder) RecordAction(ctx context.Context, tx *db.Tx, a people.Action) error {
	_, err := tx.Exec(ctx, `INSERT INTO person_actions (id, person_id, at, kind, summary, ref_type, ref_id, group_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, db.NewID(), a.PersonID, a.At, a.Kind, a.Summary, a.RefType, a.RefID, nullable(a.GroupID))
	return err
}

// notifier records what it was asked to send.
type notifier struct {
	mu      sync.Mutex
	dormant map[string][]string // group name -> organiser emails
	digests [][]string          // admin emails per digest
	groups  [][]string          // group names per digest
}

func (n *notifier) GroupDormant(_ context.Context, _ *db.Tx, g Group, emails []string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.dormant == nil {
		n.dormant = map[string][]string{}
	}
	n.dormant[g.Name] = slices.Clone(emails)
	return nil
}

func (n *notifier) DormantDigest(_ context.Context, _ *db.Tx, gs []Group, admins []string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	n.digests = append(n.digests, slices.Clone(admins))
	n.groups = append(n.groups, names)
	return nil
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
