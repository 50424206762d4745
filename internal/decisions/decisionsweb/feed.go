package decisionsweb

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/atom"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// feedSize is how many records a feed carries.
const feedSize = 50

// LogFeed serves the decision log's Atom feed: public records only, since
// feed readers fetch without a session.
type LogFeed struct {
	svc               *decisions.Service
	rend              *web.Renderer
	baseURL, siteName string
}

// NewLogFeed returns the feed of the public decision records; baseURL is
// the site's public address (config.Config.PublicURL), for absolute links.
func NewLogFeed(svc *decisions.Service, rend *web.Renderer, baseURL, siteName string) *LogFeed {
	return &LogFeed{svc: svc, rend: rend, baseURL: strings.TrimRight(baseURL, "/"), siteName: siteName}
}

// Routes mounts GET /decisions/log.atom.
func (f *LogFeed) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /decisions/log.atom", f.handleFeed)
}

// handleFeed serves GET /decisions/log.atom. It asks for public records
// only, whoever asks, so a signed-in reader's feed never holds what a
// reader without a session could not see.
func (f *LogFeed) handleFeed(w http.ResponseWriter, r *http.Request) {
	entries, _, err := f.svc.Log(r.Context(), decisions.LogFilter{PublicOnly: true, Limit: feedSize})
	if err != nil {
		f.rend.Error(w, r, err)
		return
	}
	feed := atom.Feed{ID: atom.TagID(f.baseURL, "decisions/log"), Title: f.siteName + ": decision log",
		Self: f.baseURL + "/decisions/log.atom", Alt: f.baseURL + "/decisions/log", Author: f.siteName}
	for _, e := range entries {
		feed.Entries = append(feed.Entries, AtomEntry(f.baseURL, e))
	}
	w.Header().Set("Content-Type", atom.ContentType)
	if err := feed.Write(w); err != nil {
		f.rend.Error(w, r, err)
	}
}

// AtomEntry is a decision record as a feed entry: its outcome statement and
// results summary in plain text, linked to its results page.
func AtomEntry(baseURL string, e decisions.LogEntry) atom.Entry {
	d := e.Decision
	var sb strings.Builder
	group := d.GroupName
	if group == "" {
		group = "the whole network"
	}
	fmt.Fprintf(&sb, "%s of %s", strings.ToUpper(decisions.KindName(d.Kind)[:1])+decisions.KindName(d.Kind)[1:], group)
	if d.Topic != "" {
		fmt.Fprintf(&sb, " (topic: %s)", d.Topic)
	}
	sb.WriteString(".\n")
	if d.Outcome != "" {
		fmt.Fprintf(&sb, "Outcome: %s\n", d.Outcome)
	}
	if res := e.Result; res != nil {
		if res.Summary != "" {
			fmt.Fprintf(&sb, "Result: %s\n", res.Summary)
		}
		fmt.Fprintf(&sb, "Turnout: %d of %d voted. Counted by %s.\n", res.Turnout, res.Electorate, d.Method)
	}
	updated := d.PublishedAt
	if updated.IsZero() {
		updated = d.ClosedAt
	}
	return atom.Entry{ID: atom.UUID(d.ID), Title: d.Title, Link: baseURL + "/decisions/" + d.ID + "/results",
		Updated: updated, Published: d.ClosedAt, Category: "decision", Summary: strings.TrimSpace(sb.String())}
}
