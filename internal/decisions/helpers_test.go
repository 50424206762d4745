package decisions

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/live"
)

// site is the network's public address in these tests.
const site = "https://act.example.org"

// start is the test clock's first reading.
var start = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// env is the decisions service on a real database, with the policy wired
// as app wires it (group roles from the real groups service).
type env struct {
	d   *db.DB
	svc *Service
	// notices is the real notices service the reminder sends through.
	notices *notices.Service
	clock   *clock
	logs    *lockedBuffer
	live    live.Broker
	admin   person
	system  context.Context
}

// person is an account with its person record.
type person struct {
	UserID, PersonID, Name string
	ctx                    context.Context // signed in as them
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	e := &env{d: d, clock: &clock{now: start}, logs: &lockedBuffer{}}
	// The first tier (people, groups, auth, mail, live) exactly as serve
	// builds it; then this service with the real adapters build.New gives
	// it, and its own clock.
	c, err := core.New(context.Background(), core.Options{DB: d, Log: slog.New(slog.DiscardHandler),
		Config: config.Config{BaseURL: site}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	c.Policy.AddRules(Rules()...)
	c.Policy.AddRules(notices.Rules()...)
	ns, err := notices.New(notices.Deps{DB: d, Policy: c.Policy, Mail: c.Mail, Kinds: NoticeKinds(), SiteName: "Momentum",
		BaseURL: site, Zone: time.UTC, DigestHour: notices.DefaultDigestHour, Log: slog.New(slog.DiscardHandler), Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	e.notices = ns
	reminder, err := NewMailReminder(ns, site, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	e.svc, err = New(Deps{DB: d, Policy: c.Policy, Now: e.clock.Now, Live: c.Live, Reminder: reminder, Key: GenerateBallotKey(),
		Log: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	c.Movers.Set([]people.PersonMover{e.svc})
	c.GroupPanels.Set(nil)
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	e.live = c.Live
	e.system = auth.WithSystem(context.Background())
	e.admin = e.person(t, "Ada Admin", auth.RoleAdmin, "member", start.AddDate(-1, 0, 0))
	return e
}

// person creates an account with a network role and its person record
// with a membership status and date (zero: none).
func (e *env) person(t testing.TB, name string, role auth.Role, membership string, since time.Time) person {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	p := person{UserID: db.NewID(), PersonID: db.NewID(), Name: name}
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "." + p.UserID[len(p.UserID)-6:] + "@example.org"
	if _, err := e.d.Exec(ctx, `INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		p.UserID, email, name, string(role), now, now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	given, family, _ := strings.Cut(name, " ")
	if _, err := e.d.Exec(ctx, `INSERT INTO people (id, user_id, given_name, family_name, email, membership_status, member_since, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.PersonID, p.UserID, given, family, email, membership, nullTime(since), now, now); err != nil {
		t.Fatalf("insert person: %v", err)
	}
	p.ctx = auth.WithPrincipal(ctx, &auth.Principal{UserID: p.UserID, Role: role, Verified: true, Label: email})
	return p
}

// member is a network member since a year before the test clock.
func (e *env) member(t testing.TB, name string) person {
	t.Helper()
	return e.person(t, name, auth.RoleMember, "member", start.AddDate(-1, 0, 0))
}

// group creates a working group (a fixture, not the feature under test).
func (e *env) group(t testing.TB, name string) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO groups (id, slug, name, kind, last_activity_at, created_at, updated_at)
		VALUES (?, ?, ?, 'working', ?, ?, ?)`, id, strings.ToLower(strings.ReplaceAll(name, " ", "-")), name, now, now, now); err != nil {
		t.Fatalf("insert group: %v", err)
	}
	return id
}

// join puts p in group g with a role, active.
func (e *env) join(t testing.TB, groupID string, p person, role string) {
	t.Helper()
	now := db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
		VALUES (?, ?, ?, 'active', ?, ?)`, groupID, p.PersonID, role, now, now); err != nil {
		t.Fatalf("join group: %v", err)
	}
}

// create makes a decision as who, failing the test on error.
func (e *env) create(t testing.TB, who person, in Input) *Decision {
	t.Helper()
	if in.OpensAt.IsZero() {
		in.OpensAt = e.clock.Now().Add(time.Hour)
	}
	if in.ClosesAt.IsZero() {
		in.ClosesAt = in.OpensAt.Add(24 * time.Hour)
	}
	d, err := e.svc.Create(who.ctx, in)
	if err != nil {
		t.Fatalf("create %q: %v", in.Title, err)
	}
	return d
}

// open creates a decision and takes it to voting: discussion, then the
// clock moves to its opening time and the system opens it.
func (e *env) open(t testing.TB, who person, in Input) *Decision {
	t.Helper()
	d := e.create(t, who, in)
	if _, err := e.svc.StartDiscussion(who.ctx, d.ID); err != nil {
		t.Fatalf("start discussion: %v", err)
	}
	e.clock.Set(d.OpensAt)
	d, err := e.svc.OpenVoting(e.system, d.ID)
	if err != nil {
		t.Fatalf("open voting: %v", err)
	}
	return d
}

// close moves the clock to the closing time and closes d as the system.
func (e *env) close(t testing.TB, d *Decision) *Decision {
	t.Helper()
	e.clock.Set(d.ClosesAt)
	d, err := e.svc.Close(e.system, d.ID)
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	return d
}

// vote casts p's vote with a fresh ballot token and returns the receipt
// the server made.
func (e *env) vote(t testing.TB, d *Decision, p person, c Choice) string {
	t.Helper()
	r, err := e.svc.Vote(p.ctx, d.ID, e.token(p.ctx, d.ID), c)
	if err != nil {
		t.Fatalf("%s votes: %v", p.Name, err)
	}
	return r
}

// token is a ballot token for whoever ctx is signed in as (for no one: a
// token for no user, which Vote refuses after its permission check).
func (e *env) token(ctx context.Context, decisionID string) string {
	user := ""
	if p := auth.PrincipalFrom(ctx); p != nil {
		user = p.UserID
	}
	return e.svc.key.NewBallotToken(decisionID, user)
}

// cast counts a decision's ballots, in the box and still sealed.
func (e *env) cast(t testing.TB, decisionID string) int {
	t.Helper()
	return e.count(t, `SELECT (SELECT COUNT(*) FROM decision_ballots WHERE decision_id = ?) +
		(SELECT COUNT(*) FROM decision_sealed WHERE decision_id = ?)`, decisionID, decisionID)
}

// moveAll moves every sealed ballot of a decision into its box, as the
// close does, however few.
func (e *env) moveAll(t testing.TB, decisionID string) {
	t.Helper()
	err := e.d.InTx(context.Background(), func(tx *db.Tx) error {
		_, err := e.svc.moveSealed(auth.WithSystem(context.Background()), tx, decisionID, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hash is the ballot box's hash of a receipt code as shown.
func (e *env) hash(t testing.TB, decisionID, receipt string) string {
	t.Helper()
	c, err := normaliseReceipt(receipt, "receipt")
	if err != nil {
		t.Fatal(err)
	}
	return e.svc.key.hashOf(decisionID, c)
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

// lockedBuffer is a log sink safe for concurrent writers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// wantCode fails unless err carries code ("" for success).
func wantCode(t testing.TB, err error, code errs.Code) {
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
func wantMessage(t testing.TB, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(errs.MessageOf(err), want) {
		t.Fatalf("error %v, want message containing %q", err, want)
	}
}

// count runs a one-number query.
func (e *env) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// poll is a two-option poll in group g.
func poll(g string) Input {
	return Input{GroupID: g, Title: "Where shall we meet?", Kind: KindPoll,
		Options: []OptionInput{{Label: "Library"}, {Label: "Pub"}}, Electorate: Electorate{MembersOnly: true}}
}
