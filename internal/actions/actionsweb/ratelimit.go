package actionsweb

import (
	"sync"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// rateLimiter counts hits per key in fixed windows, in this process: the
// RSVP embed's bound per address (the events service keeps none for
// guests). On a network of several nodes each node counts its own, so the
// bound is per node; actions' responses are limited by the actions service
// in the database instead.
type rateLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	start time.Time
	hits  map[string]int
}

func newRateLimiter(max int, window time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{max: max, window: window, now: now, hits: map[string]int{}}
}

// hit counts one for key, and refuses with errs.TooMany past the bound.
func (l *rateLimiter) hit(key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if start := l.now().Truncate(l.window); !start.Equal(l.start) {
		l.start, l.hits = start, map[string]int{}
	}
	l.hits[key]++
	if l.hits[key] > l.max {
		return errs.E(errs.TooMany, "Too many answers from your address. Please try again later.")
	}
	return nil
}
