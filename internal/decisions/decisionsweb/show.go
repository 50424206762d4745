package decisionsweb

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk/talkweb"
)

// ballotOption is one choice on the ballot form.
type ballotOption struct {
	Position           int
	Label, Description string
	Category           string
	// What the voter entered, kept after a refused vote.
	Checked      bool
	Rank, Points string
}

// ballotView is the ballot form: its options in the order BallotForm gave
// them, the preferences a ranked ballot offers, and the ballot token the
// server makes the receipt code from.
type ballotView struct {
	Kind      string
	Options   []ballotOption
	Ranks     []int // 1..N
	MaxPoints int
	Token     string
	// Change asks for the old receipt: they have voted already.
	Change bool
	// Positions are a proposal's choices.
	Positions []position
}

// position is a choice on a proposal's ballot.
type position struct{ Value, Label string }

var positions = []position{{"agree", "Agree"}, {"abstain", "Abstain"}, {"disagree", "Disagree"},
	{"block", "Block (stops the proposal; give your reason)"}}

type showPage struct {
	D                                                       *decisions.Decision
	KindName, StatusText                                    string
	Opens, Closes                                           string
	Electorate                                              string
	Turnout                                                 string
	Live                                                    bool
	Options                                                 []ballotOption
	Nominations                                             []decisions.Nomination
	CanNominate                                             bool
	Ballot                                                  *ballotView
	Reason                                                  string
	SignedIn                                                bool
	CanManage                                               bool
	CanDiscuss, CanOpenNominations, CanWithdraw, CanPublish bool
	HasResults                                              bool
	Discussion                                              *talkweb.Panel // issue 13
}

var statusText = map[decisions.Status]string{
	decisions.StatusDraft:       "Draft: only its author and the group's organisers see it.",
	decisions.StatusDiscussion:  "Under discussion: voting has not opened yet.",
	decisions.StatusNominations: "Taking nominations until voting opens.",
	decisions.StatusVoting:      "Open for voting.",
	decisions.StatusClosed:      "Voting has closed; the results are counted.",
	decisions.StatusPublished:   "Voting has closed; the results are published with an outcome statement.",
	decisions.StatusWithdrawn:   "Withdrawn: there is no vote.",
}

// electorateRule says who may vote, in words.
func (h *Handler) electorateRule(d *decisions.Decision) string {
	var b strings.Builder
	switch {
	case d.Electorate.Scope == decisions.ScopeGroup && d.Electorate.MembersOnly:
		fmt.Fprintf(&b, "Members of the network who are active in %s", d.GroupName)
	case d.Electorate.Scope == decisions.ScopeGroup:
		fmt.Fprintf(&b, "Everyone active in %s, supporters included", d.GroupName)
	case d.Electorate.MembersOnly:
		b.WriteString("Every member of the network")
	default:
		b.WriteString("Everyone in the network, supporters included")
	}
	if !d.Electorate.MemberSince.IsZero() {
		fmt.Fprintf(&b, ", members since %s or earlier", web.Date(d.Electorate.MemberSince, h.zone)) // issue 16
	}
	b.WriteString(".")
	if !d.OpenedAt.IsZero() {
		fmt.Fprintf(&b, " Fixed when voting opened: %d people.", d.ElectorateSize)
	}
	if d.QuorumPercent > 0 {
		fmt.Fprintf(&b, " Quorum: %d%% of them must vote.", d.QuorumPercent)
	}
	if d.Kind == decisions.KindProposal {
		if d.Required == decisions.Majority {
			b.WriteString(" It passes with a simple majority of those agreeing or disagreeing, and no block.")
		} else {
			fmt.Fprintf(&b, " It passes with %d/%d of those agreeing or disagreeing, and no block.", d.Required.Num, d.Required.Den)
		}
	}
	if d.Secret {
		b.WriteString(" Secret ballot: nobody can see how you voted.")
	} else {
		b.WriteString(" Named vote: who voted what is published.")
	}
	return b.String()
}

// handleShow serves GET /decisions/{id}.
func (h *Handler) handleShow(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, http.StatusOK, nil)
}

