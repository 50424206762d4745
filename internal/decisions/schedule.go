package decisions

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// OpenVoting opens voting once opens_at has come: it freezes the
// electorate (one INSERT … SELECT into decision_electorate) and, for an
// election, makes the nominations that reached the threshold candidates.
// Opening an open decision again does nothing. The job calls it as the
// system. Errors: errs.NotFound, errs.Forbidden (the system and admins),
// errs.Conflict (too early, withdrawn, or an election without candidates).
func (s *Service) OpenVoting(ctx context.Context, id string) (*Decision, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		d, err := getDecision(ctx, tx, id, writeLock)
		if err != nil {
			return notFound(err)
		}
		if err := s.can(ctx, ActAdvance, d); err != nil {
			return err
		}
		switch {
		case d.Status == StatusVoting || d.Closed():
			return nil
		case d.Status != StatusDiscussion && d.Status != StatusNominations:
			return errs.E(errs.Conflict, "Voting can open only after discussion or nominations.")
		case d.OpensAt.IsZero() || s.clock().Before(d.OpensAt):
			return errs.E(errs.Conflict, "Voting opens at %s.", s.when(d.OpensAt))
		}
		if d.Kind == KindElection {
			if err := s.nominationsToCandidates(ctx, tx, d); err != nil {
				return err
			}
			if err := reserveStanding(d); err != nil {
				return err
			}
		}
		n, err := snapshotElectorate(ctx, tx, d)
		if err != nil {
			return err
		}
		if err := setStatus(ctx, tx, d.ID, StatusVoting, "opened_at", s.clock()); err != nil {
			return err
		}
		if err := index(ctx, tx, d.ID); err != nil { // issue 13: search index
			return err
		}
		return audit.Record(ctx, tx, "decision.voting_opened", "decision", d.ID, map[string]any{"electorate": n})
	})
	if err != nil {
		return nil, err
	}
	return s.load(ctx, id)
}

// nominationsToCandidates appends the nominees who reached the threshold
// to the election's options.
func (s *Service) nominationsToCandidates(ctx context.Context, tx *db.Tx, d *Decision) error {
	noms, err := listNominations(ctx, tx, d.ID)
	if err != nil {
		return err
	}
	opts := d.Options
	for _, n := range noms {
		if n.Support >= d.NominationThreshold {
			if n.Name == "" {
				n.Name = fmt.Sprintf("Candidate %d", len(opts)+1)
			}
			opts = append(opts, Option{Label: n.Name, Description: n.Statement, Category: n.Category, PersonID: n.PersonID})
		}
	}
	if len(opts) == 0 {
		return errs.E(errs.Conflict, "No candidate reached the nomination threshold of %d; withdraw the election or change it.", d.NominationThreshold)
	}
	if len(opts) == len(d.Options) {
		return nil
	}
	d.Options = opts
	for i := range d.Options {
		d.Options[i].Position = i + 1
	}
	return replaceOptions(ctx, tx, d.ID, d.Options)
}

// reserveStanding refuses to open an election whose reserved seats cannot
// be filled: fewer candidates of the category stand than seats reserved.
func reserveStanding(d *Decision) error {
	m := d.MinRepresentation
	if m.Seats == 0 {
		return nil
	}
	standing := 0
	for _, o := range d.Options {
		if o.Category == m.Category {
			standing++
		}
	}
	if standing < m.Seats {
		return errs.E(errs.Conflict, "%d seats are reserved for %s, but only %d such candidates stand; change the election or withdraw it.", m.Seats, m.Category, standing)
	}
	return nil
}

// Close counts a decision once closes_at has come: it rewrites the ballots
// in a random order, counts them with tally and stores the results. A
// closed decision is returned as it is (Close is idempotent). The job calls
// it as the system. Errors: errs.NotFound, errs.Forbidden (the system and
// admins), errs.Conflict (too early, or voting never opened).
func (s *Service) Close(ctx context.Context, id string) (*Decision, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		d, err := getDecision(ctx, tx, id, writeLock)
		if err != nil {
			return notFound(err)
		}
		if err := s.can(ctx, ActAdvance, d); err != nil {
			return err
		}
		switch {
		case d.Closed():
			return nil
		case d.Status != StatusVoting:
			return errs.E(errs.Conflict, "Only a decision open for voting can be closed.")
		case s.clock().Before(d.ClosesAt):
			return errs.E(errs.Conflict, "Voting closes at %s.", s.when(d.ClosesAt))
		}
		// Whatever still waits sealed goes into the box first, however few:
		// counting reads only the box.
		if _, err := s.moveSealed(ctx, tx, d.ID, 0); err != nil {
			return err
		}
		ballots, err := listBallots(ctx, tx, d.ID, "", 0)
		if err != nil {
			return err
		}
		// On PostgreSQL each batch's ballots share the xmin of the move that
		// brought them: rewrite them all in a random order in this one
		// transaction, so after the close none says in which batch it came.
		// SQLite's WITHOUT ROWID table stores them in the order of their
		// random keys and has no such column.
		if tx.Dialect() == db.Postgres {
			shuffle(len(ballots), func(i, j int) { ballots[i], ballots[j] = ballots[j], ballots[i] })
			if err := rewriteBallots(ctx, tx, d.ID, ballots); err != nil {
				return err
			}
		}
		if d.Turnout, err = countVoters(ctx, tx, d.ID); err != nil {
			return err
		}
		d.tieOrder = drawTieOrder(len(d.Options))
		res, err := s.count(ctx, tx, d, ballots)
		if err != nil {
			return err
		}
		js, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("close %s: results: %w", d.ID, err)
		}
		if err := storeResults(ctx, tx, d, js, s.clock()); err != nil {
			return err
		}
		if err := index(ctx, tx, d.ID); err != nil { // issue 13: search index (the outcome)
			return err
		}
		if err := audit.Record(ctx, tx, "decision.closed", "decision", d.ID,
			map[string]any{"turnout": d.Turnout, "electorate": d.ElectorateSize}); err != nil {
			return err
		}
		// issue 14 (webhooks): a decision closed with its count.
		return outbox.Append(ctx, tx, outbox.Event{Kind: outbox.DecisionClosed, Subject: "decision", SubjectID: d.ID,
			GroupID: d.GroupID})
	})
	if err != nil {
		return nil, err
	}
	s.vacuumBallots(ctx)
	return s.load(ctx, id)
}

// drawTieOrder draws the order used to break ties by lot, at the close, so
// that it is fixed before anyone sees the count and recounts use it too.
func drawTieOrder(n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// AdvanceDue opens the decisions whose opening time has come and closes
// those whose closing time has, and says how many of each it did. One that
// fails is logged and left for the next run. Errors: errs.Forbidden (the
// system and admins), and a failure to list what is due.
func (s *Service) AdvanceDue(ctx context.Context) (opened, closed int, err error) {
	if err := s.can(ctx, ActAdvance, &Decision{}); err != nil {
		return 0, 0, err
	}
	toOpen, toClose, err := dueDecisions(ctx, s.db.Q(), s.clock())
	if err != nil {
		return 0, 0, err
	}
	for _, id := range toOpen {
		if _, err := s.OpenVoting(ctx, id); err != nil {
			s.log.Warn("decision did not open", "decision", id, "err", err)
			continue
		}
		opened++
	}
	for _, id := range toClose {
		if _, err := s.Close(ctx, id); err != nil {
			s.log.Error("decision did not close", "decision", id, "err", err)
			continue
		}
		closed++
	}
	return opened, closed, nil
}
