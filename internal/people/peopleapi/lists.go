package peopleapi

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// List is an OSDI list: a saved filter of the people list, whose items
// are the people matching it now. The same saved filters are Action
// Network's queries (Query).
type List struct {
	Identifiers  []string       `json:"identifiers"`
	OriginSystem string         `json:"origin_system"`
	Name         string         `json:"name"`
	Title        string         `json:"title"`
	CreatedDate  string         `json:"created_date,omitempty"`
	ModifiedDate string         `json:"modified_date,omitempty"`
	Links        map[string]any `json:"_links"`
}

// Item is one person on a list. Its id is "<list id>_<person id>".
type Item struct {
	Identifiers  []string `json:"identifiers"`
	OriginSystem string   `json:"origin_system"`
	// CreatedDate and ModifiedDate are the person's: a list here is a
	// saved filter, so an item is as old as the record it finds (issue 14).
	CreatedDate  string         `json:"created_date"`
	ModifiedDate string         `json:"modified_date"`
	ItemType     string         `json:"item_type"`
	Links        map[string]any `json:"_links"`
}

// Query is Action Network's saved query: here a saved filter of the people
// list, read-only, its people at the list's items link.
type Query struct {
	Identifiers  []string       `json:"identifiers"`
	OriginSystem string         `json:"origin_system"`
	Name         string         `json:"name"`
	CreatedDate  string         `json:"created_date,omitempty"`
	ModifiedDate string         `json:"modified_date,omitempty"`
	Links        map[string]any `json:"_links"`
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
	return List{Identifiers: []string{"momentum:" + l.ID}, OriginSystem: originSystem, Name: l.Name, Title: l.Name,
		CreatedDate: date(l.CreatedAt), ModifiedDate: date(l.CreatedAt), Links: links}
}

func (h *Handler) queryJSON(l *people.List) Query {
	links := map[string]any{
		"self":       h.link("/queries/" + l.ID),
		"osdi:items": h.link("/lists/" + l.ID + "/items"),
		"curies":     h.curies,
	}
	if l.GroupID != "" {
		links["momentum:group"] = h.link("/groups/" + l.GroupID)
	}
	return Query{Identifiers: []string{"momentum:" + l.ID}, OriginSystem: originSystem, Name: l.Name,
		CreatedDate: date(l.CreatedAt), ModifiedDate: date(l.CreatedAt), Links: links}
}

func (h *Handler) itemJSON(listID string, p *people.Person) Item {
	personID := p.ID
	id := pairID(listID, personID)
	return Item{Identifiers: []string{"momentum:" + id}, OriginSystem: originSystem, ItemType: "osdi:person",
		CreatedDate: date(p.CreatedAt), ModifiedDate: date(p.UpdatedAt),
		Links: map[string]any{
			"self":        h.link("/lists/" + listID + "/items/" + id),
			"osdi:person": h.personLink(personID),
			"osdi:list":   h.link("/lists/" + listID),
			"curies":      h.curies,
		}}
}

// savedLists serves a page of the saved filters (at most 500, held in
// memory) as rel, each written by write.
func (h *Handler) savedLists(w http.ResponseWriter, r *http.Request, rel string, write func(*people.List) any) {
	q := r.URL.Query()
	ls, err := h.svc.Lists(r.Context(), q.Get("group_id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	p := hal.PageFrom(q)
	from := min(p.Offset(), len(ls))
	items := make([]any, 0, p.Size)
	for i := from; i < min(from+p.Size, len(ls)); i++ {
		items = append(items, write(&ls[i]))
	}
	hal.Write(w, http.StatusOK, h.collection(r, rel, p, len(ls), items, ""))
}

// handleListsList serves GET /api/v1/lists (osdi:lists): the network's
// lists, or with group_id= a group's (a group token must give its group).
func (h *Handler) handleListsList(w http.ResponseWriter, r *http.Request) {
	h.savedLists(w, r, "osdi:lists", func(l *people.List) any { return h.listJSON(l) })
}

// handleQueriesList serves GET /api/v1/queries (osdi:queries): the saved
// filters, as Action Network's queries.
func (h *Handler) handleQueriesList(w http.ResponseWriter, r *http.Request) {
	h.savedLists(w, r, "osdi:queries", func(l *people.List) any { return h.queryJSON(l) })
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

// handleQueryGet serves GET /api/v1/queries/{id}.
func (h *Handler) handleQueryGet(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.ListByID(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.queryJSON(l))
}

// handleListItems serves GET /api/v1/lists/{id}/items (osdi:items): the
// people matching the list's filter, a page at a time (keyset underneath).
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
	for i := range pg.people {
		items = append(items, h.itemJSON(l.ID, &pg.people[i]))
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:items", pq.page, pg.total, items, pg.next))
}

// handleListItem serves GET /api/v1/lists/{id}/items/{item}: the item when
// the person matches the list's filter now.
func (h *Handler) handleListItem(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l, err := h.svc.ListByID(ctx, r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	list, personID := splitPair(r.PathValue("item"))
	if (list != "" && list != l.ID) || personID == "" {
		fail(w, r, errs.E(errs.NotFound, "There is no such item on this list."))
		return
	}
	p, err := h.svc.Get(ctx, personID)
	if err != nil {
		fail(w, r, err)
		return
	}
	on, err := h.svc.Matches(ctx, l.Filter, p.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	if !on {
		fail(w, r, errs.E(errs.NotFound, "This person is not on this list."))
		return
	}
	hal.Write(w, http.StatusOK, h.itemJSON(l.ID, p))
}
