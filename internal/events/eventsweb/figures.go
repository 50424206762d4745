package eventsweb

import (
	"net/http"
	"net/url"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// figuresPage is the mobilisation figures: tables by group, kind and month.
type figuresPage struct {
	GroupID string
	Figures *events.Figures
	Tables  []figuresTable
	// Create is "New event" for these figures' group or network, when the
	// viewer may make one there (issue 16).
	Create *events.EventOwner
}

type figuresTable struct {
	ID, Title, Key string // Key heads the first column
	Rows           []events.FigureRow
}

// handleFigures shows how events turned people out: the network's for
// admins, one group's (?group=ID) for its organisers, over the last twelve
// months unless from and to say otherwise.
func (h *Handler) handleFigures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := events.FiguresFilter{GroupID: q.Get("group")}
	bad := map[string]string{}
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
	if f.From.IsZero() {
		now := time.Now().UTC()
		f.From = time.Date(now.Year()-1, now.Month(), 1, 0, 0, 0, 0, time.UTC)
		if q.Get("from") == "" {
			q.Set("from", f.From.Format("2006-01-02"))
		}
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1)
	}
	p := figuresPage{GroupID: f.GroupID}
	render := func(status int, form *web.Form) {
		title := "Mobilisation figures"
		if p.Figures != nil && f.GroupID != "" && len(p.Figures.ByGroup) == 1 {
			title += ": " + p.Figures.ByGroup[0].Label
		}
		h.rend.Page(w, r, status, "events/figures", web.Page{Title: title, Data: p, Form: form})
	}
	if len(bad) > 0 {
		render(http.StatusUnprocessableEntity, web.FormWithError(q, errs.Fields(bad)))
		return
	}
	fig, err := h.svc.Figures(r.Context(), f)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p.Figures = fig
	owners, err := h.svc.CreatableFor(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	for i := range owners {
		if owners[i].GroupID == f.GroupID {
			p.Create = &owners[i]
		}
	}
	if f.GroupID == "" {
		p.Tables = append(p.Tables, figuresTable{"by-group", "By group", "Group", fig.ByGroup})
	}
	p.Tables = append(p.Tables,
		figuresTable{"by-kind", "By kind of event", "Kind", fig.ByKind},
		figuresTable{"by-month", "By month", "Month", fig.ByMonth})
	render(http.StatusOK, web.NewForm(url.Values(q)))
}
