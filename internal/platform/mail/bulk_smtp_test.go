package mail

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// keyOf maps a recipient back to its message's key (bulkMessages' scheme).
func keyOf(msgs []BulkMessage) map[string]string {
	m := make(map[string]string, len(msgs))
	for _, msg := range msgs {
		m[strings.ToLower(msg.To)] = msg.Key
	}
	return m
}

func TestSendBulkPipelining(t *testing.T) {
	d := dbtest.NewSQLite(t)
	sink := startSink(t, true)
	s := mustService(t, d, nil, Config{SMTPURL: sink.URL, From: from, Connections: 2})
	t.Cleanup(s.Close)
	j := newMemJournal()
	msgs := bulkMessages(30, "pipe")
	if err := s.SendBulk(context.Background(), msgs, j); err != nil {
		t.Fatal(err)
	}
	if n := sink.Delivered(); n != len(msgs) {
		t.Fatalf("sink got %d mails, want %d", n, len(msgs))
	}
	if !pipelined(sink.Reads()) {
		t.Error("the server offers PIPELINING, yet MAIL FROM, RCPT TO and DATA never arrived in one write")
	}
	joined := false
	for _, r := range sink.Reads() {
		joined = joined || strings.Contains("\n"+string(r), "\n.\r\nMAIL FROM:<")
	}
	if !joined {
		t.Error("no mail's final \".\" went in one write with the next mail's commands")
	}

	t.Run("NotOffered", func(t *testing.T) {
		// mailpit does not offer PIPELINING: the commands go one at a time
		// (TestSendBulkSMTP shows the mail still arrives).
		mp := mailtest.Start(t)
		cfg, err := parseSMTPURL(mp.SMTPURL)
		if err != nil {
			t.Fatal(err)
		}
		c, err := dialBulk(context.Background(), cfg, "localhost")
		if err != nil {
			t.Fatal(err)
		}
		defer c.close()
		if c.pipelining {
			t.Fatal("mailpit's EHLO does not offer PIPELINING, yet the connection would pipeline")
		}
	})
}

func TestSendBulkJournalBeforeDelivery(t *testing.T) {
	d := dbtest.NewSQLite(t)
	sink := startSink(t, true)
	s := mustService(t, d, nil, Config{SMTPURL: sink.URL, From: from, Connections: 4})
	t.Cleanup(s.Close)
	msgs := bulkMessages(200, "order")
	keys := keyOf(msgs)
	j := newMemJournal()
	// A slow commit, as a database's is: meanwhile the other connections'
	// mails become ready and join the next group.
	j.refuse = func([]string) error { time.Sleep(2 * time.Millisecond); return nil }
	var mu sync.Mutex
	var early []string
	sink.OnDot = func(to string, _ []byte) error {
		j.mu.Lock()
		n := j.accepted[keys[strings.ToLower(to)]]
		j.mu.Unlock()
		if n != 1 {
			mu.Lock()
			early = append(early, to)
			mu.Unlock()
		}
		return nil
	}
	if err := s.SendBulk(context.Background(), msgs, j); err != nil {
		t.Fatal(err)
	}
	if len(early) > 0 {
		t.Fatalf("%d mails reached the server's final \".\" before the journal recorded them: %v", len(early), early[:min(5, len(early))])
	}
	for to, n := range sink.Deliveries() {
		if n != 1 {
			t.Errorf("%s got %d mails", to, n)
		}
	}
	if sink.Delivered() != len(msgs) {
		t.Fatalf("sink got %d, want %d", sink.Delivered(), len(msgs))
	}
	biggest := 0
	for _, g := range j.accepting {
		biggest = max(biggest, len(g))
	}
	if biggest < 2 || len(j.accepting) >= len(msgs) {
		t.Errorf("%d Accepting calls for %d mails, the largest of %d: no group commit", len(j.accepting), len(msgs), biggest)
	}
}

