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
	// Query is the filter as a query string, for the export, the message
	// and the saved list.
	Query string
	// issue 16: the order, the numbered pages and "From–To of Count".
	Headers  []sortHeader
	Pages    []pageLink
	PrevURL  string
	NextURL  string // "" on the last page
	From, To int
	Notice   string
	// Order is the order and page as hidden fields for the bulk form.
	Order url.Values
	// FilterOpen opens the filter panel on phones (it is always shown on
	// wide screens): only when the filter was refused, so that a phone's
	// first screen is the results. FilterInUse says a filter is applied.
	FilterOpen, FilterInUse bool
	Filter                  url.Values
	Groups                  []groupChoice
	GroupName               string
	Ladder                  []string
	Channels                []string
	Statuses                []string
	Failed                  bool // the filter was refused: no results to show
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
	o := readOrder(q)
	p.Notice = o.Notice
	p.Headers = headers(fv, o)
	p.FilterInUse = len(fv) > 0 && !(len(fv) == 1 && fv.Get("group") != "" && !viewerIsAdmin(ctx))
	f, err := h.parseFilter(ctx, q)
	f.Limit = listPageSize
	if err == nil {
		p.Count, err = h.svc.Count(ctx, f)
	}
	pages := max(1, (p.Count+listPageSize-1)/listPageSize)
	if o.Page > pages {
		o.Page = pages
	}
	if err == nil {
		p.People, err = h.svc.ListSorted(ctx, f, o.Sort, o.Desc, (o.Page-1)*listPageSize)
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
	p.FilterOpen = p.Failed
	if n := len(p.People); n > 0 {
		p.From = (o.Page-1)*listPageSize + 1
		p.To = p.From + n - 1
	}
	p.Order = o.values(o.Page)
	p.Pages = pageLinks(fv, o, pages)
	if o.Page > 1 {
		p.PrevURL = listURL(fv, o, o.Page-1)
	}
	if o.Page < pages {
		p.NextURL = listURL(fv, o, o.Page+1)
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
