package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// CancelView is what the "I can't come any more" page shows before the
// person confirms.
type CancelView struct {
	Event *Event
	// Name is the person's given name, to greet them.
	Name string
}

func linkExpired() error {
	return errs.E(errs.NotFound, "This link has expired or has already been used.")
}

// CancelLink finds the answer a cancel link from a reminder or
// confirmation mail is for. It changes nothing: opening a link (as mail
// scanners do) must never cancel. The token is the permission; nobody
// needs to be signed in.
//
// Errors: errs.NotFound (unknown, used or expired link).
func (s *Service) CancelLink(ctx context.Context, token string) (*CancelView, error) {
	if token == "" {
		return nil, linkExpired()
	}
	var eventID, personID string
	err := s.db.Q().QueryRow(ctx, `SELECT event_id, person_id FROM event_cancel_links
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, tokenHash(token), s.clock()).Scan(&eventID, &personID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkExpired()
	}
	if err != nil {
		return nil, fmt.Errorf("cancel link: %w", err)
	}
	e, err := findEvent(ctx, s.db.Q(), eventID)
	if err != nil {
		return nil, err
	}
	v := &CancelView{Event: e}
	if err := s.db.Q().QueryRow(ctx, `SELECT given_name FROM people WHERE id = ?`, personID).Scan(&v.Name); err != nil {
		return nil, fmt.Errorf("cancel link: %w", err)
	}
	v.Name = strings.TrimSpace(v.Name)
	return v, nil
}

// CancelByLink says no, for the person a cancel link was sent to, to the
// event and every shift of it they answered; a place they free goes to
// the first person waiting, who is told. The link, and every other cancel
// link of theirs for the event, is used up, in the same transaction.
//
// Errors: errs.NotFound (unknown, used or expired link), errs.Conflict
// (the event is cancelled or over).
func (s *Service) CancelByLink(ctx context.Context, token string) (*Event, error) {
	if token == "" {
		return nil, linkExpired()
	}
	var out *Event
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.clock()
		var eventID, personID string
		err := tx.QueryRow(ctx, `UPDATE event_cancel_links SET used_at = ?
			WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING event_id, person_id`,
			now, tokenHash(token), now).Scan(&eventID, &personID)
		if db.IsNotFound(err) {
			return linkExpired()
		}
		if err != nil {
			return fmt.Errorf("use cancel link: %w", err)
		}
		e, err := findEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if err := s.open(e); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE event_cancel_links SET used_at = ? WHERE event_id = ? AND person_id = ? AND used_at IS NULL`,
			now, eventID, personID); err != nil {
			return fmt.Errorf("retire cancel links: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT shift_id FROM event_rsvps WHERE event_id = ? AND person_id = ? AND status <> 'declined'
			ORDER BY shift_id`, eventID, personID)
		if err != nil {
			return fmt.Errorf("answers to cancel: %w", err)
		}
		var shifts []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			shifts = append(shifts, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, shiftID := range shifts {
			if _, err := s.answerTx(ctx, tx, e, personID, RSVPInput{ShiftID: shiftID, Status: Declined, Source: "reminder mail"}); err != nil {
				return err
			}
		}
		out = e
		return audit.Record(ctx, tx, "events.cancel_by_link", "event", e.ID, map[string]any{"person_id": personID})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
