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
	Results   []Card
	Total     int
	From, To  int // the results shown, counting from 1
	Prev      string
	Next      string
	Map       *resultsMap // nil: no map (none configured, or nothing to show)
}

func (h *Handler) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("within_km") == "" {
		q.Set("within_km", "25")
	}
	p := listPage{Kinds: kindChoices(), Distances: []int{2, 5, 10, 25, 50, 100}, Postcode: q.Get("postcode")}
	render := func(status int, form *web.Form) {
		h.rend.Page(w, r, status, "events/list", web.Page{Title: "Events near you", Data: p, Form: form})
	}
	if q.Get("postcode") == "" {
		render(http.StatusOK, web.NewForm(q))
		return
	}
	f, err := nearFilter(q)
	if err != nil {
		render(http.StatusUnprocessableEntity, web.FormWithError(q, err))
		return
	}
	res, total, err := h.svc.Near(r.Context(), f)
	if err != nil {
		if len(errs.FieldsOf(err)) > 0 {
			render(http.StatusUnprocessableEntity, web.FormWithError(q, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	p.Searched, p.Total = true, total
	for _, e := range res {
		c := newCard(&e.Event)
		c.Distance = fmt.Sprintf("%.1f km away", e.DistanceKm)
		p.Results = append(p.Results, c)
	}
	if len(res) > 0 {
		p.From, p.To = f.Offset+1, f.Offset+len(res)
	}
	p.Map = h.resultsMap(res)
	if f.Offset > 0 {
		p.Prev = pageURL(q, max(f.Offset-pageSize, 0))
	}
	if f.Offset+len(res) < total {
		p.Next = pageURL(q, f.Offset+pageSize)
	}
	render(http.StatusOK, web.NewForm(q))
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
