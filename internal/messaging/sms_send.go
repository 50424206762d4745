package messaging

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

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

// fanOutSMS is fanOut for an SMS broadcast: one attempt, as claim.
func (s *Service) fanOutSMS(ctx context.Context, b *Broadcast, claim string) error {
	id := b.ID
	if !s.d.SMS.Configured() {
		// Settings removed after the broadcast started: its rows wait,
		// queued, and River tries again with its backoff.
		return errors.New(sms.NotConfiguredMessage)
	}
	if n, err := requeueStale(ctx, s.d.DB.Q(), id); err != nil {
		return err
	} else if n > 0 {
		s.log.Info("broadcast: rows of an earlier attempt back in the queue", "broadcast_id", id, "rows", n)
	}
	m, err := s.newComposer(ctx, b)
	if err != nil {
		return err
	}
	started, lastPublish := time.Now(), time.Time{}
	for {
		status, err := broadcastStatus(ctx, s.d.DB.Q(), id)
		if err != nil {
			return err
		}
		if status != StatusSending {
			s.publish(ctx, id)
			return nil
		}
		var rows []recipient
		err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
			if _, err := claimBatch(ctx, tx, id, ChannelSMS, claim, smsBatch); err != nil {
				return err
			}
			if rows, err = claimedRows(ctx, tx, id, claim); err != nil {
				return err
			}
			// Sent before the first request (see above).
			if len(rows) == 0 {
				return nil
			}
			keys := make([]string, len(rows))
			for i, r := range rows {
				keys[i] = r.PersonID
			}
			return markSent(ctx, tx, id, claim, keys, s.clock())
		})
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			done, err := finishIfDone(ctx, s.d.DB.Q(), id, s.clock())
			if err != nil {
				return err
			}
			s.publish(ctx, id)
			if done {
				s.log.Info("broadcast sent", "broadcast_id", id, "channel", ChannelSMS, "seconds", time.Since(started).Seconds())
			}
			return nil
		}
		out := make([]sms.Outgoing, len(rows))
		for i, r := range rows {
			out[i] = sms.Outgoing{Key: r.PersonID, To: r.Address, Body: m.render(r).Text}
		}
		results := s.d.SMS.Send(ctx, out)
		retrying, err := s.recordSMS(context.WithoutCancel(ctx), id, claim, results)
		if err != nil {
			return err
		}
		if time.Since(lastPublish) > time.Second {
			s.publish(ctx, id)
			lastPublish = time.Now()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if retrying > 0 {
			return errRetryLater
		}
		if time.Since(started) > budget {
			return river.JobSnooze(time.Second)
		}
	}
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
