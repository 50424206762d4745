package sms

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recording is the one fake the SMS tests allow themselves: a provider
// (the gateway) that answers by the number, slowly, and records what it saw.
type recording struct {
	mu       sync.Mutex
	sent     []string
	inFlight atomic.Int32
	maxIn    atomic.Int32
	delay    time.Duration
}

func (p *recording) Configured() bool { return true }

func (p *recording) Send(ctx context.Context, m Message) (Result, error) {
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for {
		old := p.maxIn.Load()
		if n <= old || p.maxIn.CompareAndSwap(old, n) {
			break
		}
	}
	time.Sleep(p.delay)
	p.mu.Lock()
	p.sent = append(p.sent, m.To)
	p.mu.Unlock()
	switch {
	case strings.HasSuffix(m.To, "0"):
		return Result{}, &Error{Permanent: true, Status: 400, Code: CodeUnsubscribed, Message: "Attempt to send to unsubscribed recipient"}
	case strings.HasSuffix(m.To, "1"):
		return Result{}, &Error{Status: http.StatusTooManyRequests, Code: CodeTooManyReqs, Message: "Too Many Requests"}
	case strings.HasSuffix(m.To, "2"):
		return Result{}, fmt.Errorf("connection reset")
	}
	return Result{ProviderID: "SM" + m.To}, nil
}

func batchOf(n int) []Outgoing {
	b := make([]Outgoing, n)
	for i := range b {
		b[i] = Outgoing{Key: fmt.Sprintf("row-%d", i), To: fmt.Sprintf("+4477009%05d", i), Body: "Hi"}
	}
	return b
}

// TestSenderOutcomes: one outcome per message, in order, keyed; permanent
// and temporary failures told apart; an error that is not an *Error is
// temporary.
func TestSenderOutcomes(t *testing.T) {
	p := &recording{}
	s := NewSender(p, 1000, 4)
	b := batchOf(20)
	out := s.Send(context.Background(), b)
	if len(out) != len(b) || len(p.sent) != len(b) {
		t.Fatalf("%d outcomes, %d sent, want %d", len(out), len(p.sent), len(b))
	}
	for i, o := range out {
		if o.Key != b[i].Key {
			t.Fatalf("outcome %d has key %q, want %q", i, o.Key, b[i].Key)
		}
		switch b[i].To[len(b[i].To)-1] {
		case '0':
			if o.Err == nil || !o.Permanent {
				t.Errorf("%s: %+v, want permanent", o.Key, o)
			}
		case '1', '2':
			if o.Err == nil || o.Permanent {
				t.Errorf("%s: %+v, want temporary", o.Key, o)
			}
		default:
			if o.Err != nil || o.ProviderID != "SM"+b[i].To {
				t.Errorf("%s: %+v, want sent", o.Key, o)
			}
		}
	}
}

// TestSenderRateAndConcurrency: 26 messages at 50 a second take at least
// half a second, and no more than the workers are in flight at once.
func TestSenderRateAndConcurrency(t *testing.T) {
	p := &recording{delay: 30 * time.Millisecond}
	s := NewSender(p, 50, 3)
	start := time.Now()
	s.Send(context.Background(), batchOf(26))
	if d := time.Since(start); d < 480*time.Millisecond {
		t.Errorf("26 messages at 50/s took %v, want at least 0.5s", d)
	}
	if m := p.maxIn.Load(); m > 3 || m < 1 {
		t.Errorf("%d requests in flight at once, want 1 to 3", m)
	}
}

// TestSenderStops: when ctx ends, messages not yet handed to the provider
// come back temporary, unsent.
func TestSenderStops(t *testing.T) {
	p := &recording{}
	s := NewSender(p, 20, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	b := batchOf(40)
	for i := range b {
		b[i].To = "+447700900123" // all would succeed
	}
	out := s.Send(ctx, b)
	sent, stopped := 0, 0
	for _, o := range out {
		if o.Err == nil {
			sent++
		} else if !o.Permanent {
			stopped++
		}
	}
	if sent+stopped != 40 || sent == 0 || stopped == 0 || sent != len(p.sent) {
		t.Errorf("%d sent (provider saw %d), %d stopped; want some of each, 40 in all", sent, len(p.sent), stopped)
	}
}

func TestSenderConfigured(t *testing.T) {
	if NewSender(Disabled{}, 10, 0).Configured() {
		t.Error("a sender through Disabled is configured")
	}
	if !NewSender(&recording{}, 10, 0).Configured() {
		t.Error("a sender through a provider is not configured")
	}
}
