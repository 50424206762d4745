package eventsweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

const pageSize = 20

// kindChoice is one option of the kind select.
type kindChoice struct{ Value, Label string }

func kindChoices() []kindChoice {
	out := make([]kindChoice, len(events.Kinds))
	for i, k := range events.Kinds {
		out[i] = kindChoice{k, events.KindLabel(k)}
	}
	return out
}

type listPage struct {
	Kinds     []kindChoice
	Distances []int
	Searched  bool
	Postcode  string
	// issue 16: with no postcode asked, the page opens on what is coming
	// up: near the viewer's home (Home), or across the network (Network).
	Home, Network bool
	Results       []Card
	Total         int
	From, To      int // the results shown, counting from 1
	Prev          string
	Next          string
	Map           *resultsMap // nil: no map (none configured, or nothing to show)
	// Elsewhere is what is coming up across the network when nothing is
	// near the viewer's home.
	Elsewhere []Card
	// Create is where the viewer may make an event ("New event").
	Create []events.EventOwner
}

func (h *Handler) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("within_km") == "" {
		q.Set("within_km", "25")
	}
	p := listPage{Kinds: kindChoices(), Distances: []int{2, 5, 10, 25, 50, 100}, Postcode: q.Get("postcode")}
	shown := q // the form's values: q, or q with the viewer's postcode
	render := func(status int, form *web.Form) {
		title := "Events near you"
		if p.Network {
			title = "Events"
		}
		h.rend.Page(w, r, status, "events/list", web.Page{Title: title, Data: p, Form: form})
	}
	var err error
	if p.Create, err = h.svc.CreatableFor(r.Context()); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	f, ferr := nearFilter(q)
	if q.Get("postcode") == "" {
		var home *events.Home
		if q.Get("everywhere") == "" { // ?everywhere=1: the network, home or not
			if home, err = h.svc.ViewerHome(r.Context()); err != nil {
				h.rend.Error(w, r, err)
				return
			}
		}
		if home == nil {
			h.listNetwork(w, r, &p, q, f, ferr, render)
			return
		}
		f.Point, p.Postcode, p.Home = home.Point, home.Postcode, true
		shown = url.Values{}
		for k, vs := range q {
			shown[k] = vs
		}
		shown.Set("postcode", home.Postcode)
	}
	if ferr != nil {
		render(http.StatusUnprocessableEntity, web.FormWithError(shown, ferr))
		return
	}
	res, total, err := h.svc.Near(r.Context(), f)
	if err != nil {
		if len(errs.FieldsOf(err)) > 0 {
			render(http.StatusUnprocessableEntity, web.FormWithError(shown, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	p.Searched, p.Total = true, total
	evs := make([]events.Event, len(res))
	for i, e := range res {
		c := newCard(&e.Event)
		c.Distance = fmt.Sprintf("%.1f km away", e.DistanceKm)
		p.Results = append(p.Results, c)
		evs[i] = e.Event
	}
	if len(res) > 0 {
		p.From, p.To = f.Offset+1, f.Offset+len(res)
	}
	if p.Home && total == 0 && f.Offset == 0 {
		// Nothing near: what is coming up elsewhere, rather than nothing.
		more, _, err := h.svc.Soonest(r.Context(), events.SoonestFilter{Kinds: f.Kinds, From: f.From, To: f.To, Limit: pageSize})
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		for i := range more {
			p.Elsewhere = append(p.Elsewhere, newCard(&more[i]))
		}
		evs = more
	}
	p.Map = h.resultsMap(evs)
	p.pages(q, f.Offset, len(res), total)
	render(http.StatusOK, web.NewForm(shown))
}

// listNetwork shows what is coming up across the network, soonest first:
// /events for a visitor, or for someone whose home the network does not
// know.
func (h *Handler) listNetwork(w http.ResponseWriter, r *http.Request, p *listPage, q url.Values, f events.NearFilter,
	ferr error, render func(int, *web.Form)) {
	p.Network = true
	if ferr != nil {
		render(http.StatusUnprocessableEntity, web.FormWithError(q, ferr))
		return
	}
	res, total, err := h.svc.Soonest(r.Context(), events.SoonestFilter{Kinds: f.Kinds, From: f.From, To: f.To,
		Offset: f.Offset, Limit: pageSize})
	if err != nil {
		if len(errs.FieldsOf(err)) > 0 {
			render(http.StatusUnprocessableEntity, web.FormWithError(q, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	p.Total = total
	for i := range res {
		p.Results = append(p.Results, newCard(&res[i]))
	}
	if len(res) > 0 {
		p.From, p.To = f.Offset+1, f.Offset+len(res)
	}
	p.Map = h.resultsMap(res)
	p.pages(q, f.Offset, len(res), total)
	render(http.StatusOK, web.NewForm(q))
}

// pages sets the links to the previous and next pages of results.
func (p *listPage) pages(q url.Values, offset, shown, total int) {
	if offset > 0 {
		p.Prev = pageURL(q, max(offset-pageSize, 0))
	}
	if offset+shown < total {
		p.Next = pageURL(q, offset+pageSize)
	}
}

// nearFilter reads the search form; errors name its fields.
func nearFilter(q url.Values) (events.NearFilter, error) {
	f := events.NearFilter{Postcode: q.Get("postcode"), Limit: pageSize}
	bad := map[string]string{}
	if km, err := strconv.ParseFloat(q.Get("within_km"), 64); err != nil || km <= 0 {
		bad["within_km"] = "Choose a distance."
	} else {
		f.WithinKm = km
	}
	if k := q.Get("kind"); k != "" {
		f.Kinds = []string{k}
	}
	day := func(field string) time.Time {
		v := q.Get(field)
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			bad[field] = "Enter a date like 2026-03-09."
		}
		return t
	}
	f.From, f.To = day("from"), day("to")
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // to the end of that day
		if !f.From.IsZero() && !f.To.After(f.From) {
			bad["to"] = "Give a date on or after the first."
		}
	}
	if n, err := strconv.Atoi(q.Get("offset")); err == nil && n > 0 {
		f.Offset = n
	}
	return f, errs.Fields(bad)
}

func pageURL(q url.Values, offset int) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	v.Set("offset", strconv.Itoa(offset))
	return "/events?" + v.Encode()
}
