package mail

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

const from = "Momentum Büro <noreply@example.org>"

func TestSendSMTP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.Start(t)
		ins := &recordingInserter{}
		s := mustService(t, d, ins, Config{SMTPURL: mp.SMTPURL, From: from})

		subject := "Bestätige deine Adresse — ¡Únete a la huelga! ✊ " + strings.Repeat("ä", 40)
		text := "Hallo Zoë,\n\nbitte bestätige: https://momentum.example/verify?token=abc123&x=1\n\n" + strings.Repeat("lange Zeile ", 20) + "\n.\nEnde"
		html := `<p>Hallo Zoë,</p><p><a href="https://momentum.example/verify?token=abc123&amp;x=1">Bestätigen</a></p>`
		id := mustQueue(t, s, Message{To: "Zoë Müller <zoe@example.org>", Subject: subject, Text: text, HTML: html,
			Related: "broadcast", Kind: KindBulk, Headers: map[string]string{"List-Unsubscribe": "<https://momentum.example/u/1>"}})
		if got := mustGet(t, s, id); got.Status != StatusQueued {
			t.Fatalf("status %s before sending, want queued", got.Status)
		}
		if ins.count() != 1 {
			t.Fatalf("%d send jobs enqueued after commit, want 1", ins.count())
		}
		c := ins.calls[0]
		if c.args.Kind() != "mail.send" || c.opts == nil ||
			!containsState(c.opts.UniqueOpts.ByState, rivertype.JobStateAvailable) ||
			containsState(c.opts.UniqueOpts.ByState, rivertype.JobStateCompleted) {
			t.Fatalf("enqueued %s with %+v; want mail.send unique while available", c.args.Kind(), c.opts)
		}

		if err := work(s); err != nil {
			t.Fatalf("Work: %v", err)
		}
		r := mp.WaitFor(t, "zoe@example.org", 10*time.Second)
		if r.Subject != subject {
			t.Errorf("subject arrived as %q, want %q", r.Subject, subject)
		}
		if r.From != "noreply@example.org" {
			t.Errorf("From %q", r.From)
		}
		if got, want := normalise(r.Text), normalise(text); got != want {
			t.Errorf("text arrived as\n%q\nwant\n%q", got, want)
		}
		if got := normalise(r.HTML); got != html {
			t.Errorf("HTML arrived as %q, want %q", got, html)
		}
		stored := mustGet(t, s, id)
		if got := r.Headers["Message-Id"]; len(got) != 1 || got[0] != stored.MessageID {
			t.Errorf("Message-ID header %v, want %s", got, stored.MessageID)
		}
		if got := r.Headers["List-Unsubscribe"]; len(got) != 1 || got[0] != "<https://momentum.example/u/1>" {
			t.Errorf("List-Unsubscribe %v", got)
		}
		if link := mailtest.FindLink(t, r.Text, "https://momentum.example/verify"); link != "https://momentum.example/verify?token=abc123&x=1" {
			t.Errorf("link in text %q", link)
		}
		if link := mailtest.FindLink(t, r.HTML, "https://momentum.example/verify"); link != "https://momentum.example/verify?token=abc123&x=1" {
			t.Errorf("link in HTML %q", link)
		}
		if stored.Status != StatusSent || stored.SentAt == nil || stored.Attempts != 0 {
			t.Fatalf("row after sending: status %s sent_at %v attempts %d", stored.Status, stored.SentAt, stored.Attempts)
		}
		if err := work(s); err != nil {
			t.Fatalf("second Work: %v", err)
		}
		if n := len(mp.Messages(t)); n != 1 {
			t.Fatalf("mailpit has %d messages after a second run, want 1 (no resend)", n)
		}
	})
}