// show renders a decision's page; form carries the input and errors of one
// of its forms after a failed POST.
func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	v, err := h.svc.Page(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	d := v.Decision
	p := showPage{D: d, KindName: decisions.KindName(d.Kind), StatusText: statusText[d.Status],
		Opens: h.local(d.OpensAt), Closes: h.local(d.ClosesAt), Electorate: h.electorateRule(d),
		Turnout: v.Turnout.String(), Live: d.Status == decisions.StatusVoting,
		Nominations: v.Nominations, CanNominate: v.CanNominate, CanManage: v.CanManage,
		SignedIn: web.ViewerFrom(r.Context()) != nil, HasResults: d.Closed(),
		Discussion: h.discussion(r, d)} // issue 13
	for _, o := range d.Options {
		p.Options = append(p.Options, ballotOption{Position: o.Position, Label: o.Label, Description: o.Description, Category: o.Category})
	}
	if v.CanManage {
		p.CanDiscuss = d.Status == decisions.StatusDraft
		p.CanOpenNominations = d.Kind == decisions.KindElection && (d.Status == decisions.StatusDraft || d.Status == decisions.StatusDiscussion)
		p.CanWithdraw = !d.Closed() && d.Status != decisions.StatusWithdrawn
		p.CanPublish = d.Status == decisions.StatusClosed
	}
	if e := v.Eligibility; e != nil && !e.CanVote {
		p.Reason = e.Reason
	}
	if b := v.Ballot; b != nil {
		bv := &ballotView{Kind: string(d.Kind), MaxPoints: d.MaxPoints, Token: b.Token, Change: v.Eligibility.Voted, Positions: positions}
		for _, o := range b.Options {
			pos := strconv.Itoa(o.Position)
			bv.Options = append(bv.Options, ballotOption{Position: o.Position, Label: o.Label, Description: o.Description,
				Category: o.Category, Checked: form != nil && (slices.Contains(form.Values["approve"], pos) || form.Get("option") == pos),
				Rank: form.Get("rank_" + pos), Points: form.Get("points_" + pos)})
		}
		for i := range b.Options {
			bv.Ranks = append(bv.Ranks, i+1)
		}
		// After a refused vote, keep the token they were given unless the
		// token itself was the problem (sending the form again must not
		// count twice).
		if tok := form.Get("ballot"); tok != "" && form.Error("ballot") == "" {
			bv.Token = tok
		}
		p.Ballot = bv
	}
	h.rend.Page(w, r, status, "decisions/show", web.Page{Title: d.Title, Data: p, Form: form})
}

// handleTurnoutStream serves GET /decisions/{id}/turnout/stream: the live
// turnout, "N of M have voted", to those who may see the decision.
func (h *Handler) handleTurnoutStream(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := h.svc.Turnout(r.Context(), id); err != nil {
		web.JSONError(w, r, err)
		return
	}
	live.ServeSSE(w, r, h.live, decisions.TurnoutTopic(id))
}

type step int

const (
	stepDiscussion step = iota
	stepNominations
	stepWithdraw
)

// handleStep serves the lifecycle buttons: start discussion, open
// nominations, withdraw.
func (h *Handler) handleStep(s step) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		var err error
		var msg string
		switch s {
		case stepDiscussion:
			_, err = h.svc.StartDiscussion(r.Context(), id)
			msg = "The decision is open for discussion. Voting opens at the time set."
		case stepNominations:
			_, err = h.svc.OpenNominations(r.Context(), id)
			msg = "Nominations are open until voting opens."
		case stepWithdraw:
			_, err = h.svc.Withdraw(r.Context(), id)
			msg = "The decision is withdrawn."
		}
		h.done(w, r, err, msg)
	}
}

// done redirects to the decision with a flash, or shows err: beside the
// page's fields when it is about input, otherwise as the error page.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, err error, flash string) {
	switch {
	case err == nil:
		web.Redirect(w, r, "/decisions/"+r.PathValue("id"), flash)
	case len(errs.FieldsOf(err)) > 0:
		h.show(w, r, http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
	default:
		h.rend.Error(w, r, err)
	}
}

// handlePublish serves POST /decisions/{id}/publish with the outcome
// statement.
func (h *Handler) handlePublish(w http.ResponseWriter, r *http.Request) {
	record := decisions.MembersRecord
	if r.PostFormValue("public_record") == "true" {
		record = decisions.PublicRecord
	}
	_, err := h.svc.Publish(r.Context(), r.PathValue("id"), r.PostFormValue("outcome"), record)
	if err == nil {
		web.Redirect(w, r, "/decisions/"+r.PathValue("id")+"/results", "The results are published with your statement.")
		return
	}
	h.done(w, r, err, "")
}

// handleNominate serves POST /decisions/{id}/nominate: oneself, with a
// statement.
func (h *Handler) handleNominate(w http.ResponseWriter, r *http.Request) {
	_, err := h.svc.Nominate(r.Context(), r.PathValue("id"), decisions.NominationInput{
		Statement: r.PostFormValue("statement"), Category: r.PostFormValue("category")})
	h.done(w, r, err, "You are nominated. Members can now second your nomination.")
}

// handleSecond serves POST /decisions/{id}/nominations/{nomination}/second.
func (h *Handler) handleSecond(w http.ResponseWriter, r *http.Request) {
	_, err := h.svc.Second(r.Context(), r.PathValue("id"), r.PathValue("nomination"))
	h.done(w, r, err, "You seconded the nomination.")
}
