package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"Open https://act.example.org/login/link/abc_DEF-123 to log in.": "Open " + LinkRemoved + " to log in.",
		`<a href="https://x.example/r?t=1&amp;u=2">Reset</a>`:            `<a href="` + LinkRemoved + `">Reset</a>`,
		"<https://x.example/u/1>, <mailto:u@x.example>":                  "<" + LinkRemoved + ">, <mailto:u@x.example>",
		"HTTP://SHOUTING.EXAMPLE/A and http://b.example":                 LinkRemoved + " and " + LinkRemoved,
		"No link here, just https:// on its own.":                        "No link here, just https:// on its own.",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// linkMail is a mail carrying a link in each place one can be stored.
func linkMail(to string) Message {
	return Message{To: to, Subject: "Your login link", Related: "auth.login_link", Kind: KindBulk,
		Text:    "Hello,\n\nOpen https://act.example.org/login/link/SECRETTOKEN to log in.\n",
		HTML:    `<p><a href="https://act.example.org/login/link/SECRETTOKEN">Log in</a></p>`,
		Headers: map[string]string{"List-Unsubscribe": "<https://act.example.org/unsubscribe/SECRETTOKEN>"}}
}

// storedColumnsOf reads a mail's raw columns, as a reader of the database
// (or of a backup) would.
func storedColumnsOf(t *testing.T, d *db.DB, id string) string {
	t.Helper()
	var text, headers string
	var html *string
	if err := d.QueryRow(context.Background(), `SELECT text_body, html_body, headers FROM mail_messages WHERE id = ?`, id).
		Scan(&text, &html, &headers); err != nil {
		t.Fatal(err)
	}
	if html != nil {
		text += "\n" + *html
	}
	return text + "\n" + headers
}

// TestSentMailKeepsNoLinks: the recipient gets the links; once the SMTP
// server has the mail, the stored copy has none.
func TestSentMailKeepsNoLinks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.Start(t)
		s := mustService(t, d, nil, Config{SMTPURL: mp.SMTPURL, From: from})
		id := mustQueue(t, s, linkMail("ada@example.org"))
		if raw := storedColumnsOf(t, d, id); !strings.Contains(raw, "SECRETTOKEN") {
			t.Fatalf("queued mail lost its link before sending:\n%s", raw)
		}
		if err := work(s); err != nil {
			t.Fatal(err)
		}
		r := mp.WaitFor(t, "ada@example.org", 10*time.Second)
		if !strings.Contains(r.Text, "https://act.example.org/login/link/SECRETTOKEN") || !strings.Contains(r.HTML, "SECRETTOKEN") ||
			!strings.Contains(strings.Join(r.Headers["List-Unsubscribe"], ""), "SECRETTOKEN") {
			t.Fatalf("the recipient did not get the links:\n%s\n%s", r.Text, r.HTML)
		}
		m := mustGet(t, s, id)
		raw := storedColumnsOf(t, d, id)
		if m.Status != StatusSent || strings.Contains(raw, "SECRETTOKEN") || strings.Contains(raw, "https://") {
			t.Fatalf("sent mail (status %s) still holds a link:\n%s", m.Status, raw)
		}
		if !strings.Contains(m.Text, "Open "+LinkRemoved+" to log in.") || !strings.Contains(m.HTML, LinkRemoved) ||
			m.Headers["List-Unsubscribe"] != "<"+LinkRemoved+">" {
			t.Fatalf("redacted mail lost more than its links: %q / %q / %v", m.Text, m.HTML, m.Headers)
		}
	})
}

// TestRefusedMailKeepsNoLinks: a mail the server refuses for good is never
// sent again, so its links go too.
func TestRefusedMailKeepsNoLinks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.StartWith(t, mailtest.Options{AllowedRecipients: `@example\.org$`})
		s := mustService(t, d, nil, Config{SMTPURL: mp.SMTPURL, From: from})
		id := mustQueue(t, s, linkMail("someone@refused.example"))
		if err := work(s); err != nil {
			t.Fatal(err)
		}
		if m := mustGet(t, s, id); m.Status != StatusFailed {
			t.Fatalf("status %s, want failed", m.Status)
		}
		if raw := storedColumnsOf(t, d, id); strings.Contains(raw, "SECRETTOKEN") {
			t.Fatalf("failed mail still holds a link:\n%s", raw)
		}
	})
}

// TestOutboxKeepsLinksInDevelopment: with no SMTP server, kept mail is the
// developer's way to follow links, so it is stored whole.
func TestOutboxKeepsLinksInDevelopment(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := mustService(t, d, nil, Config{})
		id := mustQueue(t, s, linkMail("ada@example.org"))
		if err := work(s); err != nil {
			t.Fatal(err)
		}
		if m := mustGet(t, s, id); m.Status != StatusKept || !strings.Contains(m.Text, "SECRETTOKEN") {
			t.Fatalf("kept mail: status %s text %q", m.Status, m.Text)
		}
	})
}

func TestPurgeOld(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		s := mustService(t, d, nil, Config{SMTPURL: "smtp://127.0.0.1:1", From: from, Retention: 30 * 24 * time.Hour})
		s.now = clock
		ids := map[string]string{}
		for _, st := range []string{StatusSent, StatusFailed, StatusKept, StatusQueued, StatusSending} {
			ids[st] = mustQueue(t, s, Message{To: "ada@example.org", Subject: st, Text: "t", Why: "You asked for it."})
			if _, err := d.Exec(ctx, `UPDATE mail_messages SET status = ? WHERE id = ?`, st, ids[st]); err != nil {
				t.Fatal(err)
			}
		}
		now = now.Add(29 * 24 * time.Hour)
		recent := mustQueue(t, s, Message{To: "ada@example.org", Subject: "recent", Text: "t", Why: "You asked for it."})
		if _, err := d.Exec(ctx, `UPDATE mail_messages SET status = 'sent' WHERE id = ?`, recent); err != nil {
			t.Fatal(err)
		}
		if n, err := s.PurgeOld(ctx); err != nil || n != 0 {
			t.Fatalf("purge within the retention: %d, %v; want 0", n, err)
		}
		now = now.Add(2 * 24 * time.Hour) // the first five are 31 days old
		if n, err := s.PurgeOld(ctx); err != nil || n != 3 {
			t.Fatalf("purge = %d, %v; want the old sent, failed and kept mail (3)", n, err)
		}
		left, err := s.Outbox(ctx, OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, m := range left {
			subjects = append(subjects, m.Subject)
		}
		if got := strings.Join(subjects, ","); got != "recent,sending,queued" {
			t.Fatalf("left after purge: %s; want mail still to send and recent mail", got)
		}

		forever := mustService(t, d, nil, Config{SMTPURL: "smtp://127.0.0.1:1", From: from})
		forever.now = func() time.Time { return now.Add(10 * 365 * 24 * time.Hour) }
		if n, err := forever.PurgeOld(ctx); err != nil || n != 0 {
			t.Fatalf("retention 0 purged %d, %v; want nothing", n, err)
		}
	})
}
