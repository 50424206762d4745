package auth

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// Mailer queues mail in the caller's transaction, so a mail leaves only if
// the write that caused it commits. *mail.Service implements it; tests use a
// fake that records messages.
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) (string, error)
}

// OutgoingMail is mail.Message. The alias stays so that code written while
// package mail was unfinished keeps compiling.
type OutgoingMail = mail.Message
