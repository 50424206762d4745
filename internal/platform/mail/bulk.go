package mail

import (
	"context"
	"errors"
)

// CONTRACT (coordinator's skeleton, issue 12): the bulk sender the
// messaging fan-out uses. The bulk branch fills it in; keep the shapes or
// tell the coordinator.

// BulkMessage is one mail of a bulk send, composed by the caller.
type BulkMessage struct {
	Key     string // the caller's id for it (a recipient row), echoed in results
	To      string // one address
	Subject string
	Text    string // required
	HTML    string // optional
	// FromName is shown beside the configured From address ("" keeps the
	// configured name); ReplyTo is an optional Reply-To address.
	FromName string
	ReplyTo  string
	// Headers are extra headers such as List-Unsubscribe (not those this
	// package writes).
	Headers map[string]string
}

// BulkResult is the outcome of one BulkMessage.
type BulkResult struct {
	Key string
	// Err is nil when the server accepted the mail. Otherwise Permanent
	// says whether the server refused it for good (5xx) or it may be tried
	// again (4xx, connection lost before it was handed over).
	Err       error
	Permanent bool
	Code      int // the SMTP reply code, 0 if none
}

// BulkJournal records a bulk send durably as it goes.
type BulkJournal interface {
	// Accepting is called with the keys of mails whose recipients the
	// server accepted and whose content it has received, just before the
	// final "." that tells it to deliver them. It must durably record them
	// as sent (one transaction) before returning; a mail whose key it fails
	// to record is not delivered (the transaction is reset instead).
	Accepting(ctx context.Context, keys []string) error
	// Done reports every message's outcome once known (a mail recorded by
	// Accepting and then refused at "." comes back with its error).
	Done(ctx context.Context, results []BulkResult) error
}

// SendBulk sends msgs over the pool of SMTP connections (pipelining where the
// server offers it), at most at the configured rate, recording each through
// j. In development-outbox mode it keeps the mails in the outbox instead. It
// returns when every message has a result, or ctx ends (messages not yet
// handed over then come back as temporary failures).
func (s *Service) SendBulk(ctx context.Context, msgs []BulkMessage, j BulkJournal) error {
	return errors.New("mail.SendBulk: not built yet")
}
