package events

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// env is the events service on a real database, with the policy wired as
// app wires it (group roles from the groups capability).
type env struct {
	d      *db.DB
	svc    *Service
	told   *notices
	guests *guestBook
	now    time.Time
	admin  person
	anyone context.Context
}

// person is an account with its person record.
type person struct {
	UserID, PersonID, Email string
	ctx                     context.Context
}

// personIDs finds a person by account in the people table.
type personIDs struct{ d *db.DB }

func (p personIDs) PersonIDForUser(ctx context.Context, userID string) (string, error) {
	var id string
	err := p.d.QueryRow(ctx, `SELECT id FROM people WHERE user_id = ?`, userID).Scan(&id)
	return id, err
}

// notices records who was told that a place freed up, in order, and the
// other notices.
type notices struct {
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

func (n *notices) Confirmed(_ context.Context, _ *db.Tx, e *Event, sh *Shift, personID, token string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	what := ""
	if sh != nil {
		what = sh.Title
	}
	n.confirmed = append(n.confirmed, notice{e.ID, personID, what, token})
	return nil
}

func (n *notices) Changed(_ context.Context, _ *db.Tx, e *Event, personIDs []string, what string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, id := range personIDs {
		n.changed = append(n.changed, notice{e.ID, id, what, ""})
	}
	return nil
}

func (n *notices) Cancelled(_ context.Context, _ *db.Tx, e *Event, personIDs []string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, id := range personIDs {
		n.cancelled = append(n.cancelled, notice{e.ID, id, "", ""})
	}
	return nil
}

func (n *notices) Remind(_ context.Context, _ *db.Tx, e *Event, when string, rs []Reminder) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, r := range rs {
		n.reminded = append(n.reminded, notice{e.ID, r.PersonID, when, r.CancelToken})
	}
	return nil
}

// reset forgets every notice.
func (n *notices) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.told, n.thanked, n.confirmed, n.changed, n.cancelled, n.reminded = nil, nil, nil, nil, nil, nil
}

func (n *notices) PlaceFreed(_ context.Context, _ *db.Tx, _ *Event, personID string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.told = append(n.told, personID)
	return nil
}

func (n *notices) HostReport(_ context.Context, _ *db.Tx, _ *Event, hostIDs []string, r HostReport) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.reports == nil {
		n.reports = map[string]HostReport{}
	}
	for _, id := range hostIDs {
		n.reports[id] = r
	}
	return nil
}

func (n *notices) FollowUp(_ context.Context, _ *db.Tx, e *Event, personIDs []string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.thanked = append(n.thanked, personIDs...)
	return nil
}

// actions records timeline entries in the people table of record.
type actions struct{ d *db.DB }

func (a actions) RecordAction(ctx context.Context, tx *db.Tx, act people.Action) error {
	_, err := tx.Exec(ctx, `INSERT INTO person_actions (id, person_id, at, kind, summary, ref_type, ref_id, participation)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, act.ID, act.PersonID, act.At, act.Kind, act.Summary, act.RefType, act.RefID, act.Participation)
	return err
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	return newEnvIn(t, d, london(t))
}

// newEnvIn is newEnv for a network in zone.
func newEnvIn(t *testing.T, d *db.DB, zone *time.Location) *env {
	t.Helper()
	policy := auth.NewPolicy()
	policy.AddRules(Rules()...)
	policy.SetGroupRoles(groups.NewService(d, policy, personIDs{d}, slog.New(slog.DiscardHandler)))
	e := &env{d: d, told: &notices{}, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), anyone: context.Background()}
	e.svc = New(d, policy, personIDs{d}, slog.New(slog.DiscardHandler), zone)
	e.svc.SetNotifier(e.told)
	e.svc.SetRecorder(actions{d})
	e.guests = &guestBook{d: d}
	e.svc.SetGuests(e.guests)
	e.svc.SetClock(func() time.Time { return e.now })
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

// guestBook finds or adds guests in the people table, as app's signup path
// does, and keeps what it was given.
type guestBook struct {
	d    *db.DB
	mu   sync.Mutex
	seen []Guest
}

func (g *guestBook) SignupGuest(ctx context.Context, gu Guest) (string, error) {
	g.mu.Lock()
	g.seen = append(g.seen, gu)
	g.mu.Unlock()
	var id string
	err := g.d.QueryRow(ctx, `SELECT id FROM people WHERE email = ?`, gu.Email).Scan(&id)
	if err == nil {
		return id, nil
	}
	id, now := db.NewID(), db.Now()
	_, err = g.d.Exec(ctx, `INSERT INTO people (id, given_name, email, source, source_detail, created_at, updated_at)
		VALUES (?, ?, ?, 'event', ?, ?, ?)`, id, gu.Name, gu.Email, gu.EventID, now, now)
	return id, err
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
