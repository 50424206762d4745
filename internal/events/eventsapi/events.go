package eventsapi

import (
	"maps"
	"net/http"
	"net/url"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// handleEventsList serves GET /api/v1/events: a page of the events the
// caller may see (osdi:events), in start order, with $filter on
// modified_date and start_date.
func (h *Handler) handleEventsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := hal.PageFrom(q)
	f, err := parseFilter(q)
	if err != nil {
		fail(w, r, err)
		return
	}
	f.Offset, f.Limit = p.Offset(), p.Size
	es, total, err := h.svc.APIList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]Event, 0, len(es))
	for i := range es {
		items = append(items, h.event(&es[i]))
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:events", p, total, items))
}

// parseFilter reads $filter: modified_date and start_date compared with
// gt, ge, lt or le. Stored times are to the microsecond, so "after t" is
// "from the next microsecond on".
//
// Errors: errs.Invalid naming what is wrong with $filter.
func parseFilter(q url.Values) (events.APIFilter, error) {
	var f events.APIFilter
	param, err := hal.FilterParam(q)
	if err != nil {
		return f, err
	}
	conds, err := hal.ParseFilter(param, "modified_date", "start_date")
	if err != nil {
		return f, err
	}
	for _, c := range conds {
		t, err := c.Time()
		if err != nil {
			return f, err
		}
		since, before := &f.ModifiedSince, &f.ModifiedBefore
		if c.Field == "start_date" {
			since, before = &f.StartSince, &f.StartBefore
		}
		// next is the first stored instant after t.
		next := t.Truncate(time.Microsecond).Add(time.Microsecond)
		// from is the first stored instant at or after t.
		from := t
		if !t.Equal(t.Truncate(time.Microsecond)) {
			from = next
		}
		switch c.Op {
		case "gt":
			*since = latest(*since, next)
		case "ge":
			*since = latest(*since, from)
		case "lt":
			*before = earliest(*before, from)
		case "le":
			*before = earliest(*before, next)
		default:
			return f, errs.E(errs.Invalid, "filter: %s can be compared with gt, ge, lt or le, not %s.", c.Field, c.Op)
		}
	}
	return f, nil
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// earliest is the earlier of two upper bounds, a zero one being none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// handleEventGet serves GET /api/v1/events/{id}.
func (h *Handler) handleEventGet(w http.ResponseWriter, r *http.Request) {
	e, err := h.svc.APIGet(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.event(e))
}

// handleEventCreate serves POST /api/v1/events: a new event in group_id=
// (a group token's own group when none is given), or a network event.
func (h *Handler) handleEventCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var ei EventInput
	if err := decodeJSON(w, r, &ei); err != nil {
		fail(w, r, err)
		return
	}
	groupID := r.URL.Query().Get("group_id")
	if p := auth.PrincipalFrom(ctx); groupID == "" && p.TokenGroupID != "" {
		groupID = p.TokenGroupID
	}
	base := &events.Event{GroupID: groupID}
	in, cancel, err := ei.input(base, h.svc.Zone())
	if err == nil && cancel {
		err = errs.Fields(map[string]string{"status": "A new event is confirmed: leave status out."})
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	e, err := h.svc.Create(ctx, in)
	if err != nil {
		fail(w, r, renameFields(err, ei.fieldNames()))
		return
	}
	// 200, as Action Network answers a create; Location names the event.
	w.Header().Set("Location", h.base+"/events/"+e.ID)
	h.writeEvent(w, r, e.ID, http.StatusOK)
}

// handleEventUpdate serves PUT /api/v1/events/{id}: the fields sent replace
// the stored ones, the rest stay; status "cancelled" cancels the event.
func (h *Handler) handleEventUpdate(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	var ei EventInput
	if err := decodeJSON(w, r, &ei); err != nil {
		fail(w, r, err)
		return
	}
	// Update replaces every field, so the stored event is the base the
	// request's fields are laid on; reading it first also makes an event
	// the token may not see a 404.
	base, err := h.svc.Get(ctx, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	in, cancel, err := ei.input(base, h.svc.Zone())
	if err != nil {
		fail(w, r, err)
		return
	}
	if _, err := h.svc.Update(ctx, id, in); err != nil {
		fail(w, r, renameFields(err, ei.fieldNames()))
		return
	}
	if cancel {
		if err := h.svc.Cancel(ctx, id); err != nil {
			fail(w, r, err)
			return
		}
	}
	h.writeEvent(w, r, id, http.StatusOK)
}

// writeEvent reads the event back, with its shifts, and writes it.
func (h *Handler) writeEvent(w http.ResponseWriter, r *http.Request, id string, status int) {
	e, err := h.svc.APIGet(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, status, h.event(e))
}

// fieldNames maps the service's field names to those the client sent.
func (ei *EventInput) fieldNames() map[string]string {
	m := maps.Clone(apiFields)
	if ei.Audience == nil && ei.Visibility != nil {
		m["visibility"] = "visibility"
	}
	if ei.Title == nil && ei.Name != nil {
		m["title"] = "name"
	}
	return m
}
