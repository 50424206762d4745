package decisions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// This file gathers what a page or the API shows in one call, so that
// handlers call one service method.

// NewForm is what the form for a new decision needs: the group's name
// ("" for network-wide) and the kinds the signed-in user may start there.
type NewForm struct {
	GroupID, GroupName string
	Kinds              []Kind
}

// CreateForm says which kinds of decision the signed-in user may start in
// a group ("" for network-wide). Errors: errs.Forbidden (they may start
// none), errs.NotFound (no such group), errs.Unauthorized.
func (s *Service) CreateForm(ctx context.Context, groupID string) (*NewForm, error) {
	f := &NewForm{GroupID: groupID}
	if groupID != "" {
		err := s.db.Q().QueryRow(ctx, `SELECT name FROM groups WHERE id = ?`, groupID).Scan(&f.GroupName)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "We could not find that group.")
		}
		if err != nil {
			return nil, fmt.Errorf("new decision form: %w", err)
		}
	}
	var refusal error
	for _, k := range Kinds {
		err := s.policy.Can(ctx, auth.PrincipalFrom(ctx), createAction(k), auth.Resource{Kind: "decision", GroupID: groupID})
		if err == nil {
			f.Kinds = append(f.Kinds, k)
			continue
		}
		if !errs.Is(err, errs.Forbidden) {
			return nil, err
		}
		refusal = err
	}
	if len(f.Kinds) == 0 {
		return nil, refusal
	}
	if err := groupWritable(ctx, s.db.Q(), groupID); err != nil {
		return nil, err
	}
	return f, nil
}

// GroupArchivedAt returns when a group was archived (zero while it is
// not, or for "", the network), for pages that offer no new decision in an
// archived group. Errors: none but the database's.
func (s *Service) GroupArchivedAt(ctx context.Context, groupID string) (time.Time, error) {
	if groupID == "" {
		return time.Time{}, nil
	}
	var at sql.NullTime
	err := s.db.Q().QueryRow(ctx, `SELECT archived_at FROM groups WHERE id = ? AND status = 'archived'`, groupID).Scan(&at)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("group archived: %w", err)
	}
	return utc(at), nil
}

// Methods lists the counting methods a kind may use, the default first.
func Methods(k Kind) []string {
	var out []string
	for _, m := range methodsFor(k) {
		out = append(out, string(m))
	}
	return out
}

// KindName is a kind in words ("ranked-choice vote").
func KindName(k Kind) string { return kindName(k) }

// View is a decision's page: the decision, whether and why the signed-in
// user may vote (with a fresh ballot when they may), its nominations, its
// turnout so far and whether they may manage it.
type View struct {
	Decision    *Decision
	Eligibility *Eligibility // nil for visitors and drafts
	Ballot      *BallotForm  // set when they may vote (or change their vote)
	Nominations []Nomination
	Turnout     Turnout
	CanManage   bool
	// CanNominate is true during nominations for someone the electorate
	// rule admits (the service checks again when they do).
	CanNominate bool
}

// Page returns a decision's page for the signed-in user (or a visitor).
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized (as Get).
func (s *Service) Page(ctx context.Context, id string) (*View, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &View{Decision: d, CanManage: s.canManage(ctx, d) == nil && !d.Archived()}
	if v.Turnout, err = s.turnout(ctx, d); err != nil {
		return nil, err
	}
	if d.Kind == KindElection {
		if v.Nominations, err = listNominations(ctx, s.db.Q(), d.ID); err != nil {
			return nil, err
		}
	}
	p := auth.PrincipalFrom(ctx)
	if p == nil || p.UserID == "" || d.Status == StatusDraft {
		return v, nil
	}
	person, err := personOfUser(ctx, s.db.Q(), p.UserID)
	if err != nil {
		return nil, err
	}
	if v.Eligibility, err = s.eligibility(ctx, s.db.Q(), d, person); err != nil {
		return nil, err
	}
	if v.Eligibility.CanVote {
		opts := append([]Option(nil), d.Options...)
		if d.Ranked() {
			shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
		}
		v.Ballot = &BallotForm{Decision: d, Options: opts, Eligibility: v.Eligibility, Token: s.key.NewBallotToken(d.ID, p.UserID)}
	}
	if d.Status == StatusNominations && person != "" && s.can(ctx, ActNominate, d) == nil {
		st, err := standingOf(ctx, s.db.Q(), person, d.GroupID)
		if err != nil {
			return nil, err
		}
		v.CanNominate = ruleRefusal(d, st, s.zone) == "" && !d.Archived()
	}
	return v, nil
}

