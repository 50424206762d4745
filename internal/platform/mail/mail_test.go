package mail

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestQueueOutbox(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ins := &recordingInserter{}
		s := mustService(t, d, ins, Config{})
		if !s.OutboxMode() {
			t.Fatal("no SMTP URL, yet not in outbox mode")
		}

		t.Run("Kept", func(t *testing.T) {
			id := mustQueue(t, s, Message{To: "Ada Lovelace <ada@example.org>", Subject: "Confirm your address",
				Text: "Open https://m.example/verify?t=abc", Related: "auth.verify_email", Why: "You asked for it."})
			got := mustGet(t, s, id)
			if got.Status != StatusKept || got.To != "ada@example.org" || got.ToName != "Ada Lovelace" ||
				got.Kind != KindService || got.Related != "auth.verify_email" || got.HTML != "" {
				t.Fatalf("stored %+v", got)
			}
			if !strings.HasPrefix(got.MessageID, "<"+id+"@") {
				t.Errorf("Message-ID %q does not carry the id", got.MessageID)
			}
			if n := ins.count(); n != 0 {
				t.Errorf("outbox mode enqueued %d send jobs", n)
			}
			if err := work(s); err != nil {
				t.Fatalf("worker in outbox mode: %v", err)
			}
			if got := mustGet(t, s, id); got.Status != StatusKept || got.Attempts != 0 {
				t.Fatalf("after the worker ran: status %s attempts %d, want kept 0", got.Status, got.Attempts)
			}
		})

		t.Run("RolledBack", func(t *testing.T) {
			boom := errors.New("boom")
			err := d.InTx(ctx, func(tx *db.Tx) error {
				if _, err := s.Queue(ctx, tx, Message{To: "gone@example.org", Subject: "s", Text: "t", Why: "You asked for it."}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx: %v", err)
			}
			list, err := s.Outbox(ctx, OutboxFilter{To: "gone@example.org"})
			if err != nil || len(list) != 0 {
				t.Fatalf("Outbox after rollback = %d mails, %v; want none", len(list), err)
			}
		})

		t.Run("OutboxFilterAndPaging", func(t *testing.T) {
			var ids []string
			for i := 0; i < 3; i++ {
				ids = append(ids, mustQueue(t, s, Message{To: "Page@Example.org", Subject: "p", Text: "t", Kind: KindBulk, Headers: map[string]string{"X-N": "n"}}))
			}
			page, err := s.Outbox(ctx, OutboxFilter{To: "page@example.org", Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) != 2 || page[0].ID != ids[2] || page[1].ID != ids[1] {
				t.Fatalf("first page %v, want newest two of %v", storedIDs(page), ids)
			}
			if page[0].Headers["X-N"] != "n" || page[0].Kind != KindBulk {
				t.Errorf("headers %v kind %s not kept", page[0].Headers, page[0].Kind)
			}
			rest, err := s.Outbox(ctx, OutboxFilter{To: "page@example.org", Before: page[1].ID})
			if err != nil || len(rest) != 1 || rest[0].ID != ids[0] {
				t.Fatalf("second page %v (%v), want [%s]", storedIDs(rest), err, ids[0])
			}
			if none, _ := s.Outbox(ctx, OutboxFilter{To: "page@example.org", Status: StatusSent}); len(none) != 0 {
				t.Fatalf("status filter let %d kept mails through", len(none))
			}
			all, _ := s.Outbox(ctx, OutboxFilter{Status: StatusKept})
			if len(all) != 4 {
				t.Fatalf("%d kept mails, want 4", len(all))
			}
		})

		t.Run("GetNotFound", func(t *testing.T) {
			_, err := s.Get(ctx, db.NewID())
			if !errs.Is(err, errs.NotFound) || !db.IsNotFound(err) {
				t.Fatalf("Get(unknown) = %v, want not found", err)
			}
		})
	})
}

func storedIDs(l []Stored) []string {
	var out []string
	for _, m := range l {
		out = append(out, m.ID)
	}
	return out
}

func TestQueueValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := mustService(t, d, &recordingInserter{}, Config{})
		ok := Message{To: "ada@example.org", Subject: "Hello", Text: "Body", Why: "You asked for it."}
		for _, tc := range []struct {
			name  string
			edit  func(m *Message)
			field string
		}{
			{"EmptyTo", func(m *Message) { m.To = " " }, "to"},
			{"BadAddress", func(m *Message) { m.To = "not an address" }, "to"},
			{"TwoAddresses", func(m *Message) { m.To = "a@example.org, b@example.org" }, "to"},
			{"CRLFInTo", func(m *Message) { m.To = "a@example.org\r\nBcc: victim@example.org" }, "to"},
			{"EmptySubject", func(m *Message) { m.Subject = "" }, "subject"},
			{"CRLFInSubject", func(m *Message) { m.Subject = "Hi\r\nBcc: victim@example.org" }, "subject"},
			{"LFInSubject", func(m *Message) { m.Subject = "Hi\nthere" }, "subject"},
			{"NoText", func(m *Message) { m.Text = ""; m.HTML = "<p>only html</p>" }, "text"},
			{"BadKind", func(m *Message) { m.Kind = "urgent" }, "kind"},
			{"CRLFInHeader", func(m *Message) { m.Headers = map[string]string{"List-Unsubscribe": "<x>\r\nBcc: v@example.org"} }, "headers"},
			{"ReservedHeader", func(m *Message) { m.Headers = map[string]string{"bcc": "v@example.org"} }, "headers"},
			{"BadHeaderName", func(m *Message) { m.Headers = map[string]string{"X Bad": "v"} }, "headers"},
			{"ServiceWithoutWhy", func(m *Message) { m.Why = " " }, "why"},
			{"WhyOnTwoLines", func(m *Message) { m.Why = "One.\nTwo." }, "why"},
			{"UnsubscribeOnService", func(m *Message) {
				m.Headers = map[string]string{"List-Unsubscribe": "<https://x.example/u>"}
			}, "headers"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m := ok
				tc.edit(&m)
				err := d.InTx(context.Background(), func(tx *db.Tx) error {
					_, err := s.Queue(context.Background(), tx, m)
					return err
				})
				if !errs.Is(err, errs.Invalid) {
					t.Fatalf("Queue = %v, want invalid", err)
				}
				if msg := errs.FieldsOf(err)[tc.field]; msg == "" {
					t.Fatalf("fields %v do not name %q", errs.FieldsOf(err), tc.field)
				}
			})
		}
		list, err := s.Outbox(context.Background(), OutboxFilter{})
		if err != nil || len(list) != 0 {
			t.Fatalf("refused mails were stored: %d (%v)", len(list), err)
		}
	})
}