func TestSendBulkFailures(t *testing.T) {
	d := dbtest.NewSQLite(t)
	sink := startSink(t, true)
	sink.OnRcpt = func(to string) error {
		switch {
		case strings.HasPrefix(to, "refused@"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case strings.HasPrefix(to, "busy@"):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		case strings.HasPrefix(to, "drop@"):
			return errDrop
		}
		return nil
	}
	sink.OnDot = func(to string, _ []byte) error {
		if strings.HasPrefix(to, "dot@") {
			return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "content refused"}
		}
		return nil
	}
	s := mustService(t, d, nil, Config{SMTPURL: sink.URL, From: from, Connections: 2})
	t.Cleanup(s.Close)
	msgs := bulkMessages(20, "ok")
	special := []BulkMessage{
		{Key: "refused", To: "refused@example.org", Subject: "s", Text: "t"},
		{Key: "busy", To: "busy@example.org", Subject: "s", Text: "t"},
		{Key: "drop", To: "drop@example.org", Subject: "s", Text: "t"},
		{Key: "dot", To: "dot@example.org", Subject: "s", Text: "t"},
		{Key: "inject", To: "inject@example.org", Subject: "s", Text: "t", Headers: map[string]string{"X-Campaign": "a\nBcc: all@example.org"}},
		{Key: "subject", To: "subject@example.org", Subject: "hi\r\nBcc: all@example.org", Text: "t"},
		{Key: "to", To: "a@example.org>\r\nRCPT TO:<b@example.org", Subject: "s", Text: "t"},
		{Key: "replyto", To: "replyto@example.org", Subject: "s", Text: "t", ReplyTo: "x@example.org\r\nBcc: y@example.org"},
	}
	for i, m := range special { // spread among the good ones
		msgs = append(msgs[:i*2+1], append([]BulkMessage{m}, msgs[i*2+1:]...)...)
	}
	j := newMemJournal()
	if err := s.SendBulk(context.Background(), msgs, j); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		permanent, journaled bool
		code                 int
	}{
		"refused": {true, false, 550}, "busy": {false, false, 451}, "drop": {false, false, 0},
		"dot": {true, true, 554}, "inject": {true, false, 0}, "subject": {true, false, 0}, "to": {true, false, 0},
		"replyto": {true, false, 0},
	}
	for key, w := range want {
		r, ok := j.results[key]
		if !ok || r.Err == nil || r.Permanent != w.permanent || r.Journaled != w.journaled || r.Code != w.code {
			t.Errorf("%s: %+v, want error with permanent %v journaled %v code %d", key, r, w.permanent, w.journaled, w.code)
		}
	}
	for _, m := range msgs {
		if _, special := want[m.Key]; special {
			continue
		}
		if r := j.results[m.Key]; r.Err != nil || !r.Journaled {
			t.Errorf("%s: %+v, want sent", m.Key, r)
		}
	}
	got := sink.Deliveries()
	if len(got) != 20 {
		t.Errorf("sink delivered to %d recipients, want the 20 good ones: %v", len(got), got)
	}
	for to := range got {
		if !strings.HasPrefix(to, "ok") {
			t.Errorf("delivered to %s", to)
		}
	}
	if len(j.results) != len(msgs) {
		t.Errorf("%d results for %d messages", len(j.results), len(msgs))
	}
}

func TestSendBulkRefusedByMailpit(t *testing.T) {
	d := dbtest.NewSQLite(t)
	mp := mailtest.StartWith(t, mailtest.Options{AllowedRecipients: `^ok`})
	s := mustService(t, d, nil, Config{SMTPURL: mp.SMTPURL, From: from})
	t.Cleanup(s.Close)
	msgs := bulkMessages(3, "ok")
	msgs = append(msgs, BulkMessage{Key: "nope", To: "nope@example.org", Subject: "s", Text: "t"})
	j := newMemJournal()
	if err := s.SendBulk(context.Background(), msgs, j); err != nil {
		t.Fatal(err)
	}
	if r := j.results["nope"]; r.Err == nil || !r.Permanent || r.Code < 500 || r.Journaled || j.accepted["nope"] != 0 {
		t.Errorf("refused recipient: %+v", r)
	}
	for _, k := range []string{"ok-0", "ok-1", "ok-2"} {
		if r := j.results[k]; r.Err != nil {
			t.Errorf("%s: %+v", k, r)
		}
	}
}

func TestSendBulkAcceptingFails(t *testing.T) {
	d := dbtest.NewSQLite(t)
	mp := mailtest.StartWith(t, mailtest.Options{MaxMessages: -1})
	s := mustService(t, d, nil, Config{SMTPURL: mp.SMTPURL, From: from, Connections: 3})
	t.Cleanup(s.Close)
	msgs := bulkMessages(600, "af") // more than mailpit's default of 500
	j := newMemJournal()
	j.refuse = func(keys []string) error {
		for _, k := range keys {
			if strings.HasSuffix(k, "7") {
				return errors.New("database is locked")
			}
		}
		return nil
	}
	if err := s.SendBulk(context.Background(), msgs, j); err != nil {
		t.Fatal(err)
	}
	delivered := map[string]int{}
	deadline := time.Now().Add(10 * time.Second)
	for mp.Count(t) < len(j.accepted) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, to := range mp.Recipients(t) {
		delivered[to]++
	}
	refused := 0
	for _, m := range msgs {
		r := j.results[m.Key]
		switch {
		case j.accepted[m.Key] == 1:
			if r.Err != nil || delivered[m.To] != 1 {
				t.Errorf("%s: recorded, result %+v, delivered %d times", m.Key, r, delivered[m.To])
			}
		default:
			refused++
			if r.Err == nil || r.Permanent || r.Journaled || delivered[m.To] != 0 {
				t.Errorf("%s: not recorded, result %+v, delivered %d times; want a temporary failure and nothing delivered", m.Key, r, delivered[m.To])
			}
		}
	}
	if refused < 60 || refused == len(msgs) {
		t.Errorf("%d of %d refused by the journal; the test did not test", refused, len(msgs))
	}
	if n := mp.Count(t); n != len(msgs)-refused {
		t.Errorf("mailpit holds %d mails, want %d", n, len(msgs)-refused)
	}
}