// ResultsView is a closed decision's results page: the count and a page
// of the published ballots.
type ResultsView struct {
	*Results
	Ballots []PublishedBallot
	// Next is the fingerprint to page on from, "" on the last page.
	Next      string
	CanManage bool
}

// ResultsPage returns the results and one page of the published ballots.
// Errors: as Results.
func (s *Service) ResultsPage(ctx context.Context, id string, page BallotPage) (*ResultsView, error) {
	r, err := s.Results(ctx, id)
	if err != nil {
		return nil, err
	}
	if page.Limit <= 0 {
		page.Limit = 100
	}
	bs, err := s.PublishedBallots(ctx, id, page)
	if err != nil {
		return nil, err
	}
	v := &ResultsView{Results: r, Ballots: bs, CanManage: s.canManage(ctx, r.Decision) == nil && !r.Decision.Archived()}
	if len(bs) == page.Limit {
		v.Next = bs[len(bs)-1].Fingerprint
	}
	return v, nil
}

// Summary is a closed decision's stored outcome without its count: what
// the API lists.
type Summary struct {
	Decided    bool     `json:"decided"`
	Summary    string   `json:"summary"`
	QuorumMet  bool     `json:"quorum_met"`
	Winners    []string `json:"winners"`
	Turnout    int      `json:"turnout"`
	Electorate int      `json:"electorate"`
	Ballots    int      `json:"ballots"`
	Exhausted  string   `json:"exhausted"`
	Proposal   *struct {
		Outcome string `json:"Outcome"`
	} `json:"proposal"`
}

// Listed is a decision as a list shows it, with its stored outcome once
// closed.
type Listed struct {
	Decision
	Outcome *Summary // nil until closed
}

// ListWithResults is List with each closed decision's stored outcome
// (read in one query) and the number of decisions on every page. Errors: as
// List.
func (s *Service) ListWithResults(ctx context.Context, f ListFilter) ([]Listed, int, error) {
	ok, err := s.scope(ctx, &f)
	if err != nil || !ok {
		return nil, 0, err
	}
	ds, err := listDecisions(ctx, s.db.Q(), f)
	if err != nil {
		return nil, 0, err
	}
	total, err := countDecisions(ctx, s.db.Q(), f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Listed, len(ds))
	var ids []string
	for i, d := range ds {
		out[i].Decision = d
		if d.Closed() {
			ids = append(ids, d.ID)
		}
	}
	sums, err := storedSummaries(ctx, s.db.Q(), ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Outcome = sums[out[i].ID]
	}
	return out, total, nil
}

// storedSummaries reads the outcomes stored at the close, 500 ids a query.
func storedSummaries(ctx context.Context, q db.Querier, ids []string) (map[string]*Summary, error) {
	out := map[string]*Summary{}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := q.Query(ctx, `SELECT id, results FROM decisions WHERE results IS NOT NULL AND id IN (?`+
			strings.Repeat(", ?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("stored results: %w", err)
		}
		for rows.Next() {
			var id, js string
			if err := rows.Scan(&id, &js); err != nil {
				rows.Close()
				return nil, fmt.Errorf("stored results: %w", err)
			}
			var sm Summary
			if err := json.Unmarshal([]byte(js), &sm); err != nil {
				rows.Close()
				return nil, fmt.Errorf("stored results of %s: %w", id, err)
			}
			out[id] = &sm
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("stored results: %w", err)
		}
	}
	return out, nil
}

// GetWithResults is Get with the outcome stored at the close (nil before).
// Errors: as Get.
func (s *Service) GetWithResults(ctx context.Context, id string) (*Listed, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &Listed{Decision: *d}
	if d.Closed() {
		sums, err := storedSummaries(ctx, s.db.Q(), []string{id})
		if err != nil {
			return nil, err
		}
		out.Outcome = sums[id]
	}
	return out, nil
}
