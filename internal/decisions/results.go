package decisions

import (
	"context"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Results is a closed decision's outcome: the count explained round by
// round (Count, for options) or the consensus rules applied (Proposal),
// turnout against the electorate, and for named votes who voted what.
type Results struct {
	Decision *Decision
	*Outcome
	// Named lists who voted what, for named (open) votes only, by name.
	Named []NamedVote
}

// NamedVote is one voter's vote in a named decision.
type NamedVote struct {
	PersonID string
	Name     string
	Choice   Choice
}

// PublishedBallot is one anonymised ballot: its receipt fingerprint and
// what it holds (and the voter's name on a named vote).
type PublishedBallot struct {
	Fingerprint string
	Choice      Choice
	Voter       string
}

// closedDecision loads a decision the viewer may see and refuses it until
// voting has closed.
func (s *Service) closedDecision(ctx context.Context, id string) (*Decision, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !d.Closed() {
		return nil, errs.E(errs.Conflict, "Results and ballots are published once voting has closed.")
	}
	return d, nil
}

// Results recounts a closed decision from its stored ballots with the tie
// order drawn at the close, which gives the count stored then. Errors:
// errs.NotFound, errs.Forbidden (the group's members; network-wide: every
// member; and the electorate), errs.Conflict (not closed yet).
func (s *Service) Results(ctx context.Context, id string) (*Results, error) {
	d, err := s.closedDecision(ctx, id)
	if err != nil {
		return nil, err
	}
	stored, err := listBallots(ctx, s.db.Q(), d.ID, "", 0)
	if err != nil {
		return nil, err
	}
	choices := make([]Choice, len(stored))
	var named []string
	for i, b := range stored {
		if choices[i], err = decodeChoice(b.Content); err != nil {
			return nil, err
		}
		if b.PersonID != "" {
			named = append(named, b.PersonID)
		}
	}
	out, err := countChoices(d, choices)
	if err != nil {
		return nil, err
	}
	r := &Results{Decision: d, Outcome: out}
	if d.Secret || len(named) == 0 || !s.insider(ctx, d) {
		return r, nil
	}
	names, err := personNames(ctx, s.db.Q(), named)
	if err != nil {
		return nil, err
	}
	for i, b := range stored {
		if b.PersonID != "" {
			r.Named = append(r.Named, NamedVote{PersonID: b.PersonID, Name: names[b.PersonID], Choice: choices[i]})
		}
	}
	slices.SortFunc(r.Named, func(a, b NamedVote) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return r, nil
}

// BallotPage pages through published ballots by fingerprint.
type BallotPage struct {
	After string // the last fingerprint of the previous page
	Limit int    // default 100, at most 1000
}

// PublishedBallots lists a closed decision's anonymised ballots ordered by
// receipt fingerprint, never by when they were cast. Errors: as Results.
func (s *Service) PublishedBallots(ctx context.Context, id string, page BallotPage) ([]PublishedBallot, error) {
	d, err := s.closedDecision(ctx, id)
	if err != nil {
		return nil, err
	}
	limit := page.Limit
	if limit <= 0 {
		limit = 100
	}
	after := ""
	if page.After != "" {
		after = page.After + "~" // past every hash starting with the fingerprint
	}
	stored, err := listBallots(ctx, s.db.Q(), d.ID, after, min(limit, 1000))
	if err != nil {
		return nil, err
	}
	return s.publish(ctx, d, stored)
}

// FindBallot is the receipt checker: the ballot of a closed decision whose
// receipt code is given. Errors: errs.Invalid (not a receipt code),
// errs.NotFound (no ballot has it), and as Results.
func (s *Service) FindBallot(ctx context.Context, id, receipt string) (*PublishedBallot, error) {
	code, err := normaliseReceipt(receipt, "receipt")
	if err != nil {
		return nil, err
	}
	d, err := s.closedDecision(ctx, id)
	if err != nil {
		return nil, err
	}
	b, err := ballotByHash(ctx, s.db.Q(), d.ID, s.key.hashOf(d.ID, code))
	if err != nil {
		if db.IsNotFound(err) {
			return nil, errs.E(errs.NotFound, "No ballot in this decision has that receipt code. Check it against the one you were shown.")
		}
		return nil, err
	}
	out, err := s.publish(ctx, d, []storedBallot{*b})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (s *Service) publish(ctx context.Context, d *Decision, stored []storedBallot) ([]PublishedBallot, error) {
	out := make([]PublishedBallot, len(stored))
	var named []string
	insider := !d.Secret && s.insider(ctx, d)
	for i, b := range stored {
		c, err := decodeChoice(b.Content)
		if err != nil {
			return nil, err
		}
		out[i] = PublishedBallot{Fingerprint: Fingerprint(b.Hash), Choice: c}
		if b.PersonID != "" && !d.Secret && insider {
			named = append(named, b.PersonID)
		}
	}
	if len(named) == 0 {
		return out, nil
	}
	names, err := personNames(ctx, s.db.Q(), named)
	if err != nil {
		return nil, err
	}
	for i, b := range stored {
		out[i].Voter = names[b.PersonID]
	}
	return out, nil
}
