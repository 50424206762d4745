// Package providers reads mail providers' webhooks: it authenticates each
// request the provider's own way and turns its events into
// messaging.DeliveryEvent. One file per provider:
//
//	ses.go       Amazon SES notifications delivered by Amazon SNS (signed
//	             messages, verified against Amazon's signing certificate)
//	postmark.go  Postmark's bounce and spam-complaint webhooks (HTTP basic auth)
//	mailgun.go   Mailgun's "failed" and "complained" events (HMAC-SHA256)
//
// The formats were written from each provider's published examples, kept
// in testdata/ with a note of where each came from.
//
// It imports messaging for the event type and nothing of the web.
package providers

import (
	"context"
	"errors"
	"net/http"

	"github.com/momentum-movement/momentum/internal/messaging"
)

// Provider authenticates a provider's webhook request and parses its
// events.
type Provider interface {
	// Name is the provider's name in the URL (/hooks/mail/{name}) and in
	// the suppressions' source ("postmark webhook").
	Name() string
	// Events checks that r (whose body is body) came from the provider and
	// returns the events it reports. A request that proves nothing gets
	// ErrUnauthenticated; one that is authentic but unreadable,
	// ErrMalformed. A request with nothing for us (an SNS subscription
	// confirmation, an event kind we ignore) returns no events.
	Events(ctx context.Context, r *http.Request, body []byte) ([]messaging.DeliveryEvent, error)
}

var (
	// ErrUnauthenticated: the request did not prove it came from the
	// provider (wrong secret, bad or stale signature, foreign topic).
	ErrUnauthenticated = errors.New("webhook not authenticated")
	// ErrMalformed: the request is not in the provider's format.
	ErrMalformed = errors.New("webhook payload malformed")
)
