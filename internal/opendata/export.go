package opendata

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
)

type format int

const (
	csvFormat format = iota
	jsonFormat
)

// Decision is one public decision record in the export. Field names are
// part of the published format: add, never rename.
type Decision struct {
	ID             string                   `json:"id"`
	Title          string                   `json:"title"`
	Group          string                   `json:"group"` // "" for network-wide
	Topic          string                   `json:"topic"`
	Kind           string                   `json:"kind"`
	Method         string                   `json:"method"`
	OpenedAt       string                   `json:"opened_at"` // RFC 3339, UTC
	ClosedAt       string                   `json:"closed_at"`
	ElectorateSize int                      `json:"electorate_size"`
	Turnout        int                      `json:"turnout"`
	Outcome        string                   `json:"outcome_statement"`
	Summary        string                   `json:"result_summary"`
	Winners        []string                 `json:"winners"`
	Results        []decisions.OptionResult `json:"results"` // per option where the count is simple; else empty
	URL            string                   `json:"url"`
}

// Event is one public event in the export.
type Event struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Group     string `json:"group"` // "" for a network event
	Kind      string `json:"kind"`
	Start     string `json:"start"` // RFC 3339 with the event's own offset
	End       string `json:"end"`
	TimeZone  string `json:"time_zone"`
	PlaceName string `json:"place_name"`
	Address   string `json:"address"`
	Postcode  string `json:"postcode"`
	OnlineURL string `json:"online_url"`
	Status    string `json:"status"`
	// Capacity and PlacesLeft are what the public page shows (places
	// left); null when the event has no limit.
	Capacity   *int   `json:"capacity"`
	PlacesLeft *int   `json:"places_left"`
	URL        string `json:"url"`
}

var decisionHeader = []string{"id", "title", "group", "topic", "kind", "method", "opened_at", "closed_at",
	"electorate_size", "turnout", "outcome_statement", "result_summary", "winners", "results", "url"}

func (d Decision) row() []string {
	var res []string
	for _, o := range d.Results {
		res = append(res, o.Option+": "+o.Votes)
	}
	return []string{d.ID, d.Title, d.Group, d.Topic, d.Kind, d.Method, d.OpenedAt, d.ClosedAt,
		strconv.Itoa(d.ElectorateSize), strconv.Itoa(d.Turnout), d.Outcome, d.Summary,
		strings.Join(d.Winners, "; "), strings.Join(res, "; "), d.URL}
}

var eventHeader = []string{"id", "title", "group", "kind", "start", "end", "time_zone", "place_name", "address",
	"postcode", "online_url", "status", "capacity", "places_left", "url"}

func (e Event) row() []string {
	num := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	return []string{e.ID, e.Title, e.Group, e.Kind, e.Start, e.End, e.TimeZone, e.PlaceName, e.Address,
		e.Postcode, e.OnlineURL, e.Status, num(e.Capacity), num(e.PlacesLeft), e.URL}
}

// Cell guards a CSV cell against formula injection: a spreadsheet runs a
// cell that starts with = + - @ (or a tab or carriage return, which some
// strip first), so such a cell gets a leading apostrophe.
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// writer streams rows as CSV (with a header) or as a JSON array.
type writer struct {
	f     format
	buf   *bufio.Writer
	csv   *csv.Writer
	n     int
	wrote bool
}

func newWriter(w http.ResponseWriter, f format, name string, header []string) (*writer, error) {
	out := &writer{f: f, buf: bufio.NewWriterSize(w, 32<<10)}
	w.Header().Set("Cache-Control", "public, max-age=300")
	if f == csvFormat {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		out.csv = csv.NewWriter(out.buf)
		return out, out.csv.Write(header)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := out.buf.WriteString("[")
	return out, err
}

func (w *writer) write(item any, row []string) error {
	w.wrote = true
	if w.f == csvFormat {
		for i := range row {
			row[i] = Cell(row[i])
		}
		return w.csv.Write(row)
	}
	js, err := json.Marshal(item)
	if err != nil {
		return err
	}
	if w.n > 0 {
		if _, err := w.buf.WriteString(",\n"); err != nil {
			return err
		}
	} else {
		w.buf.WriteString("\n")
	}
	w.n++
	_, err = w.buf.Write(js)
	return err
}

func (w *writer) close() error {
	if w.f == csvFormat {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	} else if _, err := w.buf.WriteString("\n]\n"); err != nil {
		return err
	}
	return w.buf.Flush()
}

// handleDecisions serves /open-data/decisions.csv and .json: every public
// decision record, newest close first, read a page at a time.
func (h *Handler) handleDecisions(f format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		out, err := newWriter(w, f, "decisions", decisionHeader)
		if err == nil {
			err = h.d.Decisions.EachPublicRecord(r.Context(), func(e decisions.LogEntry) error {
				d := h.decision(e)
				return out.write(d, d.row())
			})
		}
		h.finish(w, r, out, err)
	}
}

