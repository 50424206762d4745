package peopleapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// Tag is an OSDI tag.
type Tag struct {
	Identifiers []string       `json:"identifiers"`
	Name        string         `json:"name"`
	Links       map[string]any `json:"_links"`
}

// Tagging is an OSDI tagging: a tag on a person.
type Tagging struct {
	Identifiers []string       `json:"identifiers"`
	Links       map[string]any `json:"_links"`
}

func (h *Handler) tagJSON(t people.Tag) Tag {
	return Tag{Identifiers: []string{"momentum:" + t.ID}, Name: t.Name, Links: map[string]any{
		"self":          h.link("/tags/" + t.ID),
		"osdi:taggings": h.link("/tags/" + t.ID + "/taggings"),
		"curies":        h.curies,
	}}
}

func (h *Handler) taggingJSON(tagID, personID string) Tagging {
	return Tagging{Identifiers: []string{"momentum:" + tagID + ":" + personID}, Links: map[string]any{
		"self":        h.link("/tags/" + tagID + "/taggings/" + personID),
		"osdi:tag":    h.link("/tags/" + tagID),
		"osdi:person": h.personLink(personID),
	}}
}

// tags returns every tag (the service lists at most 1,000; admins and
// network tokens only).
func (h *Handler) tags(ctx context.Context) ([]people.Tag, error) { return h.svc.ListTags(ctx) }

// tag finds one tag by id among them.
func (h *Handler) tag(ctx context.Context, id string) (*people.Tag, error) {
	ts, err := h.tags(ctx)
	if err != nil {
		return nil, err
	}
	for i := range ts {
		if ts[i].ID == id {
			return &ts[i], nil
		}
	}
	return nil, errs.E(errs.NotFound, "There is no such tag.")
}

// handleTagsList serves GET /api/v1/tags (osdi:tags).
func (h *Handler) handleTagsList(w http.ResponseWriter, r *http.Request) {
	ts, err := h.tags(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	p := hal.PageFrom(r.URL.Query())
	from := min(p.Offset(), len(ts))
	items := make([]Tag, 0, p.Size)
	for _, t := range ts[from:min(from+p.Size, len(ts))] {
		items = append(items, h.tagJSON(t))
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:tags", p, len(ts), items, ""))
}

// handleTagGet serves GET /api/v1/tags/{id}.
func (h *Handler) handleTagGet(w http.ResponseWriter, r *http.Request) {
	t, err := h.tag(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.tagJSON(*t))
}

// handleTaggingsList serves GET /api/v1/tags/{id}/taggings: the people
// with the tag, a page at a time (osdi:taggings).
func (h *Handler) handleTaggingsList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := h.tag(ctx, r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	q := r.URL.Query()
	pq := peopleQuery{filter: people.Filter{Tags: []string{t.Name}}, page: hal.PageFrom(q), after: q.Get("after")}
	pg, err := h.findPeople(ctx, pq)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]Tagging, 0, len(pg.people))
	for _, p := range pg.people {
		items = append(items, h.taggingJSON(t.ID, p.ID))
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:taggings", pq.page, pg.total, items, pg.next))
}

// taggingInput is the body of POST /api/v1/tags/{id}/taggings.
type taggingInput struct {
	Links struct {
		Person *hal.Link `json:"osdi:person"`
	} `json:"_links"`
}

// handleTaggingCreate serves POST /api/v1/tags/{id}/taggings: puts the tag
// on the person linked as osdi:person. Tagging twice is harmless.
func (h *Handler) handleTaggingCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var in taggingInput
	if err := decodeJSON(w, r, &in); err != nil {
		fail(w, r, err)
		return
	}
	var personID string
	if in.Links.Person != nil {
		personID, _ = personIDFromHref(in.Links.Person.Href)
	}
	if personID == "" {
		fail(w, r, errs.Fields(map[string]string{"_links.osdi:person.href": "Link the person to tag, like .../api/v1/people/<id>."}))
		return
	}
	t, err := h.tag(ctx, r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := h.svc.Tag(ctx, personID, t.Name); err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusCreated, h.taggingJSON(t.ID, personID))
}

// handleTaggingDelete serves DELETE /api/v1/tags/{id}/taggings/{person}.
func (h *Handler) handleTaggingDelete(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := h.tag(ctx, r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := h.svc.Untag(ctx, r.PathValue("person"), t.Name); err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, map[string]string{"notice": "The tag was removed from this person."})
}

// handlePersonTaggings serves GET /api/v1/people/{id}/taggings: the
// person's tags as taggings.
func (h *Handler) handlePersonTaggings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := h.svc.Get(ctx, r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	ts, err := h.tags(ctx)
	if err != nil {
		fail(w, r, err)
		return
	}
	var all []Tagging
	for _, t := range ts {
		for _, name := range p.Tags {
			if strings.EqualFold(name, t.Name) {
				all = append(all, h.taggingJSON(t.ID, p.ID))
				break
			}
		}
	}
	pg := hal.PageFrom(r.URL.Query())
	from := min(pg.Offset(), len(all))
	items := append([]Tagging{}, all[from:min(from+pg.Size, len(all))]...)
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:taggings", pg, len(all), items, ""))
}
