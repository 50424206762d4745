package peopleweb

import (
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// listPage is what the people list shows.
type listPage struct {
	People []people.Person
	Count  int
	// Query is the filter as a query string, for the next page, the export
	// and the saved list; NextURL is "" on the last page.
	Query     string
	NextURL   string
	Filter    url.Values
	Groups    []groupChoice
	GroupName string
	Ladder    []string
	Channels  []string
	Statuses  []string
	Failed    bool // the filter was refused: no results to show
	// AllGroups offers "any group" (admins); an organiser's list is always
	// of one of their groups.
	AllGroups bool
	ExportURL string
}

func (h *Handler) handleList(w http.ResponseWriter, r *http.Request) {
	h.renderList(w, r, http.StatusOK, r.URL.Query(), nil)
}

// renderList draws the list for the filter in q; form, when set, carries
// the save-as-list form's input and errors.
func (h *Handler) renderList(w http.ResponseWriter, r *http.Request, status int, q url.Values, form *web.Form) {
	ctx := r.Context()
	choices, err := h.groupChoices(ctx)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	q = withGroup(ctx, q, choices)
	fv := filterValues(q)
	p := listPage{Query: fv.Encode(), Filter: fv, Groups: choices, GroupName: groupName(choices, fv.Get("group")),
		AllGroups: viewerIsAdmin(ctx), ExportURL: "/people/export.csv?" + fv.Encode(),
		Ladder: people.Ladder, Channels: people.Channels,
		Statuses: []string{people.StatusSupporter, people.StatusMember, people.StatusLapsed}}
	if form == nil {
		form = web.NewForm(fv)
	} else {
		for k, v := range fv {
			form.Values[k] = v
		}
	}
	f, err := h.parseFilter(ctx, q)
	var page people.Page
	if err == nil {
		page, err = h.svc.List(ctx, f)
	}
	if err == nil {
		p.Count, err = h.svc.Count(ctx, f)
	}
	if err != nil {
		if !isInput(err) {
			h.rend.Error(w, r, err)
			return
		}
		bad := web.FormWithError(fv, err)
		for k, v := range bad.Errors {
			form.Errors[k] = v
		}
		p.Failed, status = true, http.StatusUnprocessableEntity
	}
	p.People = page.People
	if page.Next != "" {
		next := filterValues(q)
		next.Set("after", page.Next)
		p.NextURL = "/people?" + next.Encode()
	}
	title := "People"
	if p.GroupName != "" {
		title = "People in " + p.GroupName
	}
	h.rend.Page(w, r, status, "people/list", web.Page{Title: title, Data: p, Form: form})
}

// listsPage is the saved lists of the network or of a group.
type listsPage struct {
	Lists     []savedList
	Groups    []groupChoice
	GroupID   string
	GroupName string
}

// savedList is a saved list with the address that opens it.
type savedList struct {
	people.List
	URL string
}

func (h *Handler) handleLists(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	choices, err := h.groupChoices(ctx)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	q := withGroup(ctx, r.URL.Query(), choices)
	groupID := q.Get("group")
	ls, err := h.svc.Lists(ctx, groupID)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := listsPage{Groups: choices, GroupID: groupID, GroupName: groupName(choices, groupID)}
	for _, l := range ls {
		p.Lists = append(p.Lists, savedList{List: l, URL: "/people?" + filterQuery(l.Filter).Encode()})
	}
	h.rend.Page(w, r, http.StatusOK, "people/lists", web.Page{Title: "Saved lists", Data: p})
}

// handleListSave saves the filter posted with the "Save as list" form.
func (h *Handler) handleListSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !h.parseForm(w, r) {
		return
	}
	f, err := h.parseFilter(ctx, r.PostForm)
	if err == nil {
		f.After = ""
		_, err = h.svc.SaveList(ctx, r.PostForm.Get("name"), f)
	}
	if err != nil {
		if isInput(err) {
			h.renderList(w, r, http.StatusUnprocessableEntity, r.PostForm, web.FormWithError(url.Values{"name": {r.PostForm.Get("name")}}, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	target := "/people/lists"
	if g := f.GroupID; g != "" {
		target += "?group=" + url.QueryEscape(g)
	}
	web.Redirect(w, r, target, "The list is saved.")
}
