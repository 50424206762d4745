package searchweb

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/search"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the search page, to register with rend.Add(Templates, "search").
var Templates, _ = fs.Sub(templateFS, "templates")

// Handler serves GET /search.
type Handler struct {
	svc  *Service
	rend *web.Renderer
}

// NewHandler returns the search page, or an error naming what is missing.
func NewHandler(svc *Service, rend *web.Renderer) (*Handler, error) {
	if err := hook.Need("searchweb.NewHandler", "Service", svc, "Renderer", rend); err != nil {
		return nil, err
	}
	return &Handler{svc: svc, rend: rend}, nil
}

// Routes mounts the page.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /search", h.handleSearch)
}

// pageSize is hits a page; maxPage keeps pages within the ranked
// candidates.
const (
	pageSize = 20
	maxPage  = search.Candidates / pageSize
	maxGroup = 64
)

// kinds are the kinds the filter offers, with their labels.
var kinds = []struct{ Value, Label string }{
	{search.KindThread, "Discussions"},
	{search.KindComment, "Comments"},
	{search.KindDocument, "Documents"},
	{search.KindDecision, "Decisions"},
	{search.KindEvent, "Events"},
	{search.KindGroup, "Groups"},
	{search.KindAction, "Petitions and forms"}, // issue 14
}

func kindLabel(k string) string {
	switch k {
	case search.KindThread:
		return "Discussion"
	case search.KindComment:
		return "Comment"
	case search.KindDocument:
		return "Document"
	case search.KindDecision:
		return "Decision"
	case search.KindEvent:
		return "Event"
	case search.KindGroup:
		return "Group"
	case search.KindAction: // issue 14
		return "Petition or form"
	}
	return k
}

type kindBox struct {
	Value, Label string
	Checked      bool
}

type groupOption struct {
	ID, Name string
	Selected bool
}

type hitView struct {
	Kind      string
	Title     template.HTML // search.Hit.TitleHTML: escaped text and <mark> only
	URL       string
	Snippet   template.HTML // search.Hit.Snippet: escaped text and <mark> only
	Context   string
	GroupName string
	Date      time.Time
}

type personView struct{ ID, Name string }

type pageData struct {
	Query       string
	Kinds       []kindBox
	Groups      []groupOption
	Searched    bool
	Hits        []hitView
	Total       int
	Capped      bool
	From, To    int
	DidYouMean  string
	DidYouURL   string
	Prev, Next  string
	Filtered    bool // a filter is set (the empty state offers to clear them)
	ClearURL    string
	People      []personView
	PeopleShown bool
}

// parse reads the query string, bounding every field; errors name it.
func parse(v url.Values) (search.Query, int, error) {
	q := search.Query{Limit: pageSize}
	bad := map[string]string{}
	q.Text = strings.TrimSpace(v.Get("q"))
	if r := []rune(q.Text); len(r) > search.MaxQueryChars {
		q.Text = string(r[:search.MaxQueryChars])
	}
	for _, k := range v["kind"] {
		if k == "" {
			continue
		}
		if !slices.ContainsFunc(kinds, func(c struct{ Value, Label string }) bool { return c.Value == k }) {
			bad["kind"] = "Choose kinds from the list."
			break
		}
		if !slices.Contains(q.Kinds, k) {
			q.Kinds = append(q.Kinds, k)
		}
	}
	if g := v.Get("group"); g != "" {
		if len(g) > maxGroup || strings.ContainsAny(g, " \t\r\n") {
			bad["group"] = "Choose a group from the list."
		} else {
			q.GroupID = g
		}
	}
	date := func(name string) time.Time {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil || t.Year() < 1900 || t.Year() > 9000 {
			bad[name] = "Give a date like 2026-03-31."
			return time.Time{}
		}
		return t
	}
	q.From = date("from")
	if to := date("to"); !to.IsZero() {
		q.To = to.AddDate(0, 0, 1) // the whole of the last day
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		bad["to"] = "The end date must be on or after the start date."
	}
	page := 1
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPage {
			bad["page"] = "Choose a page from the links."
		} else {
			page = n
		}
	}
	q.Offset = (page - 1) * pageSize
	return q, page, errs.Fields(bad)
}

