package groups

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// handleMembers serves GET /groups/{slug}/members, the members tab (issue
// 16): ?q= searches by name, ?after= pages.
func (h *Handler) handleMembers(w http.ResponseWriter, r *http.Request) {
	h.members(w, r, http.StatusOK, nil)
}

// members renders the members tab; form carries the input and errors of
// one of its forms (invite, role) after a failed POST.
func (h *Handler) members(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	q := r.URL.Query()
	v, err := h.svc.MembersPage(r.Context(), r.PathValue("slug"), q.Get("q"), q.Get("after"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	if form == nil {
		form = web.NewForm(q)
	}
	h.rend.Page(w, r, status, "groups/members", web.Page{Title: "Members of " + v.Group.Name, Data: v, Form: form})
}

// doneMembers is done for the members tab's forms: back to the tab, or
// the tab with the error beside the field.
func (h *Handler) doneMembers(w http.ResponseWriter, r *http.Request, g *Group, err error, flash string) {
	switch {
	case err == nil:
		web.Redirect(w, r, "/groups/"+g.Slug+"/members", flash)
	case len(errs.FieldsOf(err)) > 0:
		h.members(w, r, http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
	default:
		h.rend.Error(w, r, err)
	}
}
