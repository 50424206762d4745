package people

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// validate checks and normalises a consent change; now fills ChangedAt.
func (c *Consent) validate(now time.Time) error {
	bad := map[string]string{}
	c.Channel, c.Status = strings.TrimSpace(c.Channel), strings.TrimSpace(c.Status)
	c.Source, c.Wording = strings.TrimSpace(c.Source), strings.TrimSpace(c.Wording)
	if !slices.Contains(Channels, c.Channel) {
		bad["channel"] = "Choose email, sms, phone or post."
	}
	if c.Status != ConsentGranted && c.Status != ConsentWithdrawn {
		bad["status"] = "Choose granted or withdrawn."
	}
	if c.Source == "" || utf8.RuneCountInString(c.Source) > maxLineLen {
		bad["source"] = "Say how the person gave or withdrew consent (at most 200 characters)."
	}
	if c.Status == ConsentGranted && c.Wording == "" {
		bad["wording"] = "Give the wording the person agreed to."
	}
	if utf8.RuneCountInString(c.Wording) > 5000 {
		bad["wording"] = "Use at most 5000 characters."
	}
	if c.ChangedAt.IsZero() {
		c.ChangedAt = now
	}
	c.ChangedAt = c.ChangedAt.UTC().Truncate(time.Microsecond)
	if c.ChangedAt.After(now.Add(time.Minute)) {
		bad["changed_at"] = "The time of consent cannot be in the future."
	}
	return errs.Fields(bad)
}

// SetConsent records a person's consent (or its withdrawal) on one channel:
// the change joins consent_history, with who recorded it, and becomes the
// current state unless a later change is already recorded. A withdrawal is
// honoured from that moment: HasConsent, the list's consent filter and
// organisers' view of contact details all read the current state. Admins,
// the person themself, and organisers of their groups may.
//
// Errors: errs.Invalid (channel, status, source, wording, changed_at),
// errs.NotFound, errs.Forbidden, errs.Conflict for an erased person.
func (s *Service) SetConsent(ctx context.Context, id string, c Consent) error {
	if err := c.validate(s.now()); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := findPerson(ctx, tx, id)
		if db.IsNotFound(err) {
			return notFound()
		} else if err != nil {
			return err
		}
		if _, _, err := s.canManage(ctx, tx, p, ActConsent, ActConsentOwn); err != nil {
			return err
		}
		if p.Erased() {
			return errs.E(errs.Conflict, "This person's record was erased on request.")
		}
		return s.SetConsentTx(ctx, tx, id, c)
	})
}

// SetConsentTx is SetConsent inside the caller's transaction without a
// permission check, for importers and the API's signup helper whose
// service has checked. c must have passed validation (a zero ChangedAt
// means now).
func (s *Service) SetConsentTx(ctx context.Context, tx *db.Tx, personID string, c Consent) error {
	return s.setConsentTx(ctx, tx, personID, c, true)
}

// setConsentTx is SetConsentTx; touch says whether to mark the person
// updated (a signup has done so already in its transaction).
func (s *Service) setConsentTx(ctx context.Context, tx *db.Tx, personID string, c Consent, touch bool) error {
	now := s.now()
	if err := c.validate(now); err != nil {
		return err
	}
	// issue 14 (webhooks): withdrawing granted email consent (the
	// unsubscribe link, one-click unsubscribe, the API, an admin) is news.
	unsubscribed := false
	if c.Channel == ChannelEmail && c.Status == ConsentWithdrawn {
		var prev string
		err := tx.QueryRow(ctx, `SELECT status FROM consents WHERE person_id = ? AND channel = ?`, personID, c.Channel).Scan(&prev)
		if err != nil && !db.IsNotFound(err) {
			return fmt.Errorf("consent: %w", err)
		}
		unsubscribed = prev == ConsentGranted
	}
	_, err := tx.Exec(ctx, `INSERT INTO consent_history (id, person_id, channel, status, changed_at, source, wording, actor_label)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, db.NewID(), personID, c.Channel, c.Status, c.ChangedAt, c.Source, c.Wording,
		reqctx.ActorFrom(ctx).Label)
	if err != nil {
		return fmt.Errorf("consent history: %w", err)
	}
	if err := upsertConsent(ctx, tx, personID, c); err != nil {
		return err
	}
	if touch {
		if _, err := tx.Exec(ctx, `UPDATE people SET updated_at = ? WHERE id = ?`, now, personID); err != nil {
			return fmt.Errorf("consent: %w", err)
		}
	}
	err = insertAction(ctx, tx, Action{ID: db.NewID(), PersonID: personID, Kind: "consent." + c.Status,
		Summary: c.Channel, At: c.ChangedAt})
	if err != nil {
		return err
	}
	if unsubscribed {
		if err := outbox.Append(ctx, tx, outbox.Event{Kind: outbox.PersonUnsubscribed, Subject: "person", SubjectID: personID,
			Data: map[string]any{"channel": c.Channel, "source": c.Source}}); err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, "person.consent_set", "person", personID,
		map[string]any{"channel": c.Channel, "status": c.Status})
}

// upsertConsent makes c the current consent unless a later one is stored.
func upsertConsent(ctx context.Context, tx *db.Tx, personID string, c Consent) error {
	_, err := tx.Exec(ctx, `INSERT INTO consents (person_id, channel, status, changed_at, source, wording) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (person_id, channel) DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at,
			source = excluded.source, wording = excluded.wording
		WHERE consents.changed_at <= excluded.changed_at`,
		personID, c.Channel, c.Status, c.ChangedAt, c.Source, c.Wording)
	if err != nil {
		return fmt.Errorf("set consent: %w", err)
	}
	return nil
}

// HasConsent reports whether the person's consent on channel is granted
// now, reading through q (messaging calls it inside its send transaction).
// It checks no permission: it reveals nothing but a yes or no.
func (s *Service) HasConsent(ctx context.Context, q db.Querier, personID, channel string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM consents WHERE person_id = ? AND channel = ? AND status = 'granted'`,
		personID, channel).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("has consent: %w", err)
	}
	return n > 0, nil
}

// ConsentHistory returns every consent change of a person, oldest first.
// Admins and the person themself.
//
// Errors: errs.NotFound, errs.Forbidden.
func (s *Service) ConsentHistory(ctx context.Context, personID string) ([]ConsentChange, error) {
	q := s.db.Q()
	if err := s.requireFullAccess(ctx, q, personID, "Only admins and the person themself can see their consent history."); err != nil {
		return nil, err
	}
	return consentHistory(ctx, q, personID)
}

func consentHistory(ctx context.Context, q db.Querier, personID string) ([]ConsentChange, error) {
	rows, err := q.Query(ctx, `SELECT channel, status, changed_at, source, wording, actor_label FROM consent_history
		WHERE person_id = ? ORDER BY changed_at, id`, personID)
	if err != nil {
		return nil, fmt.Errorf("consent history: %w", err)
	}
	defer rows.Close()
	var out []ConsentChange
	for rows.Next() {
		var c ConsentChange
		if err := rows.Scan(&c.Channel, &c.Status, &c.ChangedAt, &c.Source, &c.Wording, &c.ActorLabel); err != nil {
			return nil, err
		}
		c.ChangedAt = c.ChangedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