func TestNewServiceConfig(t *testing.T) {
	for _, tc := range []struct {
		name, url, from, want string
	}{
		{"HTTPScheme", "http://mail.example.org", "a@example.org", "must start with smtp:// or smtps://"},
		{"NoHost", "smtp://", "a@example.org", "names no host"},
		{"BadStartTLS", "smtp://u:s3cret@mail.example.org?starttls=always", "a@example.org", "starttls must be required or opportunistic"},
		{"StartTLSOnSMTPS", "smtps://mail.example.org?starttls=required", "a@example.org", "TLS from the start"},
		{"UnknownParam", "smtp://mail.example.org?tls=1", "a@example.org", "unknown parameter"},
		{"Path", "smtp://u:s3cret@mail.example.org/x", "a@example.org", "has a path"},
		{"NoFrom", "smtp://mail.example.org", "", "no From address"},
		{"BadFrom", "smtp://mail.example.org", "Momentum noreply", "From address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewService(nil, nil, Config{SMTPURL: tc.url, From: tc.from}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
	for _, tc := range []struct{ url, addr string }{
		{"smtp://mail.example.org", "mail.example.org:587"},
		{"smtps://u:p%40ss@mail.example.org", "mail.example.org:465"},
		{"smtp://127.0.0.1:1025?starttls=required", "127.0.0.1:1025"},
	} {
		s, err := NewService(nil, nil, Config{SMTPURL: tc.url, From: "Momentum <noreply@example.org>"}, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.url, err)
		}
		if s.smtp.addr != tc.addr || s.domain != "example.org" {
			t.Errorf("%s: addr %s domain %s", tc.url, s.smtp.addr, s.domain)
		}
	}
}
