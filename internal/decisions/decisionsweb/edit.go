package decisionsweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// handleEdit serves GET /decisions/{id}/edit: the decision's form filled
// in, for amendments while it is a draft or under discussion.
func (h *Handler) handleEdit(w http.ResponseWriter, r *http.Request) {
	d, err := h.svc.Editable(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.editForm(w, r, http.StatusOK, d, web.NewForm(h.formValues(d)))
}

// handleUpdate serves POST /decisions/{id}/edit.
func (h *Handler) handleUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := h.svc.Editable(r.Context(), id)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	r.ParseForm()
	in, err := h.decisionInput(r.PostForm)
	if err == nil {
		if _, err = h.svc.Update(r.Context(), id, in); err == nil {
			web.Redirect(w, r, "/decisions/"+id, "The decision is changed.")
			return
		}
	}
	h.fail(w, r, err, func(code int, form *web.Form) {
		h.editForm(w, r, code, d, form)
	})
}

// editForm renders the new-decision form for changing d.
func (h *Handler) editForm(w http.ResponseWriter, r *http.Request, status int, d *decisions.Decision, form *web.Form) {
	p := newPage{Zone: web.ZoneLabel(h.zone), GroupID: d.GroupID, Kind: string(d.Kind), KindName: decisions.KindName(d.Kind), Methods: decisions.Methods(d.Kind),
		Action: "/decisions/" + d.ID + "/edit", DecisionID: d.ID}
	h.rend.Page(w, r, status, "decisions/new", web.Page{Title: "Change “" + d.Title + "”", Data: p, Form: form})
}

// formValues is d as the form's fields.
func (h *Handler) formValues(d *decisions.Decision) url.Values {
	var lines []string
	for _, o := range d.Options {
		line := o.Label
		if o.Category != "" {
			line += " | " + o.Category
		}
		lines = append(lines, line)
	}
	v := url.Values{"group": {d.GroupID}, "kind": {string(d.Kind)}, "title": {d.Title}, "body": {d.Body}, "topic": {d.Topic},
		"options": {strings.Join(lines, "\n")}, "method": {string(d.Method)}, "seats": {strconv.Itoa(d.Seats)},
		"quorum_percent": {strconv.Itoa(d.QuorumPercent)}, "nomination_threshold": {strconv.Itoa(d.NominationThreshold)},
		"min_rep_category": {d.MinRepresentation.Category}, "required": {fmt.Sprintf("%d/%d", d.Required.Num, d.Required.Den)}}
	if d.MinRepresentation.Seats > 0 {
		v.Set("min_rep_seats", strconv.Itoa(d.MinRepresentation.Seats))
	}
	if d.MaxPoints > 0 {
		v.Set("max_points", strconv.Itoa(d.MaxPoints))
	}
	if !d.Secret {
		v.Set("named", "true")
	}
	if d.Electorate.MembersOnly {
		v.Set("members_only", "true")
	}
	if !d.Electorate.MemberSince.IsZero() {
		v.Set("member_since", d.Electorate.MemberSince.In(h.zone).Format("2006-01-02"))
	}
	if !d.OpensAt.IsZero() {
		v.Set("opens_date", d.OpensAt.In(h.zone).Format("2006-01-02"))
		v.Set("opens_time", d.OpensAt.In(h.zone).Format("15:04"))
	}
	if !d.ClosesAt.IsZero() {
		v.Set("closes_date", d.ClosesAt.In(h.zone).Format("2006-01-02"))
		v.Set("closes_time", d.ClosesAt.In(h.zone).Format("15:04"))
	}
	return v
}
