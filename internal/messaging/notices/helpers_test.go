package notices

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// The kinds the tests declare, as a capability would.
var (
	kindReminder = Kind{Name: "test.reminder", Label: "Reminders"}
	kindChanged  = Kind{Name: "test.changed", Label: "Changes"}
	kindReceipt  = Kind{Name: "test.receipt", Label: "Receipts", Service: true}
)

type env struct {
	d    *db.DB
	svc  *Service
	mail *mail.Service
	now  time.Time
}

// newEnv builds the service on the real mail service (the development
// outbox, so every queued mail can be read back) and policy.
func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	m, err := mail.NewService(d, nil, mail.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := auth.NewPolicy()
	p.AddRules(Rules()...)
	e := &env{d: d, mail: m, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	e.svc, err = New(Deps{DB: d, Policy: p, Mail: m, Kinds: []Kind{kindReminder, kindChanged, kindReceipt},
		SiteName: "Tenants United", BaseURL: "https://act.example.org/", Zone: time.UTC, DigestHour: DefaultDigestHour,
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type person struct {
	UserID, PersonID, Email string
	ctx                     context.Context
}

func (e *env) person(t *testing.T, name string, role auth.Role) person {
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

// send hands one notice of kind to p in its own transaction.
func (e *env) send(t *testing.T, p person, kind Kind, subject string) {
	t.Helper()
	err := e.d.InTx(context.Background(), func(tx *db.Tx) error {
		return e.svc.Send(context.Background(), tx, p.PersonID, Notice{Kind: kind.Name, To: p.Email, Subject: subject,
			Text: "About " + subject + ".", Why: "You get this because of " + subject + "."})
	})
	if err != nil {
		t.Fatalf("send %s: %v", subject, err)
	}
}

// mails are the mails queued to p, oldest first.
func (e *env) mails(t *testing.T, p person) []mail.Stored {
	t.Helper()
	ms, err := e.mail.Outbox(context.Background(), mail.OutboxFilter{To: p.Email})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}

// setMode stores a mode directly, as an older version might have (SavePrefs
// refuses service kinds).
func (e *env) setMode(t *testing.T, p person, kind Kind, m Mode) {
	t.Helper()
	if err := e.d.InTx(context.Background(), func(tx *db.Tx) error {
		return setMode(context.Background(), tx, p.PersonID, kind.Name, m, e.now)
	}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) waiting(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM notification_digest`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
