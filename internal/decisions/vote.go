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
// new receipt code that comes back with the vote.
type BallotForm struct {
	Decision    *Decision
	Options     []Option
	Eligibility *Eligibility
	// Receipt is the code to show the voter, grouped ("K7QD-M2XP-9WHA").
	// It is stored nowhere: put it in the form, never in a log, a URL or
	// a mail (the outbox would link it to the recipient).
	Receipt string
}

// BallotForm returns the ballot with a new receipt code. Errors:
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
	return &BallotForm{Decision: d, Options: opts, Eligibility: el, Receipt: newReceipt()}, nil
}

// NewReceipt returns a fresh receipt code, for a ballot form built
// elsewhere (the API).
func NewReceipt() string { return newReceipt() }

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

// ballotFor is the row a vote stores: a random id, the receipt's hash,
// the content, and the voter only when the vote is named.
func (v *voteCtx) ballotFor(hash string) storedBallot {
	b := storedBallot{ID: newBallotID(), Hash: hash, Content: v.content}
	if !v.d.Secret {
		b.PersonID = v.person
	}
	return b
}

// Vote casts the signed-in user's vote with the receipt code of their
// ballot form, in one transaction: the voter row and the ballot row are
// written together or not at all. Sending the same receipt again (a
// double click, a retried request) succeeds without counting twice.
// Errors: errs.Invalid (the choice or the receipt code, naming the field),
// errs.Forbidden (not in the electorate, with the reason), errs.Conflict
// (voting not open or closed, or already voted with another receipt),
// errs.NotFound, errs.Unauthorized.
func (s *Service) Vote(ctx context.Context, decisionID, receipt string, c Choice) error {
	code, err := normaliseReceipt(receipt, "receipt")
	if err != nil {
		return err
	}
	hash := receiptHash(code)
	return s.retryOnce(func() error {
		return s.db.InTx(ctx, func(tx *db.Tx) error {
			v, err := s.prepare(ctx, tx, decisionID, c)
			if err != nil {
				return err
			}
			_, err = ballotByHash(ctx, tx, decisionID, hash)
			found := err == nil
			if err != nil && !db.IsNotFound(err) {
				return err
			}
			mine := false
			if found && v.voted {
				key, err := voterKey(ctx, tx, decisionID, v.person)
				if err != nil {
					return err
				}
				mine = key == changeKey(decisionID, code)
			}
			switch {
			case mine:
				return nil // the same vote again
			case found:
				return errs.Fields(map[string]string{"receipt": "That receipt code has been used. Reload the ballot to get a new one."})
			case v.voted:
				return errs.E(errs.Conflict, "You have already voted. To change your vote, give the receipt code you were shown.")
			}
			if err := receiptUnused(ctx, tx, hash); err != nil {
				return err
			}
			if err := insertVoter(ctx, tx, decisionID, v.person, changeKey(decisionID, code)); err != nil {
				return err
			}
			if s.afterVoter != nil {
				if err := s.afterVoter(); err != nil {
					return err
				}
			}
			if err := insertBallot(ctx, tx, decisionID, v.ballotFor(hash)); err != nil {
				return err
			}
			tx.AfterCommit(func() { s.publishTurnout(ctx, decisionID) })
			return audit.Record(ctx, tx, "decision.voted", "decision", decisionID, nil)
		})
	})
}

// ChangeVote replaces the user's ballot: oldReceipt must be the receipt
// code this voter was given (checked against the change key kept with them,
// which names no ballot) and find their ballot, which is deleted; the new choice is stored under
// newReceipt in the same transaction. Only the last vote counts. Sending
// the same change again succeeds. Errors: errs.Invalid (a receipt that
// finds no ballot, or the choice), errs.Conflict (not voted yet, voting
// closed), errs.Forbidden, errs.NotFound, errs.Unauthorized.
func (s *Service) ChangeVote(ctx context.Context, decisionID, oldReceipt, newReceipt string, c Choice) error {
	oldCode, err := normaliseReceipt(oldReceipt, "old_receipt")
	if err != nil {
		return err
	}
	newCode, err := normaliseReceipt(newReceipt, "receipt")
	if err != nil {
		return err
	}
	if oldCode == newCode {
		return errs.Fields(map[string]string{"receipt": "Reload the ballot: changing a vote needs a new receipt code."})
	}
	oldHash, newHash := receiptHash(oldCode), receiptHash(newCode)
	return s.retryOnce(func() error {
		return s.db.InTx(ctx, func(tx *db.Tx) error {
			v, err := s.prepare(ctx, tx, decisionID, c)
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
			key, err := voterKey(ctx, tx, decisionID, v.person)
			if err != nil {
				return err
			}
			if key == changeKey(decisionID, newCode) {
				return nil // the same change again
			}
			if key != changeKey(decisionID, oldCode) {
				return errs.Fields(map[string]string{"old_receipt": "That is not the receipt code you were given for your vote in this decision."})
			}
			old, err := ballotByHash(ctx, tx, decisionID, oldHash)
			if db.IsNotFound(err) {
				return errs.Fields(map[string]string{"old_receipt": "That receipt code does not match a ballot in this decision."})
			}
			if err != nil {
				return err
			}
			if old.PersonID != "" && old.PersonID != v.person {
				return errs.Fields(map[string]string{"old_receipt": "That receipt code does not match a ballot in this decision."})
			}
			if err := receiptUnused(ctx, tx, newHash); err != nil {
				return err
			}
			if err := deleteBallot(ctx, tx, decisionID, oldHash); err != nil {
				return err
			}
			if err := insertBallot(ctx, tx, decisionID, v.ballotFor(newHash)); err != nil {
				return err
			}
			if err := setVoterKey(ctx, tx, decisionID, v.person, changeKey(decisionID, newCode)); err != nil {
				return err
			}
			return audit.Record(ctx, tx, "decision.vote_changed", "decision", decisionID, nil)
		})
	})
}

// receiptUnused refuses a receipt code that any ballot, of any decision,
// already carries (receipt hashes are unique across the database).
func receiptUnused(ctx context.Context, q db.Querier, hash string) error {
	used, err := exists(ctx, q, `SELECT 1 FROM decision_ballots WHERE receipt_hash = ?`, hash)
	if err != nil {
		return err
	}
	if used {
		return errs.Fields(map[string]string{"receipt": "That receipt code has been used. Reload the ballot to get a new one."})
	}
	return nil
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
