package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The headers of a delivery.
const (
	HeaderDelivery  = "X-Momentum-Delivery"  // the idempotency key
	HeaderEvent     = "X-Momentum-Event"     // the kind, e.g. person.created
	HeaderTimestamp = "X-Momentum-Timestamp" // Unix seconds when this attempt was signed
	HeaderSignature = "X-Momentum-Signature" // "sha256=" + hex HMAC
)

// Sign is the X-Momentum-Signature of body sent at timestamp (Unix
// seconds): "sha256=" and the hex HMAC-SHA256, keyed by the endpoint's
// secret, of the timestamp, a full stop, and the body's bytes.
func Sign(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Errors of Verify.
var (
	ErrBadSignature = errors.New("webhooks: the signature does not match")
	ErrStale        = errors.New("webhooks: the timestamp is too old or in the future")
)

// Verify is what a receiver runs on a delivery: timestamp and signature
// are the X-Momentum-Timestamp and X-Momentum-Signature headers, body the
// raw bytes received. It refuses a signature that does not match, and,
// when maxAge > 0, a timestamp further than maxAge from now in either
// direction (a replayed delivery). Five minutes is a sound maxAge.
func Verify(secret, timestamp, signature string, body []byte, maxAge time.Duration) error {
	ts, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
	if err != nil {
		return ErrStale
	}
	if maxAge > 0 {
		age := time.Since(time.Unix(ts, 0))
		if age > maxAge || age < -maxAge {
			return ErrStale
		}
	}
	want := Sign(secret, ts, body)
	if !hmac.Equal([]byte(want), []byte(strings.TrimSpace(signature))) {
		return ErrBadSignature
	}
	return nil
}
