package messaging

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Suppressions: addresses no broadcast may go to.
//
// The semantics, for everyone who reads or writes the suppressions table:
//
//   - The key is the address lower-cased and trimmed (SuppressionKey): an
//     email address, or a phone number in E.164 for SMS. Match recipients
//     with `lower(address)` against it, or call IsSuppressed.
//   - A suppressed address gets no broadcast on any channel, from any group,
//     until an admin lifts it (Unsuppress). Transactional mail (log-in
//     links, RSVP confirmations) is not affected: it is not a broadcast.
//   - Recipient selection (Service.Count and the fixing of
//     broadcast_recipients) leaves suppressed addresses out; the fan-out
//     skips a queued row whose address was suppressed after it was fixed
//     (RecipientSkipped).
//   - Reasons: ReasonBounce (a hard bounce from a provider, or a permanent
//     SMTP refusal, 5xx, while sending), ReasonComplaint (marked as spam),
//     ReasonManual (an admin), ReasonStop (an SMS STOP). The first reason
//     stays: suppressing an address twice changes nothing.
//   - Suppression is about the address, consent about the person: a
//     person who unsubscribes is not suppressed (they may resubscribe), and
//     a suppressed address does not withdraw anyone's consent.

// Suppression reasons.
const (
	ReasonBounce    = "bounce"
	ReasonComplaint = "complaint"
	ReasonManual    = "manual"
	ReasonStop      = "stop"
)

// Suppression is one suppressed address.
type Suppression struct {
	Address   string
	Reason    string
	Source    string // e.g. "postmark webhook", "smtp 550"
	CreatedAt time.Time
}

// SuppressionKey is how an address is keyed in the suppressions table.
func SuppressionKey(address string) string { return strings.ToLower(strings.TrimSpace(address)) }

// Suppress adds address to the suppressions, in the caller's transaction
// (q may be a *db.Tx). The fan-out calls it for a permanent SMTP refusal
// of the mailbox (SuppressesAddress(code); reason ReasonBounce, source
// "smtp 550"); the webhooks call it for hard bounces and complaints. It reports whether the address is newly
// suppressed; an address already suppressed keeps its first reason.
func Suppress(ctx context.Context, q db.Querier, address, reason, source string, at time.Time) (bool, error) {
	key := SuppressionKey(address)
	if key == "" {
		return false, errs.Fields(map[string]string{"address": "Give the address to suppress."})
	}
	switch reason {
	case ReasonBounce, ReasonComplaint, ReasonManual, ReasonStop:
	default:
		return false, errs.Fields(map[string]string{"reason": "Choose bounce, complaint, manual or stop."})
	}
	if utf8.RuneCountInString(source) > 200 {
		source = errs.Clip(source, 200)
	}
	res, err := q.Exec(ctx, `INSERT INTO suppressions (address, reason, source, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (address) DO NOTHING`, key, reason, source, at.UTC())
	if err != nil {
		return false, fmt.Errorf("suppress %s: %w", reason, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("suppress: %w", err)
	}
	return n > 0, nil
}

// SuppressesAddress says whether an SMTP refusal with code is about the
// recipient's mailbox (550 no such mailbox, 551 not local, 553 bad
// address name), so that Suppress(…, ReasonBounce, "smtp 550", …) is right
// for it. Other permanent codes are about the message or about us (552
// too big, 554 transaction failed, 530/535 our authentication): those
// fail the one mail but must not suppress the address — a relay that
// refuses every mail for our own fault would otherwise suppress the whole
// network's list. The fan-out calls it for each permanent failure.
func SuppressesAddress(code int) bool {
	switch code {
	case 550, 551, 553:
		return true
	}
	return false
}

// suppressRecipient suppresses the address of one recipient row that the
// SMTP server refused for good with code (the fan-out's journal calls it),
// and audits a new suppression.
func suppressRecipient(ctx context.Context, tx *db.Tx, broadcastID, personID string, code int, at time.Time) error {
	var address string
	err := tx.QueryRow(ctx, `SELECT address FROM broadcast_recipients WHERE broadcast_id = ? AND person_id = ?`,
		broadcastID, personID).Scan(&address)
	if err != nil {
		return fmt.Errorf("suppress refused recipient: %w", err)
	}
	source := fmt.Sprintf("smtp %d", code)
	added, err := Suppress(ctx, tx, address, ReasonBounce, source, at)
	if err != nil || !added {
		return err
	}
	return audit.Record(ctx, tx, "suppression.added", "suppression", SuppressionKey(address),
		map[string]any{"reason": ReasonBounce, "source": source, "broadcast_id": broadcastID})
}

// IsSuppressed reports whether no broadcast may go to address.
func IsSuppressed(ctx context.Context, q db.Querier, address string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM suppressions WHERE address = ?`, SuppressionKey(address)).Scan(&n); err != nil {
		return false, fmt.Errorf("is suppressed: %w", err)
	}
	return n > 0, nil
}

// SuppressionFilter pages Suppressions.
type SuppressionFilter struct {
	Search string // part of the address
	After  string // the last address of the previous page
	Limit  int    // default 50, at most 500
}

// Suppressions lists suppressed addresses in address order, and the cursor
// of the next page ("" at the end). Admins.
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (f *Feedback) Suppressions(ctx context.Context, sf SuppressionFilter) ([]Suppression, string, error) {
	if err := f.d.Policy.Can(ctx, auth.PrincipalFrom(ctx), ActSuppressionsView, auth.Resource{Kind: "suppression"}); err != nil {
		return nil, "", err
	}
	limit := sf.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	q := `SELECT address, reason, source, created_at FROM suppressions WHERE address > ?`
	args := []any{sf.After}
	if s := SuppressionKey(sf.Search); s != "" {
		q += ` AND address LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(s)+"%")
	}
	q += ` ORDER BY address LIMIT ?`
	args = append(args, limit+1)
	rows, err := f.d.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("suppressions: %w", err)
	}
	defer rows.Close()
	var out []Suppression
	for rows.Next() {
		var s Suppression
		if err := rows.Scan(&s.Address, &s.Reason, &s.Source, &s.CreatedAt); err != nil {
			return nil, "", err
		}
		s.CreatedAt = s.CreatedAt.UTC()
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Address
	}
	return out, next, nil
}

// likeEscape escapes LIKE's wildcards in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Unsuppress lifts a suppression, so broadcasts may go to the address
// again (an admin who knows the mailbox works again). Admins; audited.
//
// Errors: errs.Unauthorized, errs.Forbidden, errs.NotFound.
func (f *Feedback) Unsuppress(ctx context.Context, address string) error {
	if err := f.d.Policy.Can(ctx, auth.PrincipalFrom(ctx), ActSuppressionsEdit, auth.Resource{Kind: "suppression"}); err != nil {
		return err
	}
	key := SuppressionKey(address)
	return f.d.DB.InTx(ctx, func(tx *db.Tx) error {
		var reason string
		err := tx.QueryRow(ctx, `DELETE FROM suppressions WHERE address = ? RETURNING reason`, key).Scan(&reason)
		if db.IsNotFound(err) {
			return errs.E(errs.NotFound, "That address is not suppressed.")
		}
		if err != nil {
			return fmt.Errorf("unsuppress: %w", err)
		}
		return audit.Record(ctx, tx, "suppression.lifted", "suppression", key, map[string]any{"reason": reason})
	})
}
