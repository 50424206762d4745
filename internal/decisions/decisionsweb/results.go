package decisionsweb

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/decisions/roundchart"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/tally"
)

// roundCell is one candidate's vote in one round.
type roundCell struct {
	Votes  string
	Change string // "+12.5" or "−3" against the round before, "" for none
	Status string // elected, defeated, or ""
}

// roundRow is one candidate across the rounds.
type roundRow struct {
	Name  string
	Cells []roundCell
}

// roundTable is the count as a table: candidates × rounds.
type roundTable struct {
	Rounds    []int
	Quotas    []string // per round, "" when the method has none
	HasQuota  bool
	Rows      []roundRow
	Exhausted []string
	Events    []roundEvents
}

// roundEvents is what happened in one round, in words.
type roundEvents struct {
	Round  int
	Events []string
}

type ballotLine struct {
	Fingerprint string
	Choice      string
	Voter       string
}

type resultsPage struct {
	D          *decisions.Decision
	KindName   string
	Summary    string
	Outcome    string // the outcome statement
	Turnout    string
	Ballots    int
	Exhausted  string
	Ties       []string
	Table      *roundTable
	Chart      template.HTML
	Proposal   *tally.ConsensusResult
	Named      []ballotLine
	Published  []ballotLine
	Next       string
	Download   string
	Closed     string
	CanPublish bool
}

