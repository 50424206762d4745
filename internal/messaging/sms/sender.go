package sms

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/time/rate"
)

// Outgoing is one message of a batch, composed by the caller.
type Outgoing struct {
	Key  string // the caller's id for it (a recipient row), echoed in its Outcome
	To   string // E.164
	Body string
}

// Outcome is what became of one Outgoing.
type Outcome struct {
	Key        string
	ProviderID string // the provider's message id when it took the message
	// Err is nil when the provider took the message. Otherwise Permanent
	// says whether trying again is pointless (IsPermanent(Err)).
	Err       error
	Permanent bool
}

// Sender sends batches through a Provider at most Rate messages a second,
// with at most Workers requests in flight.
type Sender struct {
	p       Provider
	limit   *rate.Limiter
	workers int
}

// DefaultWorkers is how many requests a Sender has in flight at most: an
// HTTP request to a provider takes 100–500 ms, so a few in parallel are
// needed to reach a rate of tens a second.
const DefaultWorkers = 8

// NewSender returns a Sender through p at perSecond messages a second (at
// least 1) with workers requests in flight (DefaultWorkers when < 1).
func NewSender(p Provider, perSecond, workers int) *Sender {
	if perSecond < 1 {
		perSecond = 1
	}
	if workers < 1 {
		workers = DefaultWorkers
	}
	// A burst of one: the provider counts per second, and a burst at the
	// start of every batch would exceed it.
	return &Sender{p: p, limit: rate.NewLimiter(rate.Limit(perSecond), 1), workers: workers}
}

// Configured reports whether the provider can send (see Disabled).
func (s *Sender) Configured() bool { return s.p.Configured() }

// Send sends batch, returning one Outcome per Outgoing in the same order.
// It returns when every message has an outcome or ctx ends; a message not
// yet handed to the provider when ctx ends comes back temporary with ctx's
// error. The caller has already recorded the batch as sent (doc.go,
// "Exactly once"): Send never retries a message itself, since a request
// whose answer was lost may have been delivered.
func (s *Sender) Send(ctx context.Context, batch []Outgoing) []Outcome {
	out := make([]Outcome, len(batch))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(s.workers, len(batch)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = s.one(ctx, batch[i])
			}
		}()
	}
	i := 0
	var stopped error
	for ; i < len(batch); i++ {
		if stopped = s.limit.Wait(ctx); stopped != nil {
			break
		}
		select {
		case next <- i:
			continue
		case <-ctx.Done():
			stopped = context.Cause(ctx)
		}
		break
	}
	close(next)
	wg.Wait()
	for ; i < len(batch); i++ {
		out[i] = Outcome{Key: batch[i].Key, Err: &Error{Message: "not sent: the send was stopped", Err: stopped, NotSent: true}}
	}
	return out
}

func (s *Sender) one(ctx context.Context, m Outgoing) Outcome {
	res, err := s.p.Send(ctx, Message{To: m.To, Body: m.Body})
	o := Outcome{Key: m.Key, ProviderID: res.ProviderID, Err: err}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			// A provider that does not say: it may have taken the message.
			o.Err = &Error{Message: "the provider failed", Err: err, Ambiguous: true}
		}
		o.Permanent = IsPermanent(o.Err)
	}
	return o
}
