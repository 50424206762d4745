package peopleapi

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// List is an OSDI list: a saved filter of the people list, whose items
// are the people matching it now.
type List struct {
	Identifiers []string       `json:"identifiers"`
	Name        string         `json:"name"`
	CreatedDate string         `json:"created_date,omitempty"`
	Links       map[string]any `json:"_links"`
}

// Item is one person on a list.
type Item struct {
	Identifiers []string       `json:"identifiers"`
	Links       map[string]any `json:"_links"`
}

func (h *Handler) listJSON(l *people.List) List {
	links := map[string]any{
		"self":       h.link("/lists/" + l.ID),
		"osdi:items": h.link("/lists/" + l.ID + "/items"),
		"curies":     h.curies,
	}
	if l.GroupID != "" {
		links["momentum:group"] = h.link("/groups/" + l.GroupID)
	}
	return List{Identifiers: []string{"momentum:" + l.ID}, Name: l.Name, CreatedDate: date(l.CreatedAt), Links: links}
}

// handleListsList serves GET /api/v1/lists (osdi:lists): the network's
// lists, or with group_id= a group's (a group token must give its group).
func (h *Handler) handleListsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ls, err := h.svc.Lists(r.Context(), q.Get("group_id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	p := hal.PageFrom(q)
	from := min(p.Offset(), len(ls))
	items := make([]List, 0, p.Size)
	for i := from; i < min(from+p.Size, len(ls)); i++ {
		items = append(items, h.listJSON(&ls[i]))
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:lists", p, len(ls), items, ""))
}

// handleListGet serves GET /api/v1/lists/{id}.
func (h *Handler) handleListGet(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.ListByID(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.listJSON(l))
}

// handleListItems serves GET /api/v1/lists/{id}/items (osdi:items): the
// people matching the list's filter, a page at a time.
func (h *Handler) handleListItems(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l, err := h.svc.ListByID(ctx, r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	q := r.URL.Query()
	pq := peopleQuery{filter: l.Filter, page: hal.PageFrom(q), after: q.Get("after")}
	pg, err := h.findPeople(ctx, pq)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]Item, 0, len(pg.people))
	for _, p := range pg.people {
		items = append(items, Item{Identifiers: []string{"momentum:" + l.ID + ":" + p.ID}, Links: map[string]any{
			"osdi:person": h.personLink(p.ID),
			"osdi:list":   h.link("/lists/" + l.ID),
		}})
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:items", pq.page, pg.total, items, pg.next))
}
