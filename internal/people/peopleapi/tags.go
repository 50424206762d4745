package peopleapi

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// Tag is an OSDI tag.
type Tag struct {
	Identifiers  []string       `json:"identifiers"`
	OriginSystem string         `json:"origin_system"`
	CreatedDate  string         `json:"created_date,omitempty"`
	ModifiedDate string         `json:"modified_date,omitempty"`
	Name         string         `json:"name"`
	Links        map[string]any `json:"_links"`
}

// Tagging is an OSDI tagging: a tag on a person. Its id is
// "<tag id>_<person id>" (pairID), one part, as its URL uses it.
type Tagging struct {
	Identifiers  []string       `json:"identifiers"`
	OriginSystem string         `json:"origin_system"`
	CreatedDate  string         `json:"created_date,omitempty"`
	ModifiedDate string         `json:"modified_date,omitempty"`
	ItemType     string         `json:"item_type"`
	Links        map[string]any `json:"_links"`
}

func (h *Handler) tagJSON(t people.Tag) Tag {
	return Tag{Identifiers: []string{"momentum:" + t.ID}, OriginSystem: originSystem, Name: t.Name,
		CreatedDate: date(t.CreatedAt), ModifiedDate: date(t.CreatedAt), Links: map[string]any{
			"self":          h.link("/tags/" + t.ID),
			"osdi:taggings": h.link("/tags/" + t.ID + "/taggings"),
			"curies":        h.curies,
		}}
}

func (h *Handler) taggingJSON(t people.Tagging) Tagging {
	id := pairID(t.TagID, t.PersonID)
	return Tagging{Identifiers: []string{"momentum:" + id}, OriginSystem: originSystem, ItemType: "osdi:person",
		CreatedDate: date(t.CreatedAt), ModifiedDate: date(t.CreatedAt), Links: map[string]any{
			"self":        h.link("/tags/" + t.TagID + "/taggings/" + id),
			"osdi:tag":    h.link("/tags/" + t.TagID),
			"osdi:person": h.personLink(t.PersonID),
			"curies":      h.curies,
		}}
}

// handleTagsList serves GET /api/v1/tags (osdi:tags), in id order.
func (h *Handler) handleTagsList(w http.ResponseWriter, r *http.Request) {
	p := hal.PageFrom(r.URL.Query())
	ts, total, err := h.svc.TagsPage(r.Context(), p.Offset(), p.Size)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]Tag, 0, len(ts))
	for _, t := range ts {
		items = append(items, h.tagJSON(t))
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:tags", p, total, items, ""))
}

// tagInput is the body of POST /api/v1/tags.
type tagInput struct {
	Name string `json:"name"`
}

// handleTagCreate serves POST /api/v1/tags: a new tag, or the one of that
// name (tags compare without case). 200 either way, as Action Network.
func (h *Handler) handleTagCreate(w http.ResponseWriter, r *http.Request) {
	var in tagInput
	if err := decodeJSON(w, r, &in); err != nil {
		fail(w, r, err)
		return
	}
	t, created, err := h.svc.CreateTag(r.Context(), in.Name)
	if err != nil {
		fail(w, r, err)
		return
	}
	if created {
		w.Header().Set("Location", h.base+"/tags/"+t.ID)
	}
	hal.Write(w, http.StatusOK, h.tagJSON(*t))
}

// handleTagGet serves GET /api/v1/tags/{id}.
func (h *Handler) handleTagGet(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.TagByID(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.tagJSON(*t))
}

// handleTaggingsList serves GET /api/v1/tags/{id}/taggings (osdi:taggings),
// in person id order.
func (h *Handler) handleTaggingsList(w http.ResponseWriter, r *http.Request) {
	p := hal.PageFrom(r.URL.Query())
	ts, total, err := h.svc.Taggings(r.Context(), r.PathValue("id"), p.Offset(), p.Size)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]Tagging, 0, len(ts))
	for _, t := range ts {
		items = append(items, h.taggingJSON(t))
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:taggings", p, total, items, ""))
}

// taggingInput is the body of POST /api/v1/tags/{id}/taggings.
type taggingInput struct {
	Links struct {
		Person *hal.Link `json:"osdi:person"`
	} `json:"_links"`
}

// handleTaggingCreate serves POST /api/v1/tags/{id}/taggings: puts the tag
// on the person linked as osdi:person. Tagging twice is harmless. 200, as
// Action Network.
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
	t, err := h.svc.TagByID(ctx, r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := h.svc.Tag(ctx, personID, t.Name); err != nil {
		fail(w, r, err)
		return
	}
	tg, err := h.svc.TaggingOf(ctx, t.ID, personID)
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.taggingJSON(*tg))
}

// tagging finds the tagging a URL names: /tags/{id}/taggings/{tagging},
// where the tagging is "<tag>_<person>" (or, as before issue 14, the
// person's id alone).
func (h *Handler) tagging(r *http.Request) (*people.Tagging, error) {
	tagID := r.PathValue("id")
	tag, personID := splitPair(r.PathValue("tagging"))
	if tag != "" && tag != tagID {
		return nil, errs.E(errs.NotFound, "There is no such tagging on this tag.")
	}
	return h.svc.TaggingOf(r.Context(), tagID, personID)
}

// handleTaggingGet serves GET /api/v1/tags/{id}/taggings/{tagging}.
func (h *Handler) handleTaggingGet(w http.ResponseWriter, r *http.Request) {
	tg, err := h.tagging(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.taggingJSON(*tg))
}

// handleTaggingDelete serves DELETE /api/v1/tags/{id}/taggings/{tagging}.
func (h *Handler) handleTaggingDelete(w http.ResponseWriter, r *http.Request) {
	tg, err := h.tagging(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := h.svc.Untag(r.Context(), tg.PersonID, tg.TagName); err != nil {
		fail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, map[string]string{"notice": "This tagging was successfully deleted."})
}

// handlePersonTaggings serves GET /api/v1/people/{id}/taggings: the
// person's taggings, by tag name.
func (h *Handler) handlePersonTaggings(w http.ResponseWriter, r *http.Request) {
	all, err := h.svc.PersonTaggings(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	pg := hal.PageFrom(r.URL.Query())
	from := min(pg.Offset(), len(all))
	items := make([]Tagging, 0, pg.Size)
	for _, t := range all[from:min(from+pg.Size, len(all))] {
		items = append(items, h.taggingJSON(t))
	}
	hal.Write(w, http.StatusOK, h.collection(r, "osdi:taggings", pg, len(all), items, ""))
}
