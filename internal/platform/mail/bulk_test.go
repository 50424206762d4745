package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// memJournal records what SendBulk tells it, in order, and can be told to
// refuse keys.
type memJournal struct {
	mu        sync.Mutex
	accepting [][]string // each Accepting call's keys
	accepted  map[string]int
	results   map[string]BulkResult
	doneCalls int
	refuse    func(keys []string) error // nil accepts everything
	inCall    bool                      // catches concurrent calls
	overlap   bool
}

func newMemJournal() *memJournal {
	return &memJournal{accepted: map[string]int{}, results: map[string]BulkResult{}}
}

func (j *memJournal) enter() {
	j.mu.Lock()
	if j.inCall {
		j.overlap = true
	}
	j.inCall = true
	j.mu.Unlock()
}

func (j *memJournal) leave() { j.mu.Lock(); j.inCall = false; j.mu.Unlock() }

func (j *memJournal) Accepting(ctx context.Context, keys []string) error {
	j.enter()
	defer j.leave()
	if j.refuse != nil {
		if err := j.refuse(keys); err != nil {
			return err
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.accepting = append(j.accepting, append([]string(nil), keys...))
	for _, k := range keys {
		j.accepted[k]++
	}
	return nil
}

func (j *memJournal) Done(ctx context.Context, results []BulkResult) error {
	j.enter()
	defer j.leave()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.doneCalls++
	for _, r := range results {
		if _, dup := j.results[r.Key]; dup {
			return fmt.Errorf("key %s reported twice", r.Key)
		}
		j.results[r.Key] = r
	}
	return nil
}

func bulkMessages(n int, prefix string) []BulkMessage {
	msgs := make([]BulkMessage, n)
	for i := range msgs {
		msgs[i] = BulkMessage{
			Key:     fmt.Sprintf("%s-%d", prefix, i),
			To:      fmt.Sprintf("%s%d@example.org", prefix, i),
			Subject: fmt.Sprintf("Hello %d", i),
			Text:    fmt.Sprintf("Hi person %d,\n\nsee you there.\n", i),
		}
	}
	return msgs
}

func TestSendBulkSMTP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.Start(t)
		s := mustService(t, d, nil, Config{SMTPURL: mp.SMTPURL, From: from, Connections: 3})
		t.Cleanup(s.Close)
		j := newMemJournal()
		msgs := bulkMessages(40, "p")
		msgs[7].HTML = `<p>Hallo <b>Zoë</b></p>`
		msgs[7].Subject = "Grüße aus Köln ✊"
		msgs[7].FromName = "Hackney Renters"
		msgs[7].ReplyTo = "organiser@hackney.example"
		msgs[7].Text = "Hallo Zoë,\n.\n.. two dots\nEnde"
		msgs[7].Headers = map[string]string{
			"List-Unsubscribe":      "<https://m.example/u/abc>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Precedence":            "bulk",
		}
		if err := s.SendBulk(context.Background(), msgs, j); err != nil {
			t.Fatalf("SendBulk: %v", err)
		}
		for _, m := range msgs {
			r, ok := j.results[m.Key]
			if !ok || r.Err != nil || !r.Journaled || j.accepted[m.Key] != 1 {
				t.Fatalf("%s: result %+v reported %v, accepted %d times", m.Key, r, ok, j.accepted[m.Key])
			}
		}
		if j.overlap {
			t.Error("journal methods were called concurrently")
		}
		got := mp.WaitFor(t, "p7@example.org", 10*time.Second)
		if got.Subject != msgs[7].Subject || got.From != "noreply@example.org" {
			t.Errorf("subject %q from %q", got.Subject, got.From)
		}
		if normalise(got.Text) != normalise(msgs[7].Text) || normalise(got.HTML) != msgs[7].HTML {
			t.Errorf("parts arrived as text %q html %q", got.Text, got.HTML)
		}
		for name, want := range map[string]string{
			"From":                  `"Hackney Renters" <noreply@example.org>`,
			"Reply-To":              "<organiser@hackney.example>",
			"List-Unsubscribe":      "<https://m.example/u/abc>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Precedence":            "bulk",
		} {
			if v := got.Headers[name]; len(v) != 1 || v[0] != want {
				t.Errorf("header %s = %q, want %q", name, v, want)
			}
		}
		if v := got.Headers["Message-Id"]; len(v) != 1 || !strings.HasSuffix(v[0], "@example.org>") {
			t.Errorf("Message-ID %q", v)
		}
		if v := got.Headers["Date"]; len(v) != 1 {
			t.Errorf("Date %q", v)
		}
		deadline := time.Now().Add(10 * time.Second)
		for len(mp.Messages(t)) < len(msgs) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if n := len(mp.Messages(t)); n != len(msgs) {
			t.Fatalf("mailpit has %d messages, want %d", n, len(msgs))
		}
	})
}

func TestSendBulkOutbox(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := mustService(t, d, nil, Config{})
		j := newMemJournal()
		msgs := bulkMessages(5, "o")
		msgs[1].Headers = map[string]string{"X-Bad": "a\r\nBcc: everyone@example.org"}
		msgs[2].ReplyTo = "org@example.org"
		msgs[2].Related = "messaging.broadcast"
		if err := s.SendBulk(ctx, msgs, j); err != nil {
			t.Fatalf("SendBulk: %v", err)
		}
		if r := j.results["o-1"]; r.Err == nil || !r.Permanent || j.accepted["o-1"] != 0 {
			t.Errorf("header injection: %+v, accepted %d", r, j.accepted["o-1"])
		}
		for _, k := range []string{"o-0", "o-2", "o-3", "o-4"} {
			if r := j.results[k]; r.Err != nil || j.accepted[k] != 1 {
				t.Errorf("%s: %+v accepted %d", k, r, j.accepted[k])
			}
		}
		if len(j.accepting) != 1 {
			t.Errorf("%d Accepting calls, want 1 for the batch", len(j.accepting))
		}
		list, err := s.Outbox(ctx, OutboxFilter{To: "o2@example.org"})
		if err != nil || len(list) != 1 {
			t.Fatalf("outbox: %d, %v", len(list), err)
		}
		m := list[0]
		if m.Status != StatusKept || m.Kind != KindBulk || m.Related != "messaging.broadcast" || m.Headers["Reply-To"] != "org@example.org" || m.Subject != "Hello 2" {
			t.Errorf("kept %+v", m)
		}
		if all, _ := s.Outbox(ctx, OutboxFilter{Status: StatusKept}); len(all) != 4 {
			t.Errorf("%d kept, want 4", len(all))
		}

		t.Run("AcceptingFails", func(t *testing.T) {
			j := newMemJournal()
			j.refuse = func([]string) error { return errors.New("database gone") }
			if err := s.SendBulk(ctx, bulkMessages(3, "x"), j); err != nil {
				t.Fatalf("SendBulk: %v", err)
			}
			for _, k := range []string{"x-0", "x-1", "x-2"} {
				if r := j.results[k]; r.Err == nil || r.Permanent || r.Journaled {
					t.Errorf("%s: %+v, want a temporary failure", k, r)
				}
			}
			if l, _ := s.Outbox(ctx, OutboxFilter{To: "x0@example.org"}); len(l) != 0 {
				t.Errorf("kept a mail whose journal failed")
			}
		})
	})
}