// finish ends a streamed export; an error before anything was written is
// the error page, after it only the log (the status is sent).
func (h *Handler) finish(w http.ResponseWriter, r *http.Request, out *writer, err error) {
	if err == nil {
		err = out.close()
	}
	if err == nil {
		return
	}
	if !out.wrote { // nothing but the header is buffered, and nothing sent
		w.Header().Del("Content-Disposition")
		h.d.Renderer.Error(w, r, err)
		return
	}
	h.d.Log.Error("open data export failed", "err", err, "path", r.URL.Path)
}

func (h *Handler) decision(e decisions.LogEntry) Decision {
	d := e.Decision
	out := Decision{ID: d.ID, Title: d.Title, Group: d.GroupName, Topic: d.Topic, Kind: string(d.Kind),
		Method: string(d.Method), OpenedAt: stamp(d.OpenedAt), ClosedAt: stamp(d.ClosedAt),
		ElectorateSize: d.ElectorateSize, Turnout: d.Turnout, Outcome: d.Outcome, Winners: []string{},
		Results: []decisions.OptionResult{}, URL: h.d.BaseURL + "/decisions/" + d.ID + "/results"}
	if res := e.Result; res != nil {
		out.Summary = res.Summary
		if res.Winners != nil {
			out.Winners = res.Winners
		}
		if res.Options != nil {
			out.Results = res.Options
		}
	}
	return out
}

// handleEvents serves /open-data/events.csv and .json: every public event,
// by start, a page at a time.
func (h *Handler) handleEvents(f format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		out, err := newWriter(w, f, "events", eventHeader)
		names := groupNames{h: h, ctx: r.Context(), names: map[string]string{}}
		for page := 0; err == nil; page++ {
			var evs []events.Event
			evs, err = h.d.Events.PublicEvents(r.Context(), events.PublicFilter{Offset: page * 500, Limit: 500})
			for _, e := range evs {
				if err != nil {
					break
				}
				var ev Event
				if ev, err = h.event(e, &names); err == nil {
					err = out.write(ev, ev.row())
				}
			}
			if len(evs) < 500 {
				break
			}
		}
		h.finish(w, r, out, err)
	}
}

func (h *Handler) event(e events.Event, names *groupNames) (Event, error) {
	group, err := names.of(e.GroupID)
	if err != nil {
		return Event{}, err
	}
	out := Event{ID: e.ID, Title: e.Title, Group: group, Kind: e.Kind, Start: e.Start.Format(time.RFC3339),
		End: e.End.Format(time.RFC3339), TimeZone: e.TimeZone, PlaceName: e.Place.Name, Address: e.Place.Address,
		Postcode: e.Place.Postcode, OnlineURL: e.OnlineURL, Status: e.Status, URL: h.d.BaseURL + "/events/" + e.ID}
	if e.Capacity > 0 {
		c, left := e.Capacity, max(e.Capacity-e.Accepted, 0)
		out.Capacity, out.PlacesLeft = &c, &left
	}
	return out, nil
}

// groupNames looks groups' names up once each.
type groupNames struct {
	h     *Handler
	ctx   context.Context
	names map[string]string
}

func (g *groupNames) of(id string) (string, error) {
	if id == "" {
		return "", nil
	}
	if n, ok := g.names[id]; ok {
		return n, nil
	}
	grp, err := g.h.d.Groups.Get(g.ctx, id)
	if err != nil {
		return "", fmt.Errorf("group of event: %w", err)
	}
	g.names[id] = grp.Name
	return grp.Name, nil
}
