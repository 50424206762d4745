package actions

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"
	"time"
)

// Spam resistance without third-party CAPTCHAs (issue 14): a honeypot
// field people never see, a minimum time between rendering a form and
// sending it, and a rate per remote address. The rate is counted in this
// node's memory, per clock hour: it is a brake on one machine flooding a
// form, not an exact quota (a restart forgets it, and each node of a
// cluster counts on its own), and it costs the response's transaction
// nothing.

// rateLimiter counts responses per address in the current clock hour.
type rateLimiter struct {
	mu    sync.Mutex
	limit int
	hour  int64
	n     map[string]int
}

func newRateLimiter(limit int) *rateLimiter {
	return &rateLimiter{limit: limit, n: map[string]int{}}
}

// allow counts one response from addr at now and reports whether it is
// within the limit.
func (r *rateLimiter) allow(addr string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h := now.Unix() / 3600; h != r.hour {
		r.hour, r.n = h, map[string]int{}
	}
	if r.n[addr] >= r.limit {
		return false
	}
	r.n[addr]++
	return true
}

// newToken is a double opt-in link's secret: 32 random bytes.
func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what is stored of a token (nil for none), so a copy of
// the database confirms nothing.
func hashToken(token string) any {
	if token == "" {
		return nil
	}
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
