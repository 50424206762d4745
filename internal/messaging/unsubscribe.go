package messaging

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// One-click unsubscribe (RFC 8058).
//
// Every broadcast carries its recipient's token in List-Unsubscribe
// (BASE/u/TOKEN) and in the footer link. The token is the credential: 128
// random bits made when the recipient was fixed, known only to the mailbox
// the broadcast went to. Whoever holds it may withdraw, and undo the
// withdrawal of, that one person's consent on that one channel — nothing
// else. Unsubscribing is idempotent: a second POST (mail clients retry)
// changes nothing and says the same thing.

// Unsubscription is what an unsubscribe link is about, for its page.
type Unsubscription struct {
	Token    string
	Channel  string // ChannelEmail or ChannelSMS
	Masked   string // the address, partly hidden: "a••••@example.org"
	SiteName string
	Subject  string // the broadcast's subject ("" for SMS)
	// Unsubscribed is when this link was used to unsubscribe (zero: not,
	// or undone by Resubscribe).
	Unsubscribed time.Time
	// Subscribed says whether the person's consent on the channel is
	// granted now.
	Subscribed bool
}

// recipientByToken is the recipient row a token names, with what the
// unsubscribe page shows.
type tokenRow struct {
	BroadcastID, PersonID, Address, Channel, Subject string
	Unsubscribed                                     *time.Time
}

func findByToken(ctx context.Context, q db.Querier, token string) (*tokenRow, error) {
	if !validToken(token) {
		return nil, linkUnknown()
	}
	var r tokenRow
	err := q.QueryRow(ctx, `SELECT r.broadcast_id, r.person_id, r.address, b.channel, b.subject, r.unsubscribed_at
		FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.token = ?`, token).
		Scan(&r.BroadcastID, &r.PersonID, &r.Address, &r.Channel, &r.Subject, &r.Unsubscribed)
	if db.IsNotFound(err) {
		return nil, linkUnknown()
	}
	if err != nil {
		return nil, fmt.Errorf("recipient by token: %w", err)
	}
	return &r, nil
}

// validToken accepts what a token can look like (the core makes them from
// 16 random bytes, hex or base64url), so nothing else reaches the query.
func validToken(t string) bool {
	if len(t) < 16 || len(t) > 64 {
		return false
	}
	for _, c := range t {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func linkUnknown() error {
	return errs.E(errs.NotFound, "We do not recognise this link. If you copied it from an email, check that all of it was copied; or reply to the email and ask to be removed.")
}

// consentChannel is the people channel a broadcast channel's consent is on.
func consentChannel(channel string) string {
	if channel == ChannelSMS {
		return people.ChannelSMS
	}
	return people.ChannelEmail
}

// Unsubscription returns what the link with token would unsubscribe.
// Anyone holding the token.
//
// Errors: errs.NotFound for a token we never made.
func (f *Feedback) Unsubscription(ctx context.Context, token string) (*Unsubscription, error) {
	q := f.d.DB.Q()
	r, err := findByToken(ctx, q, token)
	if err != nil {
		return nil, err
	}
	return f.view(ctx, q, token, r)
}

func (f *Feedback) view(ctx context.Context, q db.Querier, token string, r *tokenRow) (*Unsubscription, error) {
	u := &Unsubscription{Token: token, Channel: r.Channel, Masked: MaskAddress(r.Address), SiteName: f.d.SiteName,
		Subject: r.Subject}
	if r.Unsubscribed != nil {
		u.Unsubscribed = r.Unsubscribed.UTC()
	}
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM consents WHERE person_id = ? AND channel = ? AND status = 'granted'`,
		r.PersonID, consentChannel(r.Channel)).Scan(&n); err != nil {
		return nil, fmt.Errorf("unsubscription: %w", err)
	}
	u.Subscribed = n > 0
	return u, nil
}

// Unsubscribe withdraws the consent of the person the token was sent to,
// on the broadcast's channel, at once: in one transaction the withdrawal
// joins their consent history (source: this link and broadcast), the
// recipient row records it (Stats' Unsubscribed), their rows still queued
// in other broadcasts on the channel are skipped, and the audit log notes
// it. Every reader of consent asks the database, so it holds on every node
// from the commit on. Anyone holding the token; idempotent.
//
// Errors: errs.NotFound for a token we never made.
func (f *Feedback) Unsubscribe(ctx context.Context, token string) (*Unsubscription, error) {
	ctx = reqctx.WithActor(ctx, reqctx.Actor{Label: "unsubscribe link"})
	var out *Unsubscription
	err := f.d.DB.InTx(ctx, func(tx *db.Tx) error {
		r, err := findByToken(ctx, tx, token)
		if err != nil {
			return err
		}
		now := f.now().UTC()
		u, err := f.view(ctx, tx, token, r)
		if err != nil {
			return err
		}
		if u.Subscribed {
			what := "SMS broadcast"
			if r.Channel == ChannelEmail {
				what = fmt.Sprintf("broadcast “%s”", errs.Clip(r.Subject, 80))
			}
			err := f.d.People.SetConsentTx(ctx, tx, r.PersonID, people.Consent{Channel: consentChannel(r.Channel),
				Status: people.ConsentWithdrawn, ChangedAt: now,
				Source:  errs.Clip(fmt.Sprintf("unsubscribe link in %s (%s)", what, r.BroadcastID), 200),
				Wording: "Unsubscribed with the link in the message."})
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE broadcast_recipients SET status = ?, error = 'unsubscribed'
				WHERE person_id = ? AND status = ? AND broadcast_id IN (SELECT id FROM broadcasts WHERE channel = ?)`,
				RecipientSkipped, r.PersonID, RecipientQueued, r.Channel); err != nil {
				return fmt.Errorf("skip queued: %w", err)
			}
			if err := audit.Record(ctx, tx, "broadcast.unsubscribed", "person", r.PersonID,
				map[string]any{"broadcast_id": r.BroadcastID, "channel": r.Channel}); err != nil {
				return err
			}
		}
		if r.Unsubscribed == nil {
			if _, err := tx.Exec(ctx, `UPDATE broadcast_recipients SET unsubscribed_at = ? WHERE token = ? AND unsubscribed_at IS NULL`,
				now, token); err != nil {
				return fmt.Errorf("mark unsubscribed: %w", err)
			}
			u.Unsubscribed = now
		}
		u.Subscribed = false
		out = u
		return nil
	})
	return out, err
}

