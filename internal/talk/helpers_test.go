package talk_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/talk"
)

// env is every service built as serve builds them (build.New), on a real
// database, with a clock the test moves.
type env struct {
	d     *db.DB
	s     *build.Services
	svc   *talk.Service
	mu    sync.Mutex
	now   time.Time
	admin person
	anon  context.Context
}

type person struct {
	UserID, PersonID, Email, Name string
	ctx                           context.Context
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	e := &env{d: d, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), anon: context.Background()}
	s, err := build.New(context.Background(), build.Options{DB: d, Log: slog.New(slog.DiscardHandler),
		Config: config.Config{TimeZone: "Europe/London", DataDir: t.TempDir(), BaseURL: "https://act.example.org"},
		Now:    e.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	e.s, e.svc = s, s.Talk
	e.admin = e.person(t, "Ada Admin", auth.RoleAdmin)
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// tick moves the clock on.
func (e *env) tick(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func (e *env) person(t testing.TB, name string, role auth.Role) person {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	p := person{UserID: db.NewID(), PersonID: db.NewID(), Name: name,
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

func (e *env) group(t testing.TB, slug string) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO groups (id, slug, name, kind, last_activity_at, created_at, updated_at)
		VALUES (?, ?, ?, 'local', ?, ?, ?)`, id, slug, slug, now, now, now); err != nil {
		t.Fatalf("insert group: %v", err)
	}
	return id
}

func (e *env) join(t testing.TB, groupID string, p person, role string) {
	t.Helper()
	now := db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
		VALUES (?, ?, ?, 'active', ?, ?)`, groupID, p.PersonID, role, now, now); err != nil {
		t.Fatalf("join group: %v", err)
	}
}

func (e *env) thread(t testing.TB, who person, in talk.ThreadInput) *talk.Thread {
	t.Helper()
	if in.Title == "" {
		in.Title = "Rent strike"
	}
	if in.Body == "" {
		in.Body = "Shall we?"
	}
	th, err := e.svc.StartThread(who.ctx, in)
	if err != nil {
		t.Fatalf("start thread: %v", err)
	}
	return th
}

func (e *env) comment(t testing.TB, who person, threadID, body string) *talk.Comment {
	t.Helper()
	c, err := e.svc.Comment(who.ctx, threadID, talk.CommentInput{Body: body})
	if err != nil {
		t.Fatalf("comment: %v", err)
	}
	return c
}

// mails counts the mails of a kind queued to a person.
func (e *env) mails(t testing.TB, p person, related string) int {
	t.Helper()
	var n int
	if err := e.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM mail_messages WHERE to_addr = ? AND related = ?`,
		p.Email, related).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error %v (code %q), want code %q", err, errs.CodeOf(err), code)
	}
}
