// Package hal writes Momentum's API responses in the shape OSDI (the Open
// Supporter Data Interface, as Action Network implements it) uses: HAL+JSON
// with `_links`, `_embedded` collections named with curies ("osdi:people",
// "momentum:groups"), page-numbered collections with totals, and the OData
// `filter`/`$filter` subset OSDI clients send. Capabilities build their resources as
// plain maps or structs and hand them to these helpers.
//
// It imports the standard library and platform/web, errs and auth only.
package hal

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/momentum-movement/momentum/internal/platform/web"
)

// MediaType is HAL+JSON.
const MediaType = "application/hal+json"

// Link is one HAL link.
type Link struct {
	Href      string `json:"href"`
	Title     string `json:"title,omitempty"`
	Name      string `json:"name,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// Curies name the link-relation namespaces: OSDI's own resources,
// Action Network's extensions (action_network:custom_fields; issue 14) and
// Momentum's (groups, ballots, meetings…). docsBase is where the docs live
// on this server, e.g. "https://act.example.org/api/docs".
func Curies(docsBase string) []Link {
	return []Link{
		{Name: "osdi", Href: "https://opensupporter.github.io/osdi-docs/{rel}", Templated: true},
		{Name: "action_network", Href: "https://actionnetwork.org/docs/v2/{rel}", Templated: true},
		{Name: "momentum", Href: docsBase + "/{rel}", Templated: true},
	}
}

// Write sends v as HAL+JSON with status.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", MediaType)
	web.JSON(w, status, v)
}

// Page is the paging of a collection request: OSDI's page (from 1) and
// per_page (default 25, at most Max).
type Page struct {
	Number, Size int
}

// MaxPageSize is the largest per_page a client may ask for: 25, as Action
// Network allows (issue 14).
const MaxPageSize = 25

// maxPage is the highest page number read from a query.
const maxPage = 1_000_000

// PageFrom reads page and per_page from the query string, clamped.
func PageFrom(q url.Values) Page {
	p := Page{Number: 1, Size: 25}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		// Clamped so Offset cannot overflow into a negative OFFSET, which
		// PostgreSQL refuses; a page past the last is empty either way.
		p.Number = min(n, maxPage)
	}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		p.Size = min(n, MaxPageSize)
	}
	return p
}

// Offset is the number of records before this page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// Collection is a page of a collection in OSDI's shape.
type Collection struct {
	TotalPages   int            `json:"total_pages"`
	PerPage      int            `json:"per_page"`
	Page         int            `json:"page"`
	TotalRecords int            `json:"total_records"`
	Links        map[string]any `json:"_links"`
	Embedded     map[string]any `json:"_embedded"`
}

// NewCollection builds a collection page. rel is the curied relation
// ("osdi:people"), self the collection's URL (without paging parameters),
// items the embedded resources, total the number of records in the whole
// collection, and curies the namespaces for the links.
func NewCollection(rel string, self *url.URL, p Page, total int, items any, curies []Link) Collection {
	pages := 0
	if p.Size > 0 {
		pages = (total + p.Size - 1) / p.Size
	}
	at := func(n int) string {
		u := *self
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(p.Size))
		u.RawQuery = q.Encode()
		return u.String()
	}
	links := map[string]any{
		"self":   Link{Href: at(p.Number)},
		"curies": curies,
	}
	if p.Number < pages {
		links["next"] = Link{Href: at(p.Number + 1)}
	}
	if p.Number > 1 {
		links["previous"] = Link{Href: at(p.Number - 1)}
	}
	return Collection{TotalPages: pages, PerPage: p.Size, Page: p.Number, TotalRecords: total,
		Links: links, Embedded: map[string]any{rel: items}}
}

// RequestCollection builds the page of a collection that answers r:
// self, next and previous links keep r's other parameters under public
// (the site's address). next is the keyset cursor that starts the
// following page ("" when there is none or it is unknown): the next link
// carries it as after=, so a client that follows next links never makes
// the server skip rows, however deep it goes; a request's own after=
// stays on its self link.
func RequestCollection(public string, r *http.Request, rel string, p Page, total int, items any, next string, curies []Link) Collection {
	self, _ := url.Parse(public + r.URL.Path)
	q := r.URL.Query()
	cursor := q.Get("after")
	q.Del("page")
	q.Del("per_page")
	q.Del("after")
	self.RawQuery = q.Encode()
	c := NewCollection(rel, self, p, total, items, curies)
	withCursor := func(l any, after string) Link {
		link := l.(Link)
		if after == "" {
			return link
		}
		u, _ := url.Parse(link.Href)
		uq := u.Query()
		uq.Set("after", after)
		u.RawQuery = uq.Encode()
		link.Href = u.String()
		return link
	}
	c.Links["self"] = withCursor(c.Links["self"], cursor)
	if l, ok := c.Links["next"]; ok {
		c.Links["next"] = withCursor(l, next)
	}
	return c
}