// handleResults serves GET /decisions/{id}/results[?after=fingerprint].
func (h *Handler) handleResults(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, err := h.svc.ResultsPage(r.Context(), id, decisions.BallotPage{After: r.URL.Query().Get("after")})
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	d := v.Decision
	p := resultsPage{D: d, KindName: decisions.KindName(d.Kind), Summary: v.Summary, Outcome: d.Outcome,
		Turnout: fmt.Sprintf("%s of %s voted (%s)", web.Number(v.Turnout), web.Number(v.Electorate), percent(v.Turnout, v.Electorate)),
		Ballots: v.Outcome.Ballots, Exhausted: web.Votes(v.Exhausted), Ties: v.Ties, Proposal: v.Proposal, Next: v.Next,
		Closed: h.local(d.ClosesAt), CanPublish: v.CanManage && d.Status == decisions.StatusClosed,
		Download: "/decisions/" + d.ID + "/ballots.csv"}
	if d.Ranked() {
		p.Download = "/decisions/" + d.ID + "/ballots.blt"
	}
	opts := roundchart.Options{ID: "count", Poll: d.Kind != decisions.KindElection}
	switch {
	case v.Count != nil:
		err = countView(&p, v.Count, opts)
	case v.Proposal != nil:
		p.Chart, err = roundchart.RenderProposal(v.Proposal, opts)
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	for _, n := range v.Named {
		p.Named = append(p.Named, ballotLine{Voter: n.Name, Choice: describe(d, n.Choice)})
	}
	for _, b := range v.Ballots {
		p.Published = append(p.Published, ballotLine{Fingerprint: b.Fingerprint, Choice: describe(d, b.Choice), Voter: b.Voter})
	}
	h.rend.Page(w, r, http.StatusOK, "decisions/results", web.Page{Title: "Results: " + d.Title, Data: p, Form: web.NewForm(r.URL.Query())})
}

// countView sets the page's round-by-round table and its chart from a
// count: the same rounds, numbered from 1, and the same figures to the
// digit.
func countView(p *resultsPage, res *tally.Result, opts roundchart.Options) (err error) {
	p.Table = table(res)
	p.Chart, err = roundchart.Render(res, opts)
	return err
}

// percent is n of "of", rounded, "—" of nobody (issue 16: web.Percent).
func percent(n, of int) string { return web.Percent(n, of) }

// table lays the count out as candidates × rounds with each round's
// change, the quota and the exhausted value. Rounds are numbered from 1
// and every figure is written by tally.FormatVotes at the count's own
// places, as the chart above the table and the CLI write them.
func table(res *tally.Result) *roundTable {
	t := &roundTable{}
	places := res.Places()
	for _, r := range res.Rounds {
		t.Rounds = append(t.Rounds, r.Number)
		q := ""
		if !r.Quota.IsZero() {
			q, t.HasQuota = tally.FormatVotes(r.Quota, places), true
		}
		t.Quotas = append(t.Quotas, q)
		t.Exhausted = append(t.Exhausted, tally.FormatVotes(r.Exhausted, places))
		var evs []string
		for _, e := range r.Events {
			if e.Detail != "" {
				evs = append(evs, e.Detail)
			}
		}
		if len(evs) > 0 {
			t.Events = append(t.Events, roundEvents{Round: r.Number, Events: evs})
		}
	}
	for c, name := range res.Candidates {
		row := roundRow{Name: name}
		for i, r := range res.Rounds {
			cell := roundCell{}
			if c < len(r.Tallies) {
				cell.Votes = tally.FormatVotes(r.Tallies[c], places)
				if i > 0 && c < len(res.Rounds[i-1].Tallies) {
					cell.Change = tally.FormatChange(res.Rounds[i-1].Tallies[c], r.Tallies[c], places)
				}
			}
			if c < len(r.Status) && (r.Status[c] == tally.Elected || r.Status[c] == tally.Defeated) {
				cell.Status = string(r.Status[c])
			}
			row.Cells = append(row.Cells, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// describe says what a ballot holds, with the options' labels.
func describe(d *decisions.Decision, c decisions.Choice) string {
	label := func(pos int) string {
		for _, o := range d.Options {
			if o.Position == pos {
				return o.Label
			}
		}
		return "option " + strconv.Itoa(pos)
	}
	var parts []string
	switch d.Kind {
	case decisions.KindProposal:
		s := string(c.Position)
		if c.Reason != "" {
			s += ": " + c.Reason
		}
		return s
	case decisions.KindPoll:
		return label(c.Option)
	case decisions.KindApproval, decisions.KindMeetingTime:
		for _, p := range c.Approve {
			parts = append(parts, label(p))
		}
		if len(parts) == 0 {
			return "(approved none)"
		}
		return strings.Join(parts, ", ")
	case decisions.KindRanked, decisions.KindElection:
		for i, p := range c.Ranking {
			parts = append(parts, strconv.Itoa(i+1)+". "+label(p))
		}
		return strings.Join(parts, ", ")
	}
	keys := make([]int, 0, len(c.Points))
	for p := range c.Points {
		keys = append(keys, p)
	}
	slices.Sort(keys)
	for _, p := range keys {
		parts = append(parts, label(p)+": "+strconv.Itoa(c.Points[p]))
	}
	if len(parts) == 0 {
		return "(no points)"
	}
	return strings.Join(parts, ", ")
}

type checkPage struct {
	D       *decisions.Decision
	Receipt string
	Found   *ballotLine
}

// handleCheck serves GET /decisions/{id}/check?receipt=…: the receipt
// checker.
func (h *Handler) handleCheck(w http.ResponseWriter, r *http.Request) {
	id, code := r.PathValue("id"), r.URL.Query().Get("receipt")
	b, err := h.svc.FindBallot(r.Context(), id, code)
	if err != nil {
		if errs.Is(err, errs.Invalid) || errs.Is(err, errs.NotFound) && code != "" {
			// Not found here means no ballot has the code (the decision
			// itself was found): say so beside the field.
			f := web.FormWithError(r.URL.Query(), err)
			if errs.Is(err, errs.NotFound) {
				f.Errors["receipt"] = errs.MessageOf(err)
			}
			d, gerr := h.svc.Get(r.Context(), id)
			if gerr != nil {
				h.rend.Error(w, r, gerr)
				return
			}
			status := http.StatusUnprocessableEntity
			if errs.Is(err, errs.NotFound) {
				status = http.StatusNotFound
			}
			h.rend.Page(w, r, status, "decisions/check", web.Page{Title: "Check your ballot", Data: checkPage{D: d, Receipt: code}, Form: f})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	d, err := h.svc.Get(r.Context(), id)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "decisions/check", web.Page{Title: "Check your ballot",
		Data: checkPage{D: d, Receipt: code, Found: &ballotLine{Fingerprint: b.Fingerprint, Choice: describe(d, b.Choice), Voter: b.Voter}},
		Form: web.NewForm(r.URL.Query())})
}

// handleBallots serves the anonymised ballots: BLT for ranked decisions,
// CSV for every kind.
func (h *Handler) handleBallots(blt bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		var buf bytes.Buffer
		var err error
		ext, ctype := "csv", "text/csv; charset=utf-8"
		if blt {
			ext, ctype = "blt", "text/plain; charset=utf-8"
			err = h.svc.BallotsBLT(r.Context(), id, &buf)
		} else {
			err = h.svc.BallotsCSV(r.Context(), id, &buf)
		}
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="ballots-`+id+`.`+ext+`"`)
		w.Write(buf.Bytes())
	}
}
