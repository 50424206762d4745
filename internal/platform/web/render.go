package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

//go:embed templates
var templateFS embed.FS

// RendererOptions configures a Renderer.
type RendererOptions struct {
	// SiteName is shown in the header and page titles.
	SiteName string
	// Assets gives the asset function its URLs; nil loads NewAssets().
	Assets *Assets
	// Zone is the network's time zone: the date and time functions show
	// times in it and say so (FormatFuncs). nil is UTC.
	Zone *time.Location
	// Funcs are extra template functions for domain templates. They are added
	// to every page, so name them for what they do, not for one domain.
	Funcs template.FuncMap
	// Brand is the network's own colour and logo (issue 16); the zero value
	// keeps app.css's colours and shows the name alone.
	Brand Brand
}

// Renderer draws pages: each domain page inside the shared layout.
type Renderer struct {
	log    *slog.Logger
	site   string
	brand  BrandPage // issue 16
	assets *Assets
	base   *template.Template // layout and partials, never executed itself

	mu    sync.RWMutex
	pages map[string]*template.Template
}

// PageData is what every template receives as its dot.
type PageData struct {
	Title     string
	Data      any   // the page's own data
	Form      *Form // nil when the page has no form to redraw
	Viewer    *Viewer
	Flash     *Flash
	RequestID string
	SiteName  string
	Path      string // for marking the current nav link; never logged
	Status    int
	Brand     BrandPage // issue 16: the brand's stylesheet and logo, if any
}

// Page is what a handler passes to Renderer.Page.
type Page struct {
	Title string
	Data  any
	Form  *Form
}

// errorData is the Data of the error page.
type errorData struct {
	Status     int
	StatusText string
	Message    string
}

// NewRenderer parses the shared layout and partials. Domains then register
// their pages with Add.
func NewRenderer(log *slog.Logger, opts RendererOptions) (*Renderer, error) {
	if log == nil {
		log = slog.Default()
	}
	if opts.SiteName == "" {
		opts.SiteName = "Momentum"
	}
	if opts.Assets == nil {
		a, err := NewAssets()
		if err != nil {
			return nil, err
		}
		opts.Assets = a
	}
	var err error
	r := &Renderer{log: log, site: opts.SiteName, assets: opts.Assets, pages: map[string]*template.Template{}}
	zone := opts.Zone
	if zone == nil {
		zone = time.UTC
	}
	if r.brand, err = addBrand(r.assets, opts.Brand); err != nil { // issue 16
		return nil, err
	}
	funcs := template.FuncMap{
		"asset":    r.assets.URL,
		"field":    newField,
		"markdown": Markdown,
		"clip":     errs.Clip, // a value from a user or a file, cut short: {{clip .Header 60}}
	}
	maps.Copy(funcs, FormatFuncs(zone)) // date, datetime, time, number, percent, votes… (format.go)
	maps.Copy(funcs, opts.Funcs)
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	r.base = base
	own, err := fs.Sub(templateFS, "templates/pages")
	if err != nil {
		return nil, err
	}
	if err := r.Add(own, "web"); err != nil {
		return nil, err
	}
	return r, nil
}

// Add registers every *.html file at the top of fsys as a page named
// prefix+"/"+name-without-.html ("events/show"). Files whose name starts with
// "_" are not pages but partials shared by the pages of this fsys. Call Add
// while building the server, before serving.
func (r *Renderer) Add(fsys fs.FS, prefix string) error {
	files, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return err
	}
	var partials, pages []string
	for _, f := range files {
		if strings.HasPrefix(f, "_") {
			partials = append(partials, f)
		} else {
			pages = append(pages, f)
		}
	}
	if len(pages) == 0 {
		return fmt.Errorf("templates %q: no pages found", prefix)
	}
	parsed := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(p, ".html")
		if prefix != "" {
			name = prefix + "/" + name
		}
		t, err := r.base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(fsys, append(partials, p)...); err != nil {
			return fmt.Errorf("parse page %s: %w", name, err)
		}
		parsed[name] = t
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, t := range parsed {
		if _, dup := r.pages[name]; dup {
			return fmt.Errorf("page %s registered twice", name)
		}
		r.pages[name] = t
	}
	return nil
}

