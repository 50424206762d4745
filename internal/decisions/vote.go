package decisions

import (
	"context"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// BallotForm is what the ballot page shows: the decision, its options (in
// a fresh random order for each voter for ranked votes and elections) and a
// ballot token that comes back with the vote.
type BallotForm struct {
	Decision    *Decision
	Options     []Option
	Eligibility *Eligibility
	// Token is the signed ballot token for the form's hidden field (see
	// BallotKey.NewBallotToken): the server derives the receipt code from
	// it, so no one can choose a receipt. Never put it in a log, a URL or a
	// mail.
	Token string
}

// BallotForm returns the ballot with a new ballot token. Errors:
// errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) BallotForm(ctx context.Context, decisionID string) (*BallotForm, error) {
	d, err := s.Get(ctx, decisionID)
	if err != nil {
		return nil, err
	}
	el, err := s.CanVote(ctx, decisionID)
	if err != nil {
		return nil, err
	}
	opts := slices.Clone(d.Options)
	if d.Ranked() {
		shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	}
	return &BallotForm{Decision: d, Options: opts, Eligibility: el, Token: s.key.NewBallotToken(d.ID, auth.PrincipalFrom(ctx).UserID)}, nil
}

// BallotToken returns a fresh ballot token for the signed-in user in a
// decision, for a ballot built elsewhere (the demo, tests). It grants
// nothing by itself: Vote checks who may vote. Errors: errs.Unauthorized.
func (s *Service) BallotToken(ctx context.Context, decisionID string) (string, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return "", errs.E(errs.Unauthorized, "Log in to vote.")
	}
	return s.key.NewBallotToken(decisionID, p.UserID), nil
}

// voteCtx is what Vote and ChangeVote establish before writing.
type voteCtx struct {
	d       *Decision
	person  string
	content string
	voted   bool
}

// prepare checks, inside tx and at the service's clock, that the user may
// vote now and that the choice is valid.
func (s *Service) prepare(ctx context.Context, tx *db.Tx, decisionID string, c Choice) (*voteCtx, error) {
	p := auth.PrincipalFrom(ctx)
	d, err := getDecision(ctx, tx, decisionID, shareLock)
	if err != nil {
		return nil, notFound(err)
	}
	if err := s.can(ctx, ActVote, d); err != nil {
		return nil, err
	}
	if d.Status == StatusDraft {
		return nil, errs.E(errs.NotFound, "We could not find that decision.")
	}
	person, err := personOfUser(ctx, tx, p.UserID)
	if err != nil {
		return nil, err
	}
	if err := lockVoter(ctx, tx, d.ID, person); err != nil {
		return nil, err
	}
	el, err := s.eligibility(ctx, tx, d, person)
	if err != nil {
		return nil, err
	}
	if !el.CanVote {
		if el.Closed {
			return nil, errs.E(errs.Conflict, "%s", el.Reason)
		}
		return nil, errs.E(errs.Forbidden, "%s", el.Reason)
	}
	c, err = d.check(c)
	if err != nil {
		return nil, err
	}
	content, err := c.encode()
	if err != nil {
		return nil, err
	}
	return &voteCtx{d: d, person: person, content: content, voted: el.Voted}, nil
}

// Vote casts the signed-in user's vote with the ballot token of their
// ballot form, and returns the receipt code to show them (grouped). The
// code is made by the server from the token; the voter cannot choose it.
// One transaction records that the person voted (decision_voters, with the
// change key of their code) and stores the ballot: sealed, to wait for the
// ballot box (see MoveBallots), for a secret vote; in the box with the
// voter for a named one. Sending the same token again (a double click, a
// retried request) returns the same code without counting twice.
// Errors: errs.Invalid (the choice, or a token that is not this user's
// for this decision: field "ballot"), errs.Forbidden (not in the
// electorate, with the reason), errs.Conflict (voting not open or closed,
// or already voted with another token), errs.NotFound, errs.Unauthorized.
func (s *Service) Vote(ctx context.Context, decisionID, token string, c Choice) (string, error) {
	var code string
	err := s.retryOnce(func() error {
		return s.db.InTx(ctx, func(tx *db.Tx) error {
			v, err := s.prepare(ctx, tx, decisionID, c)
			if err != nil {
				return err
			}
			if err := s.pinBallotKey(ctx, tx); err != nil {
				return err
			}
			nonce, err := s.key.tokenNonce(decisionID, auth.PrincipalFrom(ctx).UserID, token)
			if err != nil {
				return err
			}
			code = s.key.receiptFor(decisionID, auth.PrincipalFrom(ctx).UserID, nonce, "")
			key := s.key.changeKey(decisionID, code)
			if v.voted {
				current, err := voterKey(ctx, tx, decisionID, v.person)
				if err != nil {
					return err
				}
				if current == key {
					return nil // the same vote again
				}
				return errs.E(errs.Conflict, "You have already voted. To change your vote, give the receipt code you were shown.")
			}
			if err := insertVoter(ctx, tx, decisionID, v.person, key); err != nil {
				return err
			}
			if s.afterVoter != nil {
				if err := s.afterVoter(); err != nil {
					return err
				}
			}
			tx.AfterCommit(func() { s.afterVote(ctx, decisionID) })
			hash := s.key.receiptHash(decisionID, code)
			if v.d.Secret {
				// No audit record here: its actor and time would date this
				// vote. The move into the ballot box records the batch.
				return s.insertSealed(ctx, tx, decisionID, pendingBallot{Hash: hash, Content: v.content})
			}
			if err := insertBallot(ctx, tx, decisionID, storedBallot{ID: newBallotID(), Hash: hash, Content: v.content, PersonID: v.person}); err != nil {
				return err
			}
			return audit.Record(ctx, tx, "decision.voted", "decision", decisionID, nil)
		})
	})
	if err != nil {
		return "", err
	}
	return GroupReceipt(code), nil
}

