package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// NewClient is the HTTP client deliveries go through: 10 s for the whole
// exchange, redirects never followed (a 3xx is a failure, so an endpoint
// cannot send a signed delivery somewhere else).
func NewClient() *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// maxResponse is how much of a receiver's answer an attempt keeps.
const maxResponse = 2048

// deliverBudget is how long one deliver job sends before it snoozes,
// letting other jobs through.
const deliverBudget = 2 * time.Minute

// errSnooze tells the worker to snooze: the budget is spent, work remains.
var errSnooze = errors.New("webhooks: budget spent")

// deliver sends the endpoint's pending deliveries in sequence order. It
// stops at the first failure and returns an error, with the wait before
// the next try; a delivery tried MaxAttempts times is failed and the next
// one is sent. A disabled or deleted endpoint sends nothing.
func (s *Service) deliver(ctx context.Context, endpointID string) (time.Duration, error) {
	q := s.d.DB.Q()
	start := time.Now()
	for {
		t, err := getTarget(ctx, q, endpointID)
		if db.IsNotFound(err) {
			return 0, nil
		} else if err != nil {
			return 0, err
		}
		if !t.Enabled {
			return 0, nil // Update enqueues it again when enabled
		}
		d, err := headPending(ctx, q, endpointID)
		if err != nil || d == nil {
			return 0, err
		}
		a := s.post(ctx, t, d)
		attempts := d.Attempts + 1
		status := StatusPending
		switch {
		case a.Error == "" && a.StatusCode/100 == 2:
			status = StatusDelivered
		case attempts >= s.MaxAttempts():
			status = StatusFailed
		}
		// Recorded even when the job is being stopped: the attempt happened.
		rctx := context.WithoutCancel(ctx)
		if err := s.d.DB.InTx(rctx, func(tx *db.Tx) error { return recordAttempt(rctx, tx, a, status, attempts) }); err != nil {
			return 0, err
		}
		if status == StatusPending {
			why := a.Error
			if why == "" {
				why = "answered " + strconv.Itoa(a.StatusCode)
			}
			return s.delay(attempts), fmt.Errorf("webhook %s: delivery %s (attempt %d of %d): %s", endpointID, d.ID,
				attempts, s.MaxAttempts(), why)
		}
		if status == StatusFailed {
			s.log.Warn("webhook delivery failed for good", "endpoint_id", endpointID, "delivery_id", d.ID, "attempts", attempts)
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if time.Since(start) > deliverBudget {
			return 0, errSnooze
		}
	}
}

// delay is the wait after the attempts-th failed attempt.
func (s *Service) delay(attempts int) time.Duration {
	i := min(max(attempts-1, 0), len(s.delays)-1)
	return s.delays[i]
}

// post makes one attempt at d, signed now with the endpoint's secret.
func (s *Service) post(ctx context.Context, t *target, d *Delivery) Attempt {
	a := Attempt{ID: db.NewID(), DeliveryID: d.ID, At: s.now()}
	b := []byte(d.Body)
	ts := a.At.Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(b))
	if err != nil {
		a.Error = clean(err.Error())
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Momentum-Webhooks")
	req.Header.Set(HeaderDelivery, d.ID)
	req.Header.Set(HeaderEvent, d.Kind)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(t.secret, ts, b))
	began := time.Now()
	res, err := s.client.Do(req)
	if err != nil {
		a.Duration = time.Since(began)
		a.Error = clean(err.Error())
		return a
	}
	resp, rerr := io.ReadAll(io.LimitReader(res.Body, maxResponse))
	// Read a little more so the connection can be reused, no more.
	_, _ = io.CopyN(io.Discard, res.Body, 64<<10)
	res.Body.Close()
	a.Duration = time.Since(began)
	a.StatusCode, a.Response = res.StatusCode, clean(string(resp))
	if rerr != nil && a.StatusCode/100 != 2 {
		a.Error = clean(rerr.Error())
	}
	if a.StatusCode/100 != 2 && a.Error == "" && a.StatusCode/100 == 3 {
		a.Error = "redirects are not followed (Location: " + clean(res.Header.Get("Location")) + ")"
	}
	return a
}

// clean makes text storable on both engines: valid UTF-8, no NUL.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	for len(s) > maxResponse*2 && !utf8.ValidString(s[:maxResponse*2]) {
		s = s[:len(s)-1]
	}
	if len(s) > maxResponse*2 {
		s = s[:maxResponse*2]
	}
	return s
}
