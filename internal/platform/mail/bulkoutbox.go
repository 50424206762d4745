package mail

import (
	"context"
	"fmt"
	"maps"
	"net/mail"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// keepBulk is SendBulk in development-outbox mode: the mails become 'kept'
// rows of mail_messages, one transaction for the batch, so a developer sees
// a broadcast at /admin/outbox. The journal is called as over SMTP —
// Accepting before the mails are "delivered" to the outbox, then Done — so
// the caller's code runs the same way in development.
func (s *Service) keepBulk(ctx context.Context, msgs []BulkMessage, j BulkJournal) error {
	comp := newBulkComposer(s)
	results := make([]BulkResult, 0, len(msgs))
	var keys []string
	var ok []*BulkMessage
	for i := range msgs {
		m := &msgs[i]
		if err := comp.check(m); err != nil {
			results = append(results, BulkResult{Key: m.Key, Err: err, Permanent: true})
			continue
		}
		keys = append(keys, m.Key)
		ok = append(ok, m)
	}
	jctx := context.WithoutCancel(ctx)
	fail := func(err error, journaled bool) error {
		for _, m := range ok {
			results = append(results, BulkResult{Key: m.Key, Err: err, Journaled: journaled})
		}
		if derr := j.Done(jctx, results); derr != nil {
			return fmt.Errorf("mail: record bulk results: %w", derr)
		}
		return ctx.Err()
	}
	if len(ok) > 0 {
		if err := ctx.Err(); err != nil {
			return fail(fmt.Errorf("%w: %w", ErrNotHandedOver, err), false)
		}
		if err := j.Accepting(ctx, keys); err != nil {
			return fail(fmt.Errorf("the journal did not record the mail, so it was not kept: %w", err), false)
		}
		now := s.now()
		err := s.db.InTx(jctx, func(tx *db.Tx) error {
			for _, m := range ok {
				id := db.NewID()
				msgID := m.MessageID
				if msgID == "" {
					msgID = "<" + id + "@" + s.domain + ">"
				}
				headers := m.Headers
				if m.ReplyTo != "" {
					headers = maps.Clone(headers)
					if headers == nil {
						headers = map[string]string{}
					}
					headers["Reply-To"] = m.ReplyTo
				}
				related := m.Related
				if related == "" {
					related = "bulk"
				}
				if err := insertMessage(jctx, tx, id, now, &mail.Address{Address: m.To},
					Message{Subject: m.Subject, Text: m.Text, HTML: m.HTML, Kind: KindBulk, Related: related, Headers: headers},
					StatusKept, msgID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fail(fmt.Errorf("keep bulk mail in the outbox: %w", err), true)
		}
		for _, m := range ok {
			results = append(results, BulkResult{Key: m.Key})
		}
		s.log.Info("bulk mail kept in the development outbox", "messages", len(msgs), "kept", len(ok))
	}
	if err := j.Done(jctx, results); err != nil {
		return fmt.Errorf("mail: record bulk results: %w", err)
	}
	return nil
}