func TestSendBulkCancel(t *testing.T) {
	d := dbtest.NewSQLite(t)
	sink := startSink(t, true)
	s := mustService(t, d, nil, Config{SMTPURL: sink.URL, From: from, Connections: 2})
	t.Cleanup(s.Close)
	msgs := bulkMessages(300, "c")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	j := newMemJournal()
	calls := 0
	j.refuse = func([]string) error {
		if calls++; calls == 3 {
			cancel() // the job is stopped while a send is under way
		}
		return nil
	}
	err := s.SendBulk(ctx, msgs, j)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("SendBulk = %v, want context.Canceled", err)
	}
	got := sink.Deliveries()
	notHanded := 0
	for _, m := range msgs {
		r, ok := j.results[m.Key]
		if !ok {
			t.Fatalf("%s has no result", m.Key)
		}
		if r.Err == nil {
			if got[m.To] != 1 || j.accepted[m.Key] != 1 {
				t.Errorf("%s sent, but delivered %d times, recorded %d", m.Key, got[m.To], j.accepted[m.Key])
			}
			continue
		}
		if r.Permanent || got[m.To] != 0 {
			t.Errorf("%s: %+v delivered %d times; want a temporary failure, not delivered", m.Key, r, got[m.To])
		}
		if errors.Is(r.Err, ErrNotHandedOver) {
			notHanded++
		}
	}
	if notHanded < 200 {
		t.Errorf("only %d messages came back as not handed over", notHanded)
	}
}

func TestSendBulkPool(t *testing.T) {
	d := dbtest.NewSQLite(t)
	sink := startSink(t, false)
	s := mustService(t, d, nil, Config{SMTPURL: sink.URL, From: from, Connections: 3})
	t.Cleanup(s.Close)
	var wg sync.WaitGroup
	for i := range 3 { // concurrent sends share the pool
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.SendBulk(context.Background(), bulkMessages(60, fmt.Sprint("pool", i)), newMemJournal()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := s.SendBulk(context.Background(), bulkMessages(60, "again"), newMemJournal()); err != nil {
		t.Fatal(err)
	}
	if n := sink.Delivered(); n != 240 {
		t.Fatalf("delivered %d, want 240", n)
	}
	if n := sink.maxOpen.Load(); n > 3 {
		t.Errorf("%d connections open at once, the pool has 3", n)
	}
	if n := sink.sessions.Load(); n > 3 {
		t.Errorf("%d sessions for four sends: connections were not reused", n)
	}

	t.Run("IdleClosed", func(t *testing.T) {
		s := mustService(t, d, nil, Config{SMTPURL: sink.URL, From: from, Connections: 2})
		s.bulk.idleAfter = 50 * time.Millisecond
		before := sink.open.Load()
		if err := s.SendBulk(context.Background(), bulkMessages(10, "idle"), newMemJournal()); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for sink.open.Load() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := sink.open.Load() - before; n > 0 {
			t.Errorf("%d idle connections still open", n)
		}
	})
}

func TestSendBulkRate(t *testing.T) {
	d := dbtest.NewSQLite(t)
	for _, bad := range []Config{{Rate: -1}, {Rate: math.NaN()}, {Rate: math.Inf(1)}, {Connections: -1}, {Connections: MaxConnections + 1}} {
		if _, err := NewService(d, nil, bad, nil); err == nil {
			t.Errorf("NewService accepted %+v", bad)
		}
	}
	if s := mustService(t, d, nil, Config{}); s.bulk.limiter != nil || s.bulk.size != DefaultConnections {
		t.Errorf("default: limiter %v, %d connections", s.bulk.limiter, s.bulk.size)
	}
	sink := startSink(t, false)
	s := mustService(t, d, nil, Config{SMTPURL: sink.URL, From: from, Rate: 40})
	t.Cleanup(s.Close)
	if l := s.bulk.limiter; l == nil || l.Limit() != 40 || l.Burst() != 1 {
		t.Fatalf("limiter %+v, want 40/s with a burst of 1", l)
	}
	start := time.Now()
	if err := s.SendBulk(context.Background(), bulkMessages(13, "rate"), newMemJournal()); err != nil {
		t.Fatal(err)
	}
	// 13 mails at 40/s take at least 12/40 s = 300 ms, however fast the server.
	if took := time.Since(start); took < 250*time.Millisecond {
		t.Errorf("13 mails at 40/s took %s", took)
	}
	if n := sink.Delivered(); n != 13 {
		t.Errorf("delivered %d", n)
	}
}