func (h *Handler) handleSearch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := r.URL.Query()
	asker, err := h.svc.Asker(ctx)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	q, page, perr := parse(v)
	d := pageData{Query: q.Text}
	for _, k := range kinds {
		d.Kinds = append(d.Kinds, kindBox{k.Value, k.Label, slices.Contains(q.Kinds, k.Value)})
	}
	for _, g := range asker.Groups {
		d.Groups = append(d.Groups, groupOption{g.ID, g.Name, g.ID == q.GroupID})
	}
	if q.GroupID != "" && !slices.ContainsFunc(d.Groups, func(o groupOption) bool { return o.Selected }) {
		name := "The chosen group"
		if g, err := h.svc.groups.Get(ctx, q.GroupID); err == nil {
			name = g.Name
		}
		d.Groups = append(d.Groups, groupOption{q.GroupID, name, true})
	}
	d.Filtered = len(q.Kinds) > 0 || q.GroupID != "" || v.Get("from") != "" || v.Get("to") != ""
	d.ClearURL = "/search?" + url.Values{"q": {q.Text}}.Encode()
	title := "Search"
	if q.Text != "" {
		title = "Search: " + errs.Clip(q.Text, 60)
	}
	render := func(status int, form *web.Form) {
		h.rend.Page(w, r, status, "search/search", web.Page{Title: title, Data: d, Form: form})
	}
	if perr != nil {
		render(http.StatusUnprocessableEntity, web.FormWithError(v, perr))
		return
	}
	if q.Text == "" {
		render(http.StatusOK, web.NewForm(v))
		return
	}
	res, err := h.svc.Search(ctx, asker, q)
	if err != nil {
		if len(errs.FieldsOf(err)) > 0 {
			render(http.StatusUnprocessableEntity, web.FormWithError(v, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	d.Searched, d.Total, d.Capped = true, res.Total, res.Capped
	for _, x := range res.Hits {
		hv := hitView{Kind: kindLabel(x.Kind), Title: template.HTML(x.TitleHTML), URL: x.URL, Snippet: template.HTML(x.Snippet), // search.markup: escaped, <mark> only
			Context: x.Context, GroupName: res.GroupNames[x.GroupID], Date: x.At}
		if x.Kind == search.KindGroup {
			hv.GroupName = ""
		}
		if hv.Title == "" {
			hv.Title = template.HTML(kindLabel(x.Kind)) // a constant label
		}
		d.Hits = append(d.Hits, hv)
	}
	if len(res.Hits) > 0 {
		d.From, d.To = q.Offset+1, q.Offset+len(res.Hits)
	}
	if res.DidYouMean != "" {
		d.DidYouMean = res.DidYouMean
		d.DidYouURL = pageURL(v, "q", res.DidYouMean)
	}
	if page > 1 {
		d.Prev = pageURL(v, "page", strconv.Itoa(page-1))
	}
	if q.Offset+len(res.Hits) < res.Total && page < maxPage {
		d.Next = pageURL(v, "page", strconv.Itoa(page+1))
	}
	d.PeopleShown = res.PeopleShown
	for _, p := range res.People {
		d.People = append(d.People, personView{p.ID, p.Name})
	}
	render(http.StatusOK, web.NewForm(v))
}

// pageURL is the search with one parameter changed (a new q starts again
// at page 1).
func pageURL(v url.Values, key, value string) string {
	c := url.Values{}
	for k, vs := range v {
		c[k] = slices.Clone(vs)
	}
	c.Set(key, value)
	if key == "q" {
		c.Del("page")
	}
	return "/search?" + c.Encode()
}
