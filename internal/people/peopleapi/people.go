package peopleapi

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// handlePeopleList serves GET /api/v1/people: a page of people
// (osdi:people), optionally within one group (group_id=, which a group
// token must give) and filtered with $filter on email_address and
// modified_date.
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

// handlePersonCreate serves POST /api/v1/people: a new person (source
// "api"), in group_id= when given (a group token must give its group).
// An address someone already has is a 409; the signup helper matches
// instead.
func (h *Handler) handlePersonCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var pi PersonInput
	if err := decodeJSON(w, r, &pi); err != nil {
		fail(w, r, err)
		return
	}
	in, err := pi.input(nil, "")
	if err != nil {
		fail(w, r, err)
		return
	}
	in.Source, in.SourceDetail, in.GroupID = people.SourceAPI, tokenName(ctx), r.URL.Query().Get("group_id")
	// A new person has no consent to withdraw, and granting needs the
	// wording: this only refuses "subscribed" without it.
	as, err := statuses(&pi, "")
	if err == nil {
		_, err = consentChanges(nil, as, "", source(ctx))
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	p, err := h.svc.Create(ctx, in)
	if err != nil {
		fail(w, r, renameFields(err, ""))
		return
	}
	w.Header().Set("Location", h.base+"/people/"+p.ID)
	hal.Write(w, http.StatusCreated, h.personJSON(p))
}

// handlePersonUpdate serves PUT /api/v1/people/{id}: the fields sent
// replace the stored ones, the rest stay (as in Action Network). An
// "unsubscribed" status withdraws consent on that channel.
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
		cs, err = consentChanges(base, as, "", source(ctx))
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	p, err := h.svc.Update(ctx, id, in)
	if err != nil {
		fail(w, r, renameFields(err, ""))
		return
	}
	if len(cs) > 0 {
		if err := h.recordConsent(ctx, id, cs); err != nil {
			fail(w, r, err)
			return
		}
		if p, err = h.svc.Get(ctx, id); err != nil {
			fail(w, r, err)
			return
		}
	}
	hal.Write(w, http.StatusOK, h.personJSON(p))
}
