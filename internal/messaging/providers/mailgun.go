package providers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
)

// Mailgun reads Mailgun's webhooks. Mailgun signs each one: the body's
// "signature" object holds a timestamp, a random token and the hex
// HMAC-SHA256 of timestamp+token under the webhook signing key. A
// signature older (or newer) than MaxSkew is refused, so a captured
// request cannot be replayed later.
type Mailgun struct {
	SigningKey string
	Now        func() time.Time // nil: time.Now
}

// MaxSkew is how far a Mailgun signature's timestamp may be from now.
const MaxSkew = 5 * time.Minute

// Name is "mailgun".
func (Mailgun) Name() string { return "mailgun" }

type mailgunBody struct {
	Signature struct {
		Timestamp string `json:"timestamp"`
		Token     string `json:"token"`
		Signature string `json:"signature"`
	} `json:"signature"`
	EventData struct {
		Event          string  `json:"event"`
		Severity       string  `json:"severity"`
		Reason         string  `json:"reason"`
		Recipient      string  `json:"recipient"`
		Timestamp      float64 `json:"timestamp"`
		DeliveryStatus struct {
			Code        int    `json:"code"`
			Message     string `json:"message"`
			Description string `json:"description"`
		} `json:"delivery-status"`
		Message struct {
			Headers struct {
				MessageID string `json:"message-id"`
			} `json:"headers"`
		} `json:"message"`
	} `json:"event-data"`
}

// Verify checks a Mailgun signature; exported for tests and for anyone
// checking one by hand.
func (m Mailgun) Verify(timestamp, token, signature string) error {
	if m.SigningKey == "" || timestamp == "" || token == "" || signature == "" {
		return ErrUnauthenticated
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrUnauthenticated
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	if d := now().Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return fmt.Errorf("%w: signature timestamp %s is stale", ErrUnauthenticated, time.Unix(ts, 0).UTC().Format(time.RFC3339))
	}
	mac := hmac.New(sha256.New, []byte(m.SigningKey))
	mac.Write([]byte(timestamp + token))
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(strings.ToLower(signature)), []byte(want)) {
		return ErrUnauthenticated
	}
	return nil
}

// Events checks the signature and reads the event: "failed" (permanent:
// a hard bounce; temporary: a soft one), "complained" and "delivered".
func (m Mailgun) Events(ctx context.Context, r *http.Request, body []byte) ([]messaging.DeliveryEvent, error) {
	var b mailgunBody
	if err := json.Unmarshal(body, &b); err != nil {
		// Unreadable means unsigned too: say so, not "malformed", so a
		// stranger learns nothing more than that it was refused.
		return nil, ErrUnauthenticated
	}
	if err := m.Verify(b.Signature.Timestamp, b.Signature.Token, b.Signature.Signature); err != nil {
		return nil, err
	}
	ev := b.EventData
	sec, frac := math.Modf(ev.Timestamp)
	e := messaging.DeliveryEvent{Address: strings.TrimSpace(ev.Recipient), MessageID: ev.Message.Headers.MessageID,
		At: time.Unix(int64(sec), int64(frac*1e9)).UTC()}
	switch ev.Event {
	case "failed":
		e.Kind, e.Hard = messaging.EventBounce, ev.Severity == "permanent"
		st := ev.DeliveryStatus
		e.Detail = strings.TrimSpace(fmt.Sprintf("%s %d %s %s", ev.Reason, st.Code, st.Message, st.Description))
	case "complained":
		e.Kind = messaging.EventComplaint
	case "delivered":
		e.Kind = messaging.EventDelivered
	default:
		return nil, nil
	}
	if e.Address == "" {
		return nil, fmt.Errorf("%w: no recipient", ErrMalformed)
	}
	if ev.Timestamp == 0 {
		e.At = time.Time{}
	}
	return []messaging.DeliveryEvent{e}, nil
}
