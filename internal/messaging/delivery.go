package messaging

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// Delivery events: what a mail provider tells us after it took a mail
// (package providers parses each provider's own format into these).

// Kinds of delivery event.
const (
	EventDelivered = "delivered" // the receiving server accepted it
	EventBounce    = "bounce"    // it came back; Hard says whether for good
	EventComplaint = "complaint" // the recipient marked it as spam
)

// DeliveryEvent is one provider event, normalised.
type DeliveryEvent struct {
	Kind string
	// Hard is true for a permanent bounce (no such mailbox, domain gone):
	// the address is suppressed. A soft bounce (mailbox full, greylisted) is
	// noted on the recipient row only.
	Hard    bool
	Address string
	// Token is our recipient token, when the provider echoed something
	// that carries it (SES's copy of the List-Unsubscribe header). It finds
	// the exact recipient row; without it, the address's most recent
	// broadcast is taken.
	Token string
	// MessageID is the provider's or the Message-ID header's id, for the
	// log.
	MessageID string
	At        time.Time
	Detail    string // the diagnostic, e.g. "smtp; 550 5.1.1 user unknown"
}

// Validate checks what Record relies on.
func (e DeliveryEvent) Validate() error {
	bad := map[string]string{}
	switch e.Kind {
	case EventDelivered, EventBounce, EventComplaint:
	default:
		bad["kind"] = "Use delivered, bounce or complaint."
	}
	if a := strings.TrimSpace(e.Address); a == "" || len(a) > 320 {
		bad["address"] = "Give the recipient's address."
	}
	return errs.Fields(bad)
}

// DeliveryResult says what Record did, for the webhook's log.
type DeliveryResult struct {
	Suppressed int // addresses newly suppressed
	Marked     int // recipient rows newly marked bounced, complained or with a soft bounce's note
	Ignored    int // events that changed nothing (delivered, repeats)
}

// RecordDelivery applies provider events, each in its own transaction:
// a hard bounce or a complaint suppresses the address and marks the
// recipient row bounced or complained; a soft bounce notes its diagnostic
// on the row; a delivery changes nothing (the row is already sent). The
// same event twice changes nothing the second time. source names the
// provider in the suppression and the audit log ("postmark webhook").
//
// It is called by the webhook handler once the provider's signature or
// secret was checked; it checks no permission of its own.
//
// Errors: errs.Invalid for an event without kind or address.
func (f *Feedback) RecordDelivery(ctx context.Context, source string, evs []DeliveryEvent) (DeliveryResult, error) {
	var res DeliveryResult
	ctx = reqctx.WithActor(ctx, reqctx.Actor{Label: source})
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			return res, err
		}
		if e.At.IsZero() {
			e.At = f.now()
		}
		if e.Kind == EventDelivered || (e.Kind == EventBounce && !e.Hard && e.Detail == "") {
			res.Ignored++
			continue
		}
		err := f.d.DB.InTx(ctx, func(tx *db.Tx) error {
			changed := false
			if e.Kind == EventComplaint || e.Hard {
				reason := ReasonBounce
				if e.Kind == EventComplaint {
					reason = ReasonComplaint
				}
				added, err := Suppress(ctx, tx, e.Address, reason, source, e.At)
				if err != nil {
					return err
				}
				if added {
					res.Suppressed++
					changed = true
					if err := audit.Record(ctx, tx, "suppression.added", "suppression", SuppressionKey(e.Address),
						map[string]any{"reason": reason, "source": source, "message_id": e.MessageID}); err != nil {
						return err
					}
				}
			}
			marked, err := markRecipient(ctx, tx, e)
			if err != nil {
				return err
			}
			if marked {
				res.Marked++
				changed = true
			}
			if !changed {
				res.Ignored++
			}
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("record %s for %s: %w", e.Kind, e.MessageID, err)
		}
	}
	return res, nil
}

// markRecipient finds the recipient row e is about and marks it; it
// reports whether the row changed.
func markRecipient(ctx context.Context, tx *db.Tx, e DeliveryEvent) (bool, error) {
	var bid, pid string
	var err error
	if validToken(e.Token) {
		err = tx.QueryRow(ctx, `SELECT broadcast_id, person_id FROM broadcast_recipients WHERE token = ?`, e.Token).Scan(&bid, &pid)
	} else {
		err = sql.ErrNoRows
	}
	if db.IsNotFound(err) {
		// The provider kept nothing of ours: the address's most recent
		// broadcast mail is the one it is about (providers report within
		// minutes, long before the next broadcast to the same person).
		a := strings.TrimSpace(e.Address)
		err = tx.QueryRow(ctx, `SELECT broadcast_id, person_id FROM broadcast_recipients
			WHERE address IN (?, ?) AND sent_at IS NOT NULL ORDER BY sent_at DESC LIMIT 1`, a, strings.ToLower(a)).Scan(&bid, &pid)
	}
	if db.IsNotFound(err) {
		return false, nil // not a broadcast of ours (a log-in link, say): the suppression is all
	}
	if err != nil {
		return false, fmt.Errorf("find recipient: %w", err)
	}
	detail := errs.Clip(e.Detail, 500)
	var q string
	var args []any
	switch {
	case e.Kind == EventComplaint:
		q, args = `UPDATE broadcast_recipients SET status = ? WHERE broadcast_id = ? AND person_id = ? AND status = ?`,
			[]any{RecipientComplained, bid, pid, RecipientSent}
	case e.Hard:
		q, args = `UPDATE broadcast_recipients SET status = ?, error = ? WHERE broadcast_id = ? AND person_id = ? AND status = ?`,
			[]any{RecipientBounced, detail, bid, pid, RecipientSent}
	default: // a soft bounce: the mail may still arrive; note why it was delayed
		q, args = `UPDATE broadcast_recipients SET error = ? WHERE broadcast_id = ? AND person_id = ? AND status = ? AND error = ''`,
			[]any{"soft bounce: " + detail, bid, pid, RecipientSent}
	}
	r, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("mark recipient: %w", err)
	}
	n, err := r.RowsAffected()
	return n > 0, err
}