func TestSendBatchWithRejectedRecipient(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.StartWith(t, mailtest.Options{AllowedRecipients: `@example\.org$`})
		s := mustService(t, d, nil, Config{SMTPURL: mp.SMTPURL, From: from})
		bulk := mustQueue(t, s, Message{To: "bulk@example.org", Subject: "Newsletter", Text: "news", Kind: KindBulk})
		bad := mustQueue(t, s, Message{To: "nobody@rejected.example", Subject: "Hi", Text: "x", Why: "You asked for it."})
		good := mustQueue(t, s, Message{To: "ok@example.org", Subject: "Hi", Text: "y", Why: "You asked for it."})
		if err := work(s); err != nil {
			t.Fatalf("Work = %v; a permanent refusal should not make River retry", err)
		}
		if m := mustGet(t, s, bad); m.Status != StatusFailed || m.Attempts != 1 || !strings.Contains(m.LastError, "RCPT") {
			t.Errorf("refused mail: status %s attempts %d error %q; want failed after one attempt", m.Status, m.Attempts, m.LastError)
		}
		for _, id := range []string{good, bulk} {
			if m := mustGet(t, s, id); m.Status != StatusSent {
				t.Errorf("mail %s to %s: %s (%s), want sent over the same batch", id, m.To, m.Status, m.LastError)
			}
		}
		msgs := mp.Messages(t) // newest first: service mail went before the older bulk mail
		if len(msgs) != 2 || msgs[0].Subject != "Newsletter" {
			t.Fatalf("mailpit received %d messages, newest %q; want 2 with the bulk mail last", len(msgs), msgs[0].Subject)
		}
	})
}

func TestSendSMTPDown(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // nothing listens here now
		s := mustService(t, d, nil, Config{SMTPURL: "smtp://" + addr, From: from})
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		s.now = func() time.Time { return now }
		id := mustQueue(t, s, Message{To: "ada@example.org", Subject: "s", Text: "t", Why: "You asked for it."})

		if err := work(s); err == nil {
			t.Fatal("Work succeeded with the SMTP server down")
		}
		m := mustGet(t, s, id)
		if m.Status != StatusQueued || m.Attempts != 1 || !strings.Contains(m.LastError, "connect") ||
			m.NextAttemptAt == nil || !m.NextAttemptAt.After(now) {
			t.Fatalf("after one failure: status %s attempts %d error %q next %v", m.Status, m.Attempts, m.LastError, m.NextAttemptAt)
		}
		// Not due yet: the job does nothing rather than hammer the server.
		if err := work(s); err != nil {
			t.Fatalf("Work before the next attempt is due: %v", err)
		}
		if m := mustGet(t, s, id); m.Attempts != 1 {
			t.Fatalf("attempts %d before the mail was due, want 1", m.Attempts)
		}
		for i := 2; i <= MaxAttempts; i++ {
			now = now.Add(3 * time.Hour)
			_ = work(s)
		}
		if m := mustGet(t, s, id); m.Status != StatusFailed || m.Attempts != MaxAttempts {
			t.Fatalf("after %d failures: status %s attempts %d, want failed", MaxAttempts, m.Status, m.Attempts)
		}
	})
}

func TestClaimRecoversStaleSending(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := mustService(t, d, nil, Config{SMTPURL: "smtp://127.0.0.1:1", From: from})
		now := db.Now()
		s.now = func() time.Time { return now }
		id := mustQueue(t, s, Message{To: "ada@example.org", Subject: "s", Text: "t", Why: "You asked for it."})
		if got, err := s.claim(ctx, 10); err != nil || len(got) != 1 {
			t.Fatalf("first claim = %d, %v", len(got), err)
		}
		if got, _ := s.claim(ctx, 10); len(got) != 0 {
			t.Fatalf("a mail being sent was claimed twice")
		}
		now = now.Add(staleClaim + time.Minute) // its worker died
		got, err := s.claim(ctx, 10)
		if err != nil || len(got) != 1 || got[0].ID != id {
			t.Fatalf("stale claim = %v, %v; want the abandoned mail", storedIDs(got), err)
		}
	})
}

func containsState(l []rivertype.JobState, s rivertype.JobState) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func normalise(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}
