package messaging

import (
	"context"
	"errors"
	"fmt"

	"github.com/momentum-movement/momentum/internal/messaging/sms"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// SMS broadcasts (issue 12, deliver 8). They share everything with email
// up to the send itself: the segment (people with 'sms' consent and a
// phone number, not suppressed — a STOP suppresses the number and
// withdraws the consent), the fixed recipient rows, the claim protocol.
// What differs is the hand-over. SMTP has two phases (the content, then the
// final "." that makes the server deliver), and mail commits "sent" between
// them. An HTTP API has one: the request is the delivery. So each batch is
// committed sent before its first request (exactly once means at most once
// here): a node that dies mid-batch loses the messages it had not yet
// posted (they stay "sent", never delivered) but never sends one twice.
// When the send stops in good order (the job's context ends), the messages
// not yet posted are put back in the queue; a message the provider refused
// with an answer is failed (permanent) or queued again (429, 5xx); one
// whose answer was lost after the request went (a timeout, a reset) stays
// sent with the error noted, as it may have been delivered.

// SMSConfigured reports whether SMS broadcasts can be sent (the site has
// MOMENTUM_SMS_* settings); the compose page offers SMS only then.
func (s *Service) SMSConfigured() bool { return s.d.SMS.Configured() }

// smsReady refuses an SMS broadcast when SMS is not configured.
func (s *Service) smsReady(channel string) error {
	if channel == ChannelSMS && !s.d.SMS.Configured() {
		return errs.Fields(map[string]string{"channel": sms.NotConfiguredMessage})
	}
	return nil
}

// smsBatch is how many texts the SMS fan-out marks sent and posts at a
// time: small, since a batch marked sent is what a crash can lose, and
// texts go out at tens a second (MOMENTUM_SMS_RATE), not thousands.
const smsBatch = 50

// smsDown says why an SMS broadcast cannot go on now: its settings were
// removed after it started. Its rows wait, queued, and River tries again
// with its backoff.
func (s *Service) smsDown() error {
	if !s.d.SMS.Configured() {
		return errors.New(sms.NotConfiguredMessage)
	}
	return nil
}

// sendSMS is fanOut's send step for an SMS broadcast: the claimed rows
// are committed sent before the first request (see above), posted through
// the rate-limited sender, and the failures recorded. It returns how many
// rows wait to be tried again.
func (s *Service) sendSMS(ctx context.Context, m *composer, id, claim string, rows []recipient) (int, error) {
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = r.PersonID
	}
	if err := markSent(ctx, s.d.DB.Q(), id, claim, keys, s.clock()); err != nil {
		return 0, err
	}
	out := make([]sms.Outgoing, len(rows))
	for i, r := range rows {
		out[i] = sms.Outgoing{Key: r.PersonID, To: r.Address, Body: m.render(r).Text}
	}
	results := s.d.SMS.Send(ctx, out)
	retrying, err := s.recordSMS(context.WithoutCancel(ctx), id, claim, results)
	if err != nil {
		return retrying, err
	}
	return retrying, ctx.Err()
}

// recordSMS records a batch's failures (its rows are already sent) and
// returns how many wait to be tried again.
func (s *Service) recordSMS(ctx context.Context, id, claim string, results []sms.Outcome) (int, error) {
	retrying := 0
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, o := range results {
			if o.Err == nil {
				continue
			}
			var e *sms.Error
			if !errors.As(o.Err, &e) {
				e = &sms.Error{Message: o.Err.Error()}
			}
			code := e.Code
			if code == 0 {
				code = e.Status
			}
			msg := truncate(o.Err.Error(), 500)
			var err error
			switch {
			case e.Ambiguous:
				_, err = tx.Exec(ctx, `UPDATE broadcast_recipients SET error = ? WHERE broadcast_id = ? AND person_id = ? AND claim = ?`,
					"no answer from the SMS provider; it may have been sent: "+msg, id, o.Key, claim)
			case o.Permanent:
				err = unsendSMS(ctx, tx, id, claim, o.Key, "failed", msg, code, 0)
			case e.NotSent:
				// Never posted (the send stopped first): not an attempt.
				err = unsendSMS(ctx, tx, id, claim, o.Key, "queued", "", 0, 1)
				retrying++
			default:
				err = unsendSMS(ctx, tx, id, claim, o.Key, "retry", msg, code, 0)
				retrying++
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return retrying, err
}

// unsendSMS takes back a row marked sent that the provider did not take:
// failed for good, queued again ("queued"), or queued again unless its
// attempts are used up ("retry"); giveBack undoes the attempt counted when
// it was marked sent.
func unsendSMS(ctx context.Context, tx *db.Tx, id, claim, key, to, msg string, code, giveBack int) error {
	status := "'" + to + "'"
	if to == "retry" {
		status = fmt.Sprintf("CASE WHEN attempts >= %d THEN 'failed' ELSE 'queued' END", maxAttempts)
	}
	_, err := tx.Exec(ctx, `UPDATE broadcast_recipients SET status = `+status+`, attempts = attempts - ?,
		error = ?, smtp_code = ?, claim = '', sent_at = NULL
		WHERE broadcast_id = ? AND person_id = ? AND claim = ? AND status = 'sent'`,
		giveBack, msg, code, id, key, claim)
	if err != nil {
		return fmt.Errorf("record sms to %s: %w", key, err)
	}
	return nil
}