// ResubscribeWording is the consent a person gives by resubscribing, kept
// word for word in their history (%s: the network's name).
const ResubscribeWording = "Yes, send me %s's %s again. I can unsubscribe at any time."

// Resubscribe undoes Unsubscribe: it grants the person's consent on the
// channel again, with ResubscribeWording, and clears the row's
// unsubscribed_at. It only undoes this link's own unsubscription: a token
// never grants consent that was withdrawn some other way. Anyone holding
// the token.
//
// Errors: errs.NotFound for an unknown token; errs.Conflict when this link
// was not used to unsubscribe.
func (f *Feedback) Resubscribe(ctx context.Context, token string) (*Unsubscription, error) {
	ctx = reqctx.WithActor(ctx, reqctx.Actor{Label: "unsubscribe link"})
	var out *Unsubscription
	err := f.d.DB.InTx(ctx, func(tx *db.Tx) error {
		r, err := findByToken(ctx, tx, token)
		if err != nil {
			return err
		}
		if r.Unsubscribed == nil {
			return errs.E(errs.Conflict, "This link was not used to unsubscribe, so there is nothing to undo.")
		}
		u, err := f.view(ctx, tx, token, r)
		if err != nil {
			return err
		}
		if !u.Subscribed {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM people WHERE id = ?`, r.PersonID).Scan(&n); err != nil {
				return fmt.Errorf("resubscribe: %w", err)
			}
			if n == 0 {
				return errs.E(errs.NotFound, "We no longer hold a record for this address.")
			}
			what := "emails"
			if r.Channel == ChannelSMS {
				what = "text messages"
			}
			err := f.d.People.SetConsentTx(ctx, tx, r.PersonID, people.Consent{Channel: consentChannel(r.Channel),
				Status: people.ConsentGranted, ChangedAt: f.now().UTC(),
				Source:  errs.Clip(fmt.Sprintf("resubscribed from the unsubscribe page of broadcast %s", r.BroadcastID), 200),
				Wording: fmt.Sprintf(ResubscribeWording, f.d.SiteName, what)})
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, "broadcast.resubscribed", "person", r.PersonID,
				map[string]any{"broadcast_id": r.BroadcastID, "channel": r.Channel}); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE broadcast_recipients SET unsubscribed_at = NULL WHERE token = ?`, token); err != nil {
			return fmt.Errorf("resubscribe: %w", err)
		}
		u.Subscribed, u.Unsubscribed = true, time.Time{}
		out = u
		return nil
	})
	return out, err
}

// MaskAddress hides most of an address, so a page opened by whoever holds
// a link does not spell out whose it is: "ada@example.org" becomes
// "a•••@example.org" (always three dots, so the length is not told),
// "+447700900123" "+44•••••••123".
func MaskAddress(a string) string {
	if local, domain, ok := strings.Cut(a, "@"); ok {
		r := []rune(local)
		if len(r) == 0 {
			return "@" + domain
		}
		return string(r[0]) + "•••@" + domain
	}
	r := []rune(a)
	if len(r) <= 6 {
		return strings.Repeat("•", len(r))
	}
	return string(r[:3]) + strings.Repeat("•", len(r)-6) + string(r[len(r)-3:])
}
