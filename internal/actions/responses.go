package actions

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/live"
)

// Confirm follows a double opt-in link: the response counts from now,
// the consent its box gave is granted, the outbox event is appended and
// the thank-you mail queued, in one transaction; the count is published
// after. A link works once.
//
// Errors: errs.NotFound (an unknown or used link).
func (s *Service) Confirm(ctx context.Context, token string) (*Action, error) {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 100 {
		return nil, linkGone()
	}
	var a *Action
	count := -1
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		resp, optIn, err := findPending(ctx, tx, hashToken(token))
		if err != nil {
			return err
		}
		if a, err = findAction(ctx, tx, resp.ActionID); err != nil {
			return err
		}
		now := s.clock()
		res, err := tx.Exec(ctx, `UPDATE action_responses SET confirmed_at = ?, confirm_hash = NULL
			WHERE id = ? AND confirmed_at IS NULL`, now, resp.ID)
		if err != nil {
			return fmt.Errorf("confirm response: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return linkGone()
		}
		resp.ConfirmedAt = now
		if optIn {
			if err := s.d.People.SetConsentTx(ctx, tx, resp.PersonID, emailConsent(a)); err != nil {
				return err
			}
		}
		if count, err = s.confirmed(ctx, tx, a, resp); err != nil {
			return err
		}
		var email, given string
		if err := tx.QueryRow(ctx, `SELECT COALESCE(email, ''), given_name FROM people WHERE id = ?`, resp.PersonID).
			Scan(&email, &given); err != nil {
			return fmt.Errorf("confirm response: person: %w", err)
		}
		if err := s.queueThanks(ctx, tx, a, email, given); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "actions.confirm", "action_response", resp.ID, map[string]any{"action_id": a.ID})
	})
	if err != nil {
		return nil, err
	}
	a.Count = count
	s.publish(ctx, a.ID, count)
	return a, nil
}

func linkGone() error {
	return errs.E(errs.NotFound, "This confirmation link is not valid, or was used already.")
}

// publish tells live pages an action's new count; it runs after commit
// and never fails the response.
func (s *Service) publish(ctx context.Context, actionID string, count int) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.d.Live.Publish(ctx, live.Event{Topic: Topic(actionID), Name: "count", Data: strconv.Itoa(count)}); err != nil {
		s.log.Warn("action count not published", "action", actionID, "err", err)
	}
}

// Responses lists an action's responses for its organisers, newest first
// (keyset: after is the last id of the previous page; limit 1–500,
// default 50). Each carries FullName, and Email when the person agreed
// to email.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Responses(ctx context.Context, actionID, after string, limit int) ([]Response, error) {
	if _, err := s.Get(ctx, actionID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return listResponses(ctx, s.d.DB.Q(), actionID, after, limit, false)
}

// Response returns one response for its action's organisers.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Response(ctx context.Context, id string) (*Response, error) {
	r, err := findResponse(ctx, s.d.DB.Q(), id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Get(ctx, r.ActionID); err != nil {
		return nil, err
	}
	return r, nil
}

// PublicComments returns the newest public comments of a petition:
// confirmed responses with a comment, each named by given name and
// family initial when the person lets their name be shown (Name "" when
// not). Anyone may read them of an open or closed petition.
//
// Errors: errs.NotFound (no such action, or a draft).
func (s *Service) PublicComments(ctx context.Context, actionID string, limit int) ([]Response, error) {
	a, err := s.Public(ctx, actionID)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	if !a.Comments {
		return nil, nil // comments it was sent (through the API) stay with its organisers
	}
	rs, err := listResponses(ctx, s.d.DB.Q(), a.ID, "", limit, true)
	if err != nil {
		return nil, err
	}
	for i := range rs { // the public see nothing but the name and comment
		rs[i].PersonID, rs[i].FullName, rs[i].Email, rs[i].Answers, rs[i].Referrer, rs[i].Source = "", "", "", nil, "", ""
	}
	return rs, nil
}
