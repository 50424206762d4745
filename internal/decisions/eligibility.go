package decisions

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Eligibility says whether the signed-in user may vote in a decision now
// and, if not, why, in words to show them.
type Eligibility struct {
	CanVote bool
	// Voted is true when they have voted (they may still change their vote
	// with their receipt code while voting is open).
	Voted  bool
	Reason string
	// Closed is true when the refusal is about time (not yet open, closed)
	// rather than about who they are.
	Closed bool
}

// CanVote says whether the signed-in user may vote in the decision, and
// why not. Errors: errs.NotFound (also for drafts), errs.Unauthorized.
func (s *Service) CanVote(ctx context.Context, decisionID string) (*Eligibility, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, errs.E(errs.Unauthorized, "Log in to vote.")
	}
	d, err := s.load(ctx, decisionID)
	if err != nil {
		return nil, err
	}
	if d.Status == StatusDraft {
		return nil, errs.E(errs.NotFound, "We could not find that decision.")
	}
	person, err := personOfUser(ctx, s.db.Q(), p.UserID)
	if err != nil {
		return nil, err
	}
	return s.eligibility(ctx, s.db.Q(), d, person)
}

// OpenVote is a decision open for voting now whose electorate holds the
// signed-in user, and whether they have voted in it.
type OpenVote struct {
	ID, Title string
	ClosesAt  time.Time
	Voted     bool
}

// OpenVotes lists the decisions open for voting now in which the signed-in
// user may vote (they are in the electorate snapshot), the soonest to close
// first, at most limit: what CanVote would allow, in one query, for the
// dashboard. Nobody signed in, or no membership record, lists none.
func (s *Service) OpenVotes(ctx context.Context, limit int) ([]OpenVote, error) {
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" {
		return nil, nil
	}
	rows, err := s.db.Q().Query(ctx, `SELECT d.id, d.title, d.closes_at,
			EXISTS (SELECT 1 FROM decision_voters v WHERE v.decision_id = d.id AND v.person_id = p.id)
		FROM people p, decisions d WHERE p.user_id = ? AND d.status = 'voting' AND d.closes_at > ?
			AND EXISTS (SELECT 1 FROM decision_electorate e WHERE e.decision_id = d.id AND e.person_id = p.id)
		ORDER BY d.closes_at, d.id LIMIT `+fmt.Sprint(limit), p.UserID, s.clock())
	if err != nil {
		return nil, fmt.Errorf("open votes: %w", err)
	}
	defer rows.Close()
	var out []OpenVote
	for rows.Next() {
		var v OpenVote
		if err := rows.Scan(&v.ID, &v.Title, &v.ClosesAt, &v.Voted); err != nil {
			return nil, fmt.Errorf("open votes: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// eligibility decides, at the service's clock, whether person may vote in
// d: timing first, then the electorate snapshot (explaining a refusal by
// the rule that excluded them), then whether they have voted.
func (s *Service) eligibility(ctx context.Context, q db.Querier, d *Decision, person string) (*Eligibility, error) {
	now := s.clock()
	closed := func(format string, args ...any) (*Eligibility, error) {
		return &Eligibility{Closed: true, Reason: fmt.Sprintf(format, args...)}, nil
	}
	switch {
	case d.Status == StatusWithdrawn:
		return closed("This decision was withdrawn; there is no vote.")
	case d.Closed() || (d.Status == StatusVoting && !now.Before(d.ClosesAt)):
		return closed("Voting closed at %s.", s.when(d.ClosesAt))
	case d.Archived(): // issue 13: an archived group's decisions are read-only
		return closed("%s is archived: its decisions are kept as a record, read-only.", d.GroupName)
	case d.Status != StatusVoting && d.OpensAt.IsZero():
		return closed("Voting has not been scheduled yet.")
	case d.Status != StatusVoting:
		return closed("Voting opens at %s.", s.when(d.OpensAt))
	}
	if person == "" {
		return &Eligibility{Reason: "Your account is not linked to a membership record, so you are not on this ballot's electorate. Ask an organiser."}, nil
	}
	in, err := inElectorate(ctx, q, d.ID, person)
	if err != nil {
		return nil, err
	}
	if !in {
		reason, err := s.whyNot(ctx, q, d, person)
		if err != nil {
			return nil, err
		}
		return &Eligibility{Reason: reason}, nil
	}
	voted, err := hasVoted(ctx, q, d.ID, person)
	if err != nil {
		return nil, err
	}
	e := &Eligibility{CanVote: true, Voted: voted}
	if voted {
		e.Reason = "You have voted. To change your vote, give the receipt code you were shown."
	}
	return e, nil
}

// whyNot explains, in the voter's terms, why someone is not in the
// electorate: the rule that excludes them today, or else that the
// electorate was frozen when voting opened.
func (s *Service) whyNot(ctx context.Context, q db.Querier, d *Decision, person string) (string, error) {
	st, err := standingOf(ctx, q, person, d.GroupID)
	if err != nil {
		return "", err
	}
	if r := ruleRefusal(d, st, s.zone); r != "" {
		return r, nil
	}
	return fmt.Sprintf("The electorate was fixed when voting opened at %s, and you were not in it then.", s.when(d.OpenedAt)), nil
}

// ruleRefusal returns why the electorate rule excludes someone of this
// standing today, or "" when it admits them.
func ruleRefusal(d *Decision, st standing, zone *time.Location) string {
	whose := "the network"
	if d.Electorate.Scope == ScopeGroup {
		whose = d.GroupName
	}
	switch {
	case d.Electorate.Scope == ScopeGroup && !st.InGroup:
		return fmt.Sprintf("This ballot is for members of %s; you are not a member of the group.", whose)
	case d.Electorate.MembersOnly && st.Membership != "member":
		what := "a supporter"
		if st.Membership == "lapsed" {
			what = "a lapsed member"
		}
		return fmt.Sprintf("This ballot is for members of %s; you are %s.", whose, what)
	case !d.Electorate.MemberSince.IsZero() && (st.MemberSince.IsZero() || st.MemberSince.After(d.Electorate.MemberSince)):
		return fmt.Sprintf("You joined after %s, the cut-off for this ballot.", web.Date(d.Electorate.MemberSince, zone)) // issue 16
	}
	return ""
}
