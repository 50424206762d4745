package decisionsweb

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/tally"
)

type receiptPage struct {
	ID, Receipt string
	Changed     bool
}

// handleVote serves POST /decisions/{id}/vote: a vote, or with old_receipt
// a change of vote. The form carries a ballot token, never a receipt: the
// server makes the receipt code (a "receipt" field is ignored). Success
// shows the receipt page (not a redirect: the code must never travel in a
// URL); sending the same form again counts once and shows the same code.
func (h *Handler) handleVote(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	id := r.PathValue("id")
	token := strings.TrimSpace(r.PostForm.Get("ballot"))
	old := strings.TrimSpace(r.PostForm.Get("old_receipt"))
	var receipt string
	c, err := choiceFrom(r.PostForm)
	if err == nil {
		if r.PostForm.Has("old_receipt") {
			receipt, err = h.svc.ChangeVote(r.Context(), id, old, token, c)
		} else {
			receipt, err = h.svc.Vote(r.Context(), id, token, c)
		}
	}
	if err != nil {
		if errs.Is(err, errs.Conflict) || len(errs.FieldsOf(err)) > 0 {
			// Show the refusal on the ballot page, the input kept.
			h.show(w, r, http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "decisions/receipt", web.Page{Title: "Your receipt",
		Data: receiptPage{ID: id, Receipt: receipt, Changed: r.PostForm.Has("old_receipt")}})
}

// choiceFrom reads a ballot form of any kind: position and reason
// (proposal), option (poll), approve (approval, meeting time), rank_<pos>
// (ranked: the preference given to each option, blank for none) and
// points_<pos> (score, dot). The service keeps the fields of the
// decision's kind and checks them.
func choiceFrom(f url.Values) (decisions.Choice, error) {
	c := decisions.Choice{Position: tally.Position(f.Get("position")), Reason: f.Get("reason")}
	bad := map[string]string{}
	if v := f.Get("option"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			bad["option"] = "Choose one of the options."
		}
		c.Option = n
	}
	for _, v := range f["approve"] {
		n, err := strconv.Atoi(v)
		if err != nil {
			bad["approve"] = "Approve only options on the ballot."
			break
		}
		c.Approve = append(c.Approve, n)
	}
	type ranked struct{ rank, pos int }
	var ranks []ranked
	seen := map[int]bool{}
	for k, vs := range f {
		pos, ok := strings.CutPrefix(k, "rank_")
		if ok && len(vs) > 0 && strings.TrimSpace(vs[0]) != "" {
			p, perr := strconv.Atoi(pos)
			rk, rerr := strconv.Atoi(strings.TrimSpace(vs[0]))
			switch {
			case perr != nil || rerr != nil || rk < 1:
				bad["ranking"] = "Give each preference as a number: 1 for your first choice."
			case seen[rk]:
				bad["ranking"] = "You gave preference " + strconv.Itoa(rk) + " to two options; give each a different preference."
			}
			seen[rk] = true
			ranks = append(ranks, ranked{rk, p})
		}
		if pos, ok := strings.CutPrefix(k, "points_"); ok && len(vs) > 0 && strings.TrimSpace(vs[0]) != "" {
			p, perr := strconv.Atoi(pos)
			n, nerr := strconv.Atoi(strings.TrimSpace(vs[0]))
			if perr != nil || nerr != nil {
				bad["points"] = "Give points as whole numbers."
				continue
			}
			if c.Points == nil {
				c.Points = map[int]int{}
			}
			c.Points[p] = n
		}
	}
	// Preferences may skip numbers (1, 2, 4): their order is what counts.
	sort.Slice(ranks, func(i, j int) bool { return ranks[i].rank < ranks[j].rank })
	for _, r := range ranks {
		c.Ranking = append(c.Ranking, r.pos)
	}
	return c, errs.Fields(bad)
}
