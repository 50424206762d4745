package opendata

import (
	"net/http"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/decisions/decisionsweb"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/atom"
	"github.com/momentum-movement/momentum/internal/platform/search"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// groupFeedSize is how many items of each kind a group's feed reads; the
// feed keeps the newest of them all.
const groupFeedSize = 30

// handleGroupFeed serves GET /groups/{slug}/feed.atom: the group's public
// activity, newest first. Public events and public decision records come
// from their services; public threads and documents from the search index,
// asked with an anonymous Scope, so only public items can appear.
func (h *Handler) handleGroupFeed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	g, err := h.d.Groups.GetBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	feed := atom.Feed{ID: atom.UUID(g.ID), Title: g.Name + " · " + h.d.SiteName,
		Self: h.d.BaseURL + "/groups/" + g.Slug + "/feed.atom", Alt: h.d.BaseURL + "/groups/" + g.Slug,
		Author: h.d.SiteName, Updated: g.CreatedAt}
	evs, err := h.d.Events.PublicEvents(ctx, events.PublicFilter{GroupID: g.ID, Recent: true, Limit: groupFeedSize})
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	for _, e := range evs {
		feed.Entries = append(feed.Entries, h.eventEntry(e))
	}
	recs, _, err := h.d.Decisions.Log(ctx, decisions.LogFilter{GroupID: g.ID, PublicOnly: true, Limit: groupFeedSize})
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	for _, rec := range recs {
		feed.Entries = append(feed.Entries, decisionsweb.AtomEntry(h.d.BaseURL, rec))
	}
	docs, err := search.Recent(ctx, h.d.DB.Q(), search.Scope{}, g.ID,
		[]string{search.KindThread, search.KindDocument}, groupFeedSize)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	for _, d := range docs {
		if d.Visibility != search.Public { // the Scope already keeps them out; never trust one line alone
			continue
		}
		feed.Entries = append(feed.Entries, atom.Entry{ID: atom.UUID(d.ID), Title: d.Title, Link: h.d.BaseURL + d.URL,
			Updated: d.At, Published: d.At, Category: d.Kind, Summary: clip(d.Body, 500)})
	}
	slices.SortStableFunc(feed.Entries, func(a, b atom.Entry) int { return b.Updated.Compare(a.Updated) })
	if len(feed.Entries) > groupFeedSize {
		feed.Entries = feed.Entries[:groupFeedSize]
	}
	w.Header().Set("Content-Type", atom.ContentType)
	if err := feed.Write(w); err != nil {
		h.d.Log.Error("group feed", "err", err)
	}
}

func (h *Handler) eventEntry(e events.Event) atom.Entry {
	var sb strings.Builder
	if e.Status == events.Cancelled {
		sb.WriteString("Cancelled. ")
	}
	sb.WriteString(web.DateTime(e.Start, nil)) // issue 16: in the event's zone, said once
	var where []string
	for _, p := range []string{e.Place.Name, e.Place.Address, e.Place.Postcode} {
		if p != "" {
			where = append(where, p)
		}
	}
	if len(where) > 0 {
		sb.WriteString(" at " + strings.Join(where, ", "))
	} else if e.OnlineURL != "" {
		sb.WriteString(", online")
	}
	sb.WriteString(".")
	if e.Description != "" {
		sb.WriteString("\n\n" + clip(e.Description, 500))
	}
	return atom.Entry{ID: atom.UUID(e.ID), Title: e.Title, Link: h.d.BaseURL + "/events/" + e.ID,
		Updated: e.UpdatedAt, Published: e.CreatedAt, Category: "event", Summary: sb.String()}
}

// clip cuts s to n characters, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
