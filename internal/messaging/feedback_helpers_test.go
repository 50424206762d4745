package messaging_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// The feedback tests (unsubscribe, delivery, tracking, suppressions) stand
// on the first tier as serve builds it (people, policy) and write the
// broadcast tables directly, as the core's sending would have left them.

const fbSite = "https://act.example.org"

type fbEnv struct {
	d      *db.DB
	c      *core.Services
	fb     *messaging.Feedback
	now    time.Time
	admin  context.Context
	member context.Context
}

func newFbEnv(t *testing.T, d *db.DB) *fbEnv {
	t.Helper()
	e := &fbEnv{d: d, now: time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)}
	c, err := core.New(context.Background(), core.Options{DB: d, Log: slog.New(slog.DiscardHandler),
		Config: config.Config{BaseURL: fbSite}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	c.Policy.AddRules(messaging.FeedbackRules()...)
	c.Movers.Set(nil)
	c.GroupPanels.Set(nil)
	e.c = c
	e.fb, err = messaging.NewFeedback(messaging.FeedbackDeps{DB: d, Policy: c.Policy, People: c.People,
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return e.now }, BaseURL: fbSite, SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	e.admin = auth.WithPrincipal(context.Background(), &auth.Principal{UserID: db.NewID(), Role: auth.RoleAdmin, Label: "admin@example.org"})
	e.member = auth.WithPrincipal(context.Background(), &auth.Principal{UserID: db.NewID(), Role: auth.RoleMember, Label: "m@example.org"})
	return e
}

// person inserts a person with email and phone, consenting to both.
func (e *fbEnv) person(t *testing.T, name string) (id, email string) {
	t.Helper()
	ctx := context.Background()
	id, now := db.NewID(), db.Now()
	email = strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	given, family, _ := strings.Cut(name, " ")
	if _, err := e.d.Exec(ctx, `INSERT INTO people (id, given_name, family_name, email, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, given, family, email, now, now); err != nil {
		t.Fatalf("insert person: %v", err)
	}
	err := e.d.InTx(ctx, func(tx *db.Tx) error {
		for _, ch := range []string{people.ChannelEmail, people.ChannelSMS} {
			if err := e.c.People.SetConsentTx(ctx, tx, id, people.Consent{Channel: ch, Status: people.ConsentGranted,
				Source: "signup form", Wording: "Yes, keep me posted.", ChangedAt: e.now.Add(-24 * time.Hour)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, email
}

// broadcast inserts a broadcast being sent.
func (e *fbEnv) broadcast(t *testing.T, channel, subject string, track bool) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO broadcasts (id, channel, status, subject, body, track, created_at, updated_at)
		VALUES (?, ?, 'sending', ?, 'Hello', ?, ?, ?)`, id, channel, subject, track, now, now); err != nil {
		t.Fatalf("insert broadcast: %v", err)
	}
	return id
}

// recipient adds a recipient row with status and returns its token.
func (e *fbEnv) recipient(t *testing.T, broadcastID, personID, address, status string) string {
	t.Helper()
	b := make([]byte, 16)
	rand.Read(b)
	tok := hex.EncodeToString(b)
	var sent any
	if status == messaging.RecipientSent {
		sent = e.now.Add(-time.Minute)
	}
	if _, err := e.d.Exec(context.Background(), `INSERT INTO broadcast_recipients (broadcast_id, person_id, address, token, status, sent_at)
		VALUES (?, ?, ?, ?, ?, ?)`, broadcastID, personID, address, tok, status, sent); err != nil {
		t.Fatalf("insert recipient: %v", err)
	}
	return tok
}

// row reads a recipient row's status and times.
type fbRow struct {
	Status, Error                         string
	Opened, Clicked, Unsubscribed, SentAt *time.Time
}

func (e *fbEnv) row(t *testing.T, token string) fbRow {
	t.Helper()
	var r fbRow
	if err := e.d.QueryRow(context.Background(), `SELECT status, error, opened_at, clicked_at, unsubscribed_at, sent_at
		FROM broadcast_recipients WHERE token = ?`, token).Scan(&r.Status, &r.Error, &r.Opened, &r.Clicked, &r.Unsubscribed, &r.SentAt); err != nil {
		t.Fatal(err)
	}
	return r
}

// history is a person's consent history on channel, read as an admin.
func (e *fbEnv) history(t *testing.T, personID, channel string) []people.ConsentChange {
	t.Helper()
	all, err := e.c.People.ConsentHistory(e.admin, personID)
	if err != nil {
		t.Fatal(err)
	}
	var out []people.ConsentChange
	for _, c := range all {
		if c.Channel == channel {
			out = append(out, c)
		}
	}
	return out
}

func fbWantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error %v (code %q), want %q", err, errs.CodeOf(err), code)
	}
}
