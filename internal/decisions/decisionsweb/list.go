package decisionsweb

import (
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// listItem is a decision as the list shows it.
type listItem struct {
	ID, Title, Kind, Group, When string
}

// listSection is the decisions of one status.
type listSection struct {
	Title string
	Items []listItem
}

type listPage struct {
	GroupID string
	// Archived is when the group was archived (zero: it is not): no new
	// decisions then.
	Archived time.Time
	Group    string
	Sections []listSection
}

// sectionOrder is the order, and the headings, of the list's sections.
var sectionOrder = []struct {
	status decisions.Status
	title  string
}{
	{decisions.StatusVoting, "Open for voting"},
	{decisions.StatusNominations, "Taking nominations"},
	{decisions.StatusDiscussion, "Under discussion"},
	{decisions.StatusDraft, "Drafts"},
	{decisions.StatusPublished, "Results published"},
	{decisions.StatusClosed, "Closed, results awaiting publication"},
	{decisions.StatusWithdrawn, "Withdrawn"},
}

// handleList serves GET /decisions: the signed-in person's groups' and the
// network's decisions, or one group's (?group=ID), by status.
func (h *Handler) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := decisions.ListFilter{GroupID: q.Get("group"), Mine: q.Get("group") == "", Limit: 200}
	ds, err := h.svc.List(r.Context(), f)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := listPage{GroupID: f.GroupID}
	if p.Archived, err = h.svc.GroupArchivedAt(r.Context(), f.GroupID); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	by := map[decisions.Status][]listItem{}
	for _, d := range ds {
		it := listItem{ID: d.ID, Title: d.Title, Kind: decisions.KindName(d.Kind), Group: d.GroupName}
		if it.Group == "" {
			it.Group = "Whole network"
		}
		switch d.Status {
		case decisions.StatusVoting:
			it.When = "closes " + h.local(d.ClosesAt)
		case decisions.StatusDiscussion, decisions.StatusNominations:
			it.When = "voting opens " + h.local(d.OpensAt)
		case decisions.StatusClosed, decisions.StatusPublished:
			it.When = "closed " + h.local(d.ClosesAt)
		}
		by[d.Status] = append(by[d.Status], it)
		if f.GroupID != "" {
			p.Group = d.GroupName
		}
	}
	for _, s := range sectionOrder {
		if len(by[s.status]) > 0 {
			p.Sections = append(p.Sections, listSection{Title: s.title, Items: by[s.status]})
		}
	}
	title := "Decisions"
	if p.Group != "" {
		title = "Decisions of " + p.Group
	}
	h.rend.Page(w, r, http.StatusOK, "decisions/list", web.Page{Title: title, Data: p})
}