// ChangeVote replaces the user's vote and returns the new receipt code:
// oldReceipt must be the code this voter was last given (checked against
// the change key kept with them, which names no ballot), and token a
// ballot token of theirs, from which the server makes the new code. Only
// the last vote counts. A secret vote's new ballot waits sealed with the
// hash of the one it replaces, and the move into the box drops that one;
// a named vote is replaced in the box at once. Sending the same change
// again returns the same code. Errors: errs.Invalid (old_receipt not
// theirs, the token, or the choice), errs.Conflict (not voted yet, voting
// closed), errs.Forbidden, errs.NotFound, errs.Unauthorized.
func (s *Service) ChangeVote(ctx context.Context, decisionID, oldReceipt, token string, c Choice) (string, error) {
	oldCode, err := normaliseReceipt(oldReceipt, "old_receipt")
	if err != nil {
		return "", err
	}
	var code string
	err = s.retryOnce(func() error {
		return s.db.InTx(ctx, func(tx *db.Tx) error {
			v, err := s.prepare(ctx, tx, decisionID, c)
			if err != nil {
				return err
			}
			if err := s.pinBallotKey(ctx, tx); err != nil {
				return err
			}
			user := auth.PrincipalFrom(ctx).UserID
			nonce, err := s.key.tokenNonce(decisionID, user, token)
			if err != nil {
				return err
			}
			if !v.voted {
				return errs.E(errs.Conflict, "You have not voted yet, so there is nothing to change.")
			}
			// Only the voter's own receipt changes their vote: the change key
			// kept with them must be the one made from the code they give.
			// (Any receipt would otherwise let someone who learnt another's
			// code replace that ballot with a second of their own.)
			current, err := voterKey(ctx, tx, decisionID, v.person)
			if err != nil {
				return err
			}
			code = s.key.receiptFor(decisionID, user, nonce, oldCode)
			newKey := s.key.changeKey(decisionID, code)
			if current == newKey {
				return nil // the same change again
			}
			if current != s.key.changeKeyOf(decisionID, oldCode) {
				return errs.Fields(map[string]string{"old_receipt": "That is not the receipt code you were given for your vote in this decision."})
			}
			oldHash, newHash := s.key.hashOf(decisionID, oldCode), s.key.receiptHash(decisionID, code)
			if err := setVoterKey(ctx, tx, decisionID, v.person, newKey); err != nil {
				return err
			}
			if v.d.Secret {
				return s.insertSealed(ctx, tx, decisionID, pendingBallot{Hash: newHash, Content: v.content, Replaces: oldHash})
			}
			if err := deleteBallot(ctx, tx, decisionID, oldHash); err != nil {
				return err
			}
			if err := insertBallot(ctx, tx, decisionID, storedBallot{ID: newBallotID(), Hash: newHash, Content: v.content, PersonID: v.person}); err != nil {
				return err
			}
			return audit.Record(ctx, tx, "decision.vote_changed", "decision", decisionID, nil)
		})
	})
	if err != nil {
		return "", err
	}
	return GroupReceipt(code), nil
}

// retryOnce runs fn again when it lost a race on a unique key (two tabs,
// a retried request): the second run sees the first one's row and answers
// as the rules say.
func (s *Service) retryOnce(fn func() error) error {
	err := fn()
	if err != nil && db.IsUniqueViolation(err) {
		err = fn()
	}
	return err
}
