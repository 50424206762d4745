// Package atom writes Atom feeds (RFC 4287) with encoding/xml: the decision
// log's and each group's public activity. It knows nothing of the domain;
// callers give absolute links and stable ids (IDFor: urn:uuid for records
// whose id is a UUID, tag: URIs for the feeds themselves).
package atom

import (
	"encoding/xml"
	"io"
	"net/url"
	"strings"
	"time"
)

// ContentType is the media type feeds are served with.
const ContentType = "application/atom+xml; charset=utf-8"

// Feed is one Atom feed.
type Feed struct {
	ID      string // a permanent IRI: TagID, or urn:uuid:…
	Title   string
	Self    string // the feed's own absolute URL
	Alt     string // the page the feed follows (absolute)
	Author  string // the network's name
	Updated time.Time
	Entries []Entry
}

// Entry is one item of a feed.
type Entry struct {
	ID        string // urn:uuid:<record id>
	Title     string
	Link      string // absolute URL of the item's page
	Updated   time.Time
	Published time.Time // zero: left out
	Category  string    // e.g. "decision", "event": left out when empty
	// Summary is plain text; encoding/xml escapes it.
	Summary string
}

// UUID is the id of an entry for a record whose id is a UUID.
func UUID(id string) string { return "urn:uuid:" + strings.ToLower(id) }

// TagID is a tag: URI (RFC 4151) for a feed of the site at baseURL:
// tag:example.org,2026:decisions/log.
func TagID(baseURL, specific string) string {
	host := "localhost"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "tag:" + host + ",2026:" + specific
}

type xmlFeed struct {
	XMLName xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string     `xml:"id"`
	Title   xmlText    `xml:"title"`
	Updated string     `xml:"updated"`
	Author  *xmlAuthor `xml:"author,omitempty"`
	Links   []xmlLink  `xml:"link"`
	Entries []xmlEntry `xml:"entry"`
}

type xmlText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type xmlAuthor struct {
	Name string `xml:"name"`
}

type xmlLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type xmlCategory struct {
	Term string `xml:"term,attr"`
}

type xmlEntry struct {
	ID        string       `xml:"id"`
	Title     xmlText      `xml:"title"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published,omitempty"`
	Links     []xmlLink    `xml:"link"`
	Category  *xmlCategory `xml:"category,omitempty"`
	Summary   *xmlText     `xml:"summary,omitempty"`
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Write writes the feed as an XML document. A feed's updated time is its
// own Updated, or its newest entry's when that is later (or Updated is
// zero).
func (f *Feed) Write(w io.Writer) error {
	updated := f.Updated
	for _, e := range f.Entries {
		if e.Updated.After(updated) {
			updated = e.Updated
		}
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	x := xmlFeed{ID: f.ID, Title: xmlText{Type: "text", Body: f.Title}, Updated: stamp(updated),
		Links: []xmlLink{{Rel: "self", Type: "application/atom+xml", Href: f.Self}}}
	if f.Alt != "" {
		x.Links = append(x.Links, xmlLink{Rel: "alternate", Type: "text/html", Href: f.Alt})
	}
	if f.Author != "" {
		x.Author = &xmlAuthor{Name: f.Author}
	}
	for _, e := range f.Entries {
		xe := xmlEntry{ID: e.ID, Title: xmlText{Type: "text", Body: e.Title}, Updated: stamp(e.Updated),
			Links: []xmlLink{{Rel: "alternate", Type: "text/html", Href: e.Link}}}
		if !e.Published.IsZero() {
			xe.Published = stamp(e.Published)
		}
		if e.Category != "" {
			xe.Category = &xmlCategory{Term: e.Category}
		}
		if e.Summary != "" {
			xe.Summary = &xmlText{Type: "text", Body: e.Summary}
		}
		x.Entries = append(x.Entries, xe)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(x); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
