package peopleapi

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// handlePeopleList serves GET /api/v1/people: a page of people
// (osdi:people), optionally within one group (group_id=, which a group
// token must give) and filtered with filter= (or $filter=) on
// email_address, modified_date and created_date.
func (h *Handler) handlePeopleList(w http.ResponseWriter, r *http.Request) {
	pq, err := parsePeopleQuery(r.URL.Query(), people.Filter{})
	if err != nil {
		fail(w, r, err)
		return
	}
	pg, err := h.findPeople(r.Context(), pq)
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:people", pq.page, pg.total, h.peopleJSON(pg.people), pg.next))
}

// handlePersonGet serves GET /api/v1/people/{id}.
func (h *Handler) handlePersonGet(w http.ResponseWriter, r *http.Request) {
	p, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.personJSON(p))
}

// handlePersonUpdate serves PUT /api/v1/people/{id}: the fields sent
// replace the stored ones, the rest stay (as in Action Network). An
// "unsubscribed" status withdraws consent on that channel; "subscribed"
// grants it with the token's consent wording. Custom field keys not yet
// defined are defined (for those who may define fields).
func (h *Handler) handlePersonUpdate(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	var pi PersonInput
	if err := decodeJSON(w, r, &pi); err != nil {
		fail(w, r, err)
		return
	}
	// The service's Update replaces every field, so the stored person is
	// the base the request's fields are laid on.
	base, err := h.svc.Get(ctx, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	in, err := pi.input(base, "")
	if err != nil {
		fail(w, r, err)
		return
	}
	as, err := statuses(&pi, "")
	var cs []people.Consent
	if err == nil {
		cs, err = consentChanges(base, as, tokenWording(ctx), source(ctx))
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	// One transaction: the fields, the consent and any custom field keys
	// to define are written together or not at all.
	p, err := h.svc.UpdateWith(ctx, id, in, people.UpdateOptions{Consents: cs, DefineFields: true})
	if err != nil {
		fail(w, r, renameFields(err, ""))
		return
	}
	hal.Write(w, http.StatusOK, h.personJSON(p))
}
