package providers

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
)

// Postmark reads Postmark's bounce, spam-complaint, delivery and
// subscription-change webhooks. Postmark
// signs nothing; its documented way to secure a webhook is HTTP basic auth
// in the webhook's URL (https://user:SECRET@example.org/hooks/mail/postmark),
// which it sends as an Authorization header. The user name is not checked;
// the password must be Secret.
type Postmark struct {
	Secret string
}

// Name is "postmark".
func (Postmark) Name() string { return "postmark" }

// postmarkRecord is the part of a Postmark webhook we read: bounces
// (RecordType "Bounce") and spam complaints ("SpamComplaint"); deliveries
// ("Delivery") carry Recipient instead of Email.
type postmarkRecord struct {
	RecordType  string
	Type        string
	TypeCode    int
	MessageID   string
	Email       string
	Recipient   string
	Details     string
	Description string
	BouncedAt   time.Time
	DeliveredAt time.Time
	Metadata    map[string]any
	// SubscriptionChange: an address joined (SuppressSending) or left
	// the stream's suppression list, and why.
	ChangedAt         time.Time
	SuppressSending   bool
	SuppressionReason string
}

// postmarkHard are the bounce types after which Postmark itself
// deactivates the address: the mailbox will not take mail again.
var postmarkHard = map[string]bool{"HardBounce": true, "BadEmailAddress": true, "ManuallyDeactivated": true,
	"Blocked": true, "SpamNotification": true}

// Events checks the basic-auth password and reads one record.
func (p Postmark) Events(ctx context.Context, r *http.Request, body []byte) ([]messaging.DeliveryEvent, error) {
	_, pass, ok := r.BasicAuth()
	// Compare hashes so the time taken says nothing of the secret's length.
	a, b := sha256.Sum256([]byte(pass)), sha256.Sum256([]byte(p.Secret))
	if !ok || p.Secret == "" || subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
		return nil, ErrUnauthenticated
	}
	var rec postmarkRecord
	if err := json.Unmarshal(body, &rec); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	kind := rec.RecordType
	if kind == "" { // Postmark's curl examples leave RecordType out
		kind = "Bounce"
		if rec.Type == "SpamComplaint" {
			kind = "SpamComplaint"
		}
	}
	e := messaging.DeliveryEvent{MessageID: rec.MessageID, Address: strings.TrimSpace(rec.Email), At: rec.BouncedAt,
		Detail: strings.TrimSpace(rec.Type + ": " + rec.Details)}
	switch kind {
	case "Bounce":
		e.Kind, e.Hard = messaging.EventBounce, postmarkHard[rec.Type]
		if rec.Type == "SpamComplaint" {
			e.Kind = messaging.EventComplaint
		}
	case "SpamComplaint":
		e.Kind = messaging.EventComplaint
	case "Delivery":
		e.Kind, e.Address, e.At = messaging.EventDelivered, strings.TrimSpace(rec.Recipient), rec.DeliveredAt
	case "SubscriptionChange":
		// A Broadcast message stream reports bounces and complaints only
		// this way. A reactivation, or a suppression for another reason
		// (an unsubscribe through Postmark's own link, an admin's manual
		// one), is not a delivery event.
		e.Address, e.At, e.Detail = strings.TrimSpace(rec.Recipient), rec.ChangedAt, "subscription change: "+rec.SuppressionReason
		switch {
		case rec.SuppressSending && rec.SuppressionReason == "HardBounce":
			e.Kind, e.Hard = messaging.EventBounce, true
		case rec.SuppressSending && rec.SuppressionReason == "SpamComplaint":
			e.Kind = messaging.EventComplaint
		default:
			return nil, nil
		}
	default:
		return nil, nil // opens, clicks, subscription changes: not ours to count
	}
	if e.Address == "" {
		return nil, fmt.Errorf("%w: no recipient address", ErrMalformed)
	}
	return []messaging.DeliveryEvent{e}, nil
}
