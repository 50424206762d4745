package events

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build/core"
	msgnotices "github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// testSite is the network's public address in these tests.
const testSite = "https://act.example.org"

// env is the events service on a real database, with the policy wired as
// app wires it (group roles from the groups capability).
type env struct {
	d    *db.DB
	svc  *Service
	told *notices
	// noticeSvc is the real notices service the notifier sends through.
	noticeSvc *msgnotices.Service
	guests    *guestBook
	now       time.Time
	admin     person
	anyone    context.Context
}

// person is an account with its person record.
type person struct {
	UserID, PersonID, Email string
	ctx                     context.Context
}

// notices records who was told that a place freed up, in order, and the
// other notices.
type notices struct {
	mail      Notifier // the real one, which queues the mail
	mu        sync.Mutex
	told      []string
	thanked   []string              // FollowUp
	confirmed []notice              // Confirmed
	changed   []notice              // Changed
	cancelled []notice              // Cancelled
	reminded  []notice              // Remind
	reports   map[string]HostReport // HostReport, by host
}

// notice is one person told one thing: What is the change, the shift's
// title or the reminder's kind; Token the cancel link's token.
type notice struct {
	EventID, PersonID, What, Token string
}

func (n *notices) Confirmed(ctx context.Context, tx *db.Tx, e *Event, sh *Shift, personID, token string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	what := ""
	if sh != nil {
		what = sh.Title
	}
	n.confirmed = append(n.confirmed, notice{e.ID, personID, what, token})
	return n.mail.Confirmed(ctx, tx, e, sh, personID, token)
}

func (n *notices) Changed(ctx context.Context, tx *db.Tx, e *Event, personIDs []string, what string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, id := range personIDs {
		n.changed = append(n.changed, notice{e.ID, id, what, ""})
	}
	return n.mail.Changed(ctx, tx, e, personIDs, what)
}

func (n *notices) Cancelled(ctx context.Context, tx *db.Tx, e *Event, personIDs []string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, id := range personIDs {
		n.cancelled = append(n.cancelled, notice{e.ID, id, "", ""})
	}
	return n.mail.Cancelled(ctx, tx, e, personIDs)
}

func (n *notices) Remind(ctx context.Context, tx *db.Tx, e *Event, when string, rs []Reminder) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, r := range rs {
		n.reminded = append(n.reminded, notice{e.ID, r.PersonID, when, r.CancelToken})
	}
	return n.mail.Remind(ctx, tx, e, when, rs)
}

// reset forgets every notice.
func (n *notices) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.told, n.thanked, n.confirmed, n.changed, n.cancelled, n.reminded = nil, nil, nil, nil, nil, nil
}

func (n *notices) PlaceFreed(ctx context.Context, tx *db.Tx, e *Event, personID string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.told = append(n.told, personID)
	return n.mail.PlaceFreed(ctx, tx, e, personID)
}

func (n *notices) HostReport(ctx context.Context, tx *db.Tx, e *Event, hostIDs []string, r HostReport) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.reports == nil {
		n.reports = map[string]HostReport{}
	}
	for _, id := range hostIDs {
		n.reports[id] = r
	}
	return n.mail.HostReport(ctx, tx, e, hostIDs, r)
}

func (n *notices) FollowUp(ctx context.Context, tx *db.Tx, e *Event, personIDs []string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.thanked = append(n.thanked, personIDs...)
	return n.mail.FollowUp(ctx, tx, e, personIDs)
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	return newEnvIn(t, d, london(t))
}

// newEnvIn is newEnv for a network in zone.
func newEnvIn(t *testing.T, d *db.DB, zone *time.Location) *env {
	t.Helper()
	e := &env{d: d, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), anyone: context.Background()}
	// The first tier (people, groups, auth, mail) exactly as serve builds
	// it; then this service with the real adapters build.New gives it,
	// each wrapped in a recorder so tests can see who was told what, and
	// its own clock.
	c, err := core.New(context.Background(), core.Options{DB: d, Log: slog.New(slog.DiscardHandler),
		Config: config.Config{BaseURL: testSite}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	c.Policy.AddRules(Rules()...)
	ns := newNotices(t, d, c, zone)
	e.noticeSvc = ns
	e.told = &notices{mail: NewMailNotifier(ns, c.People, testSite)}
	e.guests = &guestBook{real: PeopleGuests{People: c.People}}
	e.svc, err = New(Deps{DB: d, Policy: c.Policy, Log: slog.New(slog.DiscardHandler), People: c.People, Recorder: c.People,
		Notifier: e.told, Guests: e.guests, BaseURL: testSite, Zone: zone, Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	c.Movers.Set([]people.PersonMover{e.svc})
	c.GroupPanels.Set(nil)
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	e.admin = e.person(t, "Ada Admin", auth.RoleAdmin)
	return e
}

func (e *env) person(t testing.TB, name string, role auth.Role) person {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	p := person{UserID: db.NewID(), PersonID: db.NewID(),
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
	p.ctx = auth.WithPrincipal(ctx, &auth.Principal{UserID: p.UserID, Role: role, Verified: true, Label: p.Email})
	return p
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

// join puts a person in a group with a role.
func (e *env) join(t testing.TB, groupID string, p person, role string) {
	t.Helper()
	now := db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
		VALUES (?, ?, ?, 'active', ?, ?)`, groupID, p.PersonID, role, now, now); err != nil {
		t.Fatalf("join group: %v", err)
	}
}

// meeting is a valid input for a group's meeting next week.
func (e *env) meeting(groupID string, capacity int) Input {
	day := e.now.AddDate(0, 0, 7)
	return Input{GroupID: groupID, Title: "Branch meeting", Kind: KindMeeting, Capacity: capacity,
		Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
		End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC),
		Place: Place{Name: "Round Chapel", Postcode: "e5 0ly"}}
}

func (e *env) mustCreate(t testing.TB, ctx context.Context, in Input) *Event {
	t.Helper()
	ev, err := e.svc.Create(ctx, in)
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	return ev
}

func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error %v (code %q), want code %q", err, errs.CodeOf(err), code)
	}
}

// guestBook records the guests that reach the signup path, then signs
// them up through the real one (PeopleGuests).
type guestBook struct {
	real Guests
	mu   sync.Mutex
	seen []Guest
}

func (g *guestBook) SignupGuest(ctx context.Context, gu Guest) (string, error) {
	g.mu.Lock()
	g.seen = append(g.seen, gu)
	g.mu.Unlock()
	return g.real.SignupGuest(ctx, gu)
}

func (g *guestBook) last() Guest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.seen[len(g.seen)-1]
}

// london is the network's zone in these tests.
func london(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// newNotices is the notices service as build.New makes it, on core's
// policy and mail.
func newNotices(t testing.TB, d *db.DB, c *core.Services, zone *time.Location) *msgnotices.Service {
	t.Helper()
	c.Policy.AddRules(msgnotices.Rules()...)
	ns, err := msgnotices.New(msgnotices.Deps{DB: d, Policy: c.Policy, Mail: c.Mail, Kinds: NoticeKinds(), SiteName: "Momentum",
		BaseURL: testSite, Zone: zone, DigestHour: msgnotices.DefaultDigestHour, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}
