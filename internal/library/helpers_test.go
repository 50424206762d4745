package library

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/files"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// env is the library on a real database and a real disk store, with the
// policy wired as app wires it (group roles from the groups capability).
type env struct {
	d     *db.DB
	svc   *Service
	store *files.Disk
	now   time.Time
	admin person
}

// person is an account with its person record.
type person struct {
	UserID, PersonID string
	ctx              context.Context
}

// testMaxBytes is the attachment limit in these tests.
const testMaxBytes = 64 << 10

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	e := &env{d: d, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	c, err := core.New(context.Background(), core.Options{DB: d, Log: slog.New(slog.DiscardHandler),
		Config: config.Config{BaseURL: "https://act.example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	c.Policy.AddRules(Rules()...)
	c.Movers.Set(nil)
	c.GroupPanels.Set(nil)
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	if e.store, err = files.NewDisk(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	e.svc, err = New(Deps{DB: d, Policy: c.Policy, Files: e.store, Limits: files.DefaultLimits(testMaxBytes),
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	e.admin = e.person(t, "Ada Admin", auth.RoleAdmin)
	return e
}

func (e *env) person(t testing.TB, name string, role auth.Role) person {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	p := person{UserID: db.NewID(), PersonID: db.NewID()}
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	given, family, _ := strings.Cut(name, " ")
	if _, err := e.d.Exec(ctx, `INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		p.UserID, email, name, string(role), now, now); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	if _, err := e.d.Exec(ctx, `INSERT INTO people (id, user_id, given_name, family_name, email, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.PersonID, p.UserID, given, family, email, now, now); err != nil {
		t.Fatalf("insert person: %v", err)
	}
	p.ctx = auth.WithPrincipal(ctx, &auth.Principal{UserID: p.UserID, Role: role, Verified: true, Label: email})
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

func (e *env) archive(t testing.TB, groupID string) {
	t.Helper()
	if _, err := e.d.Exec(context.Background(), `UPDATE groups SET status = 'archived', archived_at = ? WHERE id = ?`, db.Now(), groupID); err != nil {
		t.Fatal(err)
	}
}

func (e *env) mustFolder(t testing.TB, ctx context.Context, in FolderInput) *Folder {
	t.Helper()
	f, err := e.svc.CreateFolder(ctx, in)
	if err != nil {
		t.Fatalf("create folder %q: %v", in.Name, err)
	}
	return f
}

func (e *env) mustDoc(t testing.TB, ctx context.Context, in DocInput) *Document {
	t.Helper()
	d, err := e.svc.CreateDocument(ctx, in)
	if err != nil {
		t.Fatalf("create document %q: %v", in.Title, err)
	}
	return d
}

func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error %v (code %q), want code %q", err, errs.CodeOf(err), code)
	}
}

type searchDocT = search.Doc