// Page renders the named page with status. The flash message, if any, is
// shown and cleared. A rendering failure is logged and becomes the error page,
// since nothing has been written yet.
func (r *Renderer) Page(w http.ResponseWriter, req *http.Request, status int, name string, p Page) {
	noteRoute(req)
	d := r.data(req, status, p)
	d.Flash = takeFlash(w, req)
	if err := r.write(w, status, name, d); err != nil {
		r.Error(w, req, fmt.Errorf("render page %s: %w", name, err))
	}
}

// Error renders err as a page: its code chooses the status (see HTTPStatus)
// and the page shows only errs.MessageOf(err) and the request id. An
// Unauthorized GET is redirected to /login?next=<this page>. Internal errors
// are logged here, once, with the request id.
func (r *Renderer) Error(w http.ResponseWriter, req *http.Request, err error) {
	code := errs.CodeOf(err)
	if code == "" {
		code = errs.Internal
	}
	if code == errs.Unauthorized && (req.Method == http.MethodGet || req.Method == http.MethodHead) {
		noteRoute(req)
		http.Redirect(w, req, "/login?next="+url.QueryEscape(req.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if HTTPStatus(code) == http.StatusInternalServerError {
		logInternal(r.log, req, err)
	}
	r.errorPage(w, req, code, errs.MessageOf(err))
}

// StatusHandler answers every request with the error page for code and
// message, without logging: use it for CrossOrigin's refusal
// (errs.Forbidden) and Recover's fallback (errs.Internal, whose message is
// always the generic one).
func (r *Renderer) StatusHandler(code errs.Code, message string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.errorPage(w, req, code, errs.MessageOf(&errs.Error{Code: code, Message: message}))
	})
}

// NotFound renders the 404 page. Register it as the mux's catch-all
// ("/") so unknown paths get the site's page rather than Go's plain text.
func (r *Renderer) NotFound(w http.ResponseWriter, req *http.Request) {
	r.errorPage(w, req, errs.NotFound, "We could not find that page. It may have moved, or the link may be mistyped.")
}

func (r *Renderer) errorPage(w http.ResponseWriter, req *http.Request, code errs.Code, message string) {
	noteRoute(req)
	status := HTTPStatus(code)
	d := r.data(req, status, Page{
		Title: http.StatusText(status),
		Data:  errorData{Status: status, StatusText: http.StatusText(status), Message: message},
	})
	// The flash is left for the next successful page.
	if err := r.write(w, status, "web/error", d); err != nil {
		logInternal(r.log, req, fmt.Errorf("render error page: %w", err))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "%d %s\n%s\nRequest id: %s\n", status, http.StatusText(status), message, d.RequestID)
	}
}

func (r *Renderer) data(req *http.Request, status int, p Page) PageData {
	return PageData{
		Title:     p.Title,
		Data:      p.Data,
		Form:      p.Form,
		Viewer:    ViewerFrom(req.Context()),
		RequestID: RequestID(req.Context()),
		SiteName:  r.site,
		Path:      req.URL.Path,
		Status:    status,
		Brand:     r.brand,
	}
}

// write executes a page into a buffer first, so a template error never
// leaves half a page on the wire.
func (r *Renderer) write(w http.ResponseWriter, status int, name string, d PageData) error {
	r.mu.RLock()
	t, ok := r.pages[name]
	r.mu.RUnlock()
	if !ok {
		return fmt.Errorf("no page named %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", d); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		// Pages hold personal data: shared caches must not keep them.
		h.Set("Cache-Control", "private, no-cache")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes()) // an error here means the client went away
	return nil
}

// Assets returns the static files the renderer links to, for mounting their
// handler: mux.Handle("GET /static/{file}", rend.Assets().Handler()).
func (r *Renderer) Assets() *Assets { return r.assets }
