package peopleweb

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/platform/web"
)

// handleBulkTag tags the people ticked in the list (issue 16), then goes
// back to the same filter, order and page. The form carries the list's
// filter and order as hidden fields; a refused input redraws the list.
func (h *Handler) handleBulkTag(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	n, err := h.svc.TagPeople(r.Context(), r.PostForm["id"], r.PostForm.Get("tag"))
	if err != nil {
		if isInput(err) {
			h.renderList(w, r, http.StatusUnprocessableEntity, r.PostForm,
				web.FormWithError(url.Values{"tag": {r.PostForm.Get("tag")}}, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	o := readOrder(r.PostForm)
	msg := fmt.Sprintf("Tagged %d people.", n)
	if n == 1 {
		msg = "Tagged 1 person."
	}
	web.Redirect(w, r, listURL(filterValues(r.PostForm), o, o.Page), msg)
}
