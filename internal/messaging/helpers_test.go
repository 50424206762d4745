package messaging_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// site is the network's public address in these tests.
const site = "https://act.example.org"

// env is every service as serve builds it, on a real database.
type env struct {
	d     *db.DB
	s     *build.Services
	svc   *messaging.Service
	admin user
	sys   context.Context
}

// user is a person, with an account when ctx is set.
type user struct {
	UserID, PersonID, Email string
	ctx                     context.Context
}

// newEnv builds the services; smtpURL "" keeps mail in the development
// outbox. Jobs are not started (startJobs does).
func newEnv(t *testing.T, d *db.DB, smtpURL string) *env {
	t.Helper()
	cfg := config.Config{BaseURL: site, TimeZone: "Europe/London", DataDir: t.TempDir(), SiteName: "Act Now"}
	if smtpURL != "" {
		cfg.SMTPURL, cfg.MailFrom = smtpURL, "Act Now <news@act.example.org>"
	}
	s, err := build.New(context.Background(), build.Options{DB: d, Log: slog.New(slog.DiscardHandler), Config: cfg, FastJobs: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	e := &env{d: d, s: s, svc: s.Messaging, sys: auth.WithSystem(context.Background())}
	e.admin = e.account(t, "Ada Admin", auth.RoleAdmin)
	return e
}

// startJobs runs River until the test ends.
func (e *env) startJobs(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.s.Jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = e.s.Jobs.Stop(stop)
		cancel()
	})
}

func emailOf(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
}

// account inserts a user with a person record who consented to email.
func (e *env) account(t testing.TB, name string, role auth.Role) user {
	t.Helper()
	u := user{UserID: db.NewID(), Email: emailOf(name)}
	now := db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.UserID, u.Email, name, string(role), now, now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	u.PersonID = e.personWith(t, name, u.Email, u.UserID, true)
	u.ctx = auth.WithPrincipal(context.Background(), &auth.Principal{UserID: u.UserID, Role: role, Verified: true, Label: u.Email})
	return u
}

// person inserts a person without an account; consent says whether they
// agreed to email.
func (e *env) person(t testing.TB, name string, consent bool) string {
	t.Helper()
	return e.personWith(t, name, emailOf(name), "", consent)
}

func (e *env) personWith(t testing.TB, name, email, userID string, consent bool) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	given, family, _ := strings.Cut(name, " ")
	var mail, uid any
	if email != "" {
		mail = email
	}
	if userID != "" {
		uid = userID
	}
	if _, err := e.d.Exec(context.Background(), `INSERT INTO people (id, user_id, given_name, family_name, email, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, uid, given, family, mail, now, now); err != nil {
		t.Fatalf("insert person: %v", err)
	}
	if consent {
		e.consent(t, id, "email", "granted")
	}
	return id
}

// consent sets a person's consent on a channel.
func (e *env) consent(t testing.TB, personID, channel, status string) {
	t.Helper()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO consents (person_id, channel, status, changed_at, source) VALUES (?, ?, ?, ?, 'test')
		ON CONFLICT (person_id, channel) DO UPDATE SET status = excluded.status`, personID, channel, status, db.Now()); err != nil {
		t.Fatalf("consent: %v", err)
	}
}

// group inserts a group and returns its id.
func (e *env) group(t testing.TB, name string) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO groups (id, slug, name, kind, last_activity_at, created_at, updated_at)
		VALUES (?, ?, ?, 'local', ?, ?, ?)`, id, strings.ToLower(strings.ReplaceAll(name, " ", "-")), name, now, now, now); err != nil {
		t.Fatalf("insert group: %v", err)
	}
	return id
}

// join puts a person in a group with a role.
func (e *env) join(t testing.TB, groupID, personID, role string) {
	t.Helper()
	now := db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
		VALUES (?, ?, ?, 'active', ?, ?)`, groupID, personID, role, now, now); err != nil {
		t.Fatalf("join group: %v", err)
	}
}

// tag tags a person.
func (e *env) tag(t testing.TB, personID, tag string) {
	t.Helper()
	if err := e.s.People.Tag(e.sys, personID, tag); err != nil {
		t.Fatalf("tag: %v", err)
	}
}

// organiser is an account organising group g.
func (e *env) organiser(t testing.TB, name, g string) user {
	t.Helper()
	u := e.account(t, name, auth.RoleMember)
	e.join(t, g, u.PersonID, "organiser")
	return u
}

// mail is a valid input to groupID's members (or the targets given).
func mail(groupID string, targets ...messaging.Target) messaging.Input {
	if len(targets) == 0 {
		targets = []messaging.Target{{Kind: messaging.TargetGroup, ID: groupID}}
	}
	return messaging.Input{GroupID: groupID, Subject: "Meeting on Thursday", Body: "Hello {{first_name|friend}},\n\nSee you **soon**.",
		Targets: targets}
}

func (e *env) mustCreate(t testing.TB, ctx context.Context, in messaging.Input) *messaging.Broadcast {
	t.Helper()
	b, err := e.svc.Create(ctx, in)
	if err != nil {
		t.Fatalf("create broadcast: %v", err)
	}
	return b
}

func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error %v (code %q), want code %q", err, errs.CodeOf(err), code)
	}
}

// waitStatus polls until the broadcast has the status.
func (e *env) waitStatus(t testing.TB, id, status string, timeout time.Duration) *messaging.Broadcast {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		b, err := e.svc.Get(e.admin.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status == status {
			return b
		}
		if time.Now().After(deadline) {
			st, _ := e.svc.Stats(e.admin.ctx, id)
			t.Fatalf("broadcast is %s after %s, want %s (stats %+v)", b.Status, timeout, status, st)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
