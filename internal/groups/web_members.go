package groups

import (
	"fmt"
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

// maxBulkRole bounds one bulk role change: a page of members is 50.
const maxBulkRole = 200

// handleBulkRole serves POST /groups/{slug}/members/roles: the ticked
// members ("person", repeated) get one role. Each change is SetRole's, with
// its checks; it stops at the first refusal, saying how many were changed.
func (h *Handler) handleBulkRole(w http.ResponseWriter, r *http.Request) {
	g, ok := h.group(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.rend.Error(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	people, role := r.PostForm["person"], r.PostForm.Get("role")
	switch {
	case len(people) == 0:
		h.doneMembers(w, r, g, errs.Fields(map[string]string{"person": "Tick the members whose role to change."}), "")
		return
	case len(people) > maxBulkRole:
		h.doneMembers(w, r, g, errs.Fields(map[string]string{"person": fmt.Sprintf("Change at most %d members at once.", maxBulkRole)}), "")
		return
	}
	for i, p := range people {
		if err := h.svc.SetRole(r.Context(), g.ID, p, role); err != nil {
			if i > 0 && len(errs.FieldsOf(err)) == 0 && errs.CodeOf(err) == errs.Conflict {
				err = errs.E(errs.Conflict, "%d of the %d roles were changed, then: %s", i, len(people), errs.MessageOf(err))
			}
			h.doneMembers(w, r, g, err, "")
			return
		}
	}
	msg := "1 role changed."
	if len(people) > 1 {
		msg = fmt.Sprintf("%d roles changed.", len(people))
	}
	h.doneMembers(w, r, g, nil, msg)
}
