package sms

import (
	"context"
	"errors"
	"fmt"
)

// Message is one text message.
type Message struct {
	To   string // E.164, "+447700900123"
	From string // the sender; "" means the provider's configured sender
	Body string
}

// Result is what the provider said when it took a message.
type Result struct {
	// ProviderID is the provider's id for the message (Twilio's "SM…" sid).
	ProviderID string
}

// Provider sends text messages. Send returns an *Error (test with
// errors.As, or IsPermanent) saying whether a failure is permanent or may
// be tried again.
type Provider interface {
	Send(ctx context.Context, m Message) (Result, error)
	// Configured reports whether the provider can send at all (Disabled's
	// is false).
	Configured() bool
}

// Error is a message the provider did not take.
type Error struct {
	// Permanent: trying again will not help (an invalid or unreachable
	// number, a recipient who opted out, a refused sender, SMS not
	// configured). Otherwise it is temporary: rate-limited (429), the
	// provider's server error (5xx), or the network.
	Permanent bool
	Status    int    // the HTTP status, 0 when no response came
	Code      int    // the provider's error code (Twilio's 21610 …), 0 if none
	Message   string // the provider's words, or ours
	MoreInfo  string // the provider's link about the code, if any
	Err       error  // the underlying error (network, context), if any
	// Ambiguous: the request went out but no answer came back (a timeout,
	// a connection reset), so the provider may have taken the message.
	// Sending it again could send it twice.
	Ambiguous bool
	// NotSent: the message was never handed to the provider (the send
	// stopped first); it is safe to send later and was not an attempt.
	NotSent bool
}

func (e *Error) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	s := "sms: " + kind + " failure"
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.Status)
		if e.Code != 0 {
			s += fmt.Sprintf(", code %d", e.Code)
		}
		s += ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err is an *Error that is permanent. Any other
// error (nil aside) is taken as temporary.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// Twilio's error codes that mean "this recipient or this request will never
// work": https://www.twilio.com/docs/api/errors. Anything else with a 4xx
// status is permanent too, except 429 and 408.
const (
	CodeUnsubscribed   = 21610 // the recipient replied STOP to this sender
	CodeInvalidTo      = 21211 // the 'To' number is not a valid phone number
	CodeNotMobile      = 21614 // the 'To' number is not a mobile number
	CodeRegionDisabled = 21408 // permission to send to this region is not enabled
	CodeTooManyReqs    = 20429 // too many requests
)
