package groups

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the groups pages, to register with rend.Add(Templates, "groups").
var Templates, _ = fs.Sub(templateFS, "templates")

// Handler serves the groups pages.
type Handler struct {
	svc  *Service
	rend *web.Renderer
}

// NewHandler returns the groups handlers.
func NewHandler(svc *Service, rend *web.Renderer) *Handler { return &Handler{svc: svc, rend: rend} }

// Routes mounts the pages under /groups.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /groups", h.handleDirectory)
	mux.HandleFunc("GET /groups/near", h.handleNear)
	mux.HandleFunc("GET /groups/new", h.handleNew)
	mux.HandleFunc("POST /groups/new", h.handleCreate)
	mux.HandleFunc("GET /groups/regions", h.handleRegions)
	mux.HandleFunc("POST /groups/regions", h.handleRegionCreate)
	mux.HandleFunc("GET /groups/{slug}", h.handleShow)
	mux.HandleFunc("GET /groups/{slug}/members", h.handleMembers) // issue 16: the members tab
	mux.HandleFunc("GET /groups/{slug}/edit", h.handleEdit)
	mux.HandleFunc("POST /groups/{slug}/edit", h.handleUpdate)
	mux.HandleFunc("POST /groups/{slug}/join", h.handleJoin)
	mux.HandleFunc("POST /groups/{slug}/accept", h.handleAccept)
	mux.HandleFunc("POST /groups/{slug}/leave", h.handleLeave)
	mux.HandleFunc("POST /groups/{slug}/visibility", h.handleVisibility)
	mux.HandleFunc("POST /groups/{slug}/requests/{person}/approve", h.handleDecision(true))
	mux.HandleFunc("POST /groups/{slug}/requests/{person}/reject", h.handleDecision(false))
	mux.HandleFunc("POST /groups/{slug}/invite", h.handleInvite)
	mux.HandleFunc("POST /groups/{slug}/members/{person}/role", h.handleRole)
	mux.HandleFunc("POST /groups/{slug}/members/roles", h.handleBulkRole) // issue 16: ticked members, one role
	mux.HandleFunc("POST /groups/{slug}/archive", h.handleArchive)
	mux.HandleFunc("POST /groups/{slug}/revive", h.handleRevive)
	mux.HandleFunc("POST /groups/{slug}/merge", h.handleMerge)
}

type directoryPage struct {
	Groups   []Group
	Regions  []Region
	Query    string
	Kind     string
	RegionID string
	Next     string
}

func (h *Handler) handleDirectory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := Filter{Text: q.Get("q"), Kind: q.Get("kind"), RegionID: q.Get("region"), After: q.Get("after"), Limit: 50}
	if f.Kind != KindLocal && f.Kind != KindWorking {
		f.Kind = ""
	}
	list, err := h.svc.List(r.Context(), f)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	regions, err := h.svc.Regions(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := directoryPage{Groups: list, Regions: regions, Query: f.Text, Kind: f.Kind, RegionID: f.RegionID}
	if len(list) == f.Limit {
		p.Next = list[len(list)-1].Slug
	}
	h.rend.Page(w, r, http.StatusOK, "groups/directory", web.Page{Title: "Groups", Data: p, Form: web.NewForm(q)})
}

type nearPage struct {
	Postcode string
	Searched bool
	Results  []NearGroup
}

func (h *Handler) handleNear(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := nearPage{Postcode: q.Get("postcode")}
	if !q.Has("postcode") {
		h.rend.Page(w, r, http.StatusOK, "groups/near", web.Page{Title: "Find a group near you", Data: p})
		return
	}
	res, err := h.svc.Nearest(r.Context(), p.Postcode, 5)
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			h.rend.Page(w, r, http.StatusUnprocessableEntity, "groups/near",
				web.Page{Title: "Find a group near you", Data: p, Form: web.FormWithError(q, err)})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	p.Searched, p.Results = true, res
	h.rend.Page(w, r, http.StatusOK, "groups/near", web.Page{Title: "Groups near " + p.Postcode, Data: p, Form: web.NewForm(q)})
}

func (h *Handler) handleShow(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, http.StatusOK, nil)
}

// show renders a group's page; form carries the input and errors of one of
// its forms (invite, role, merge) after a failed POST.
func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	v, err := h.svc.View(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, status, "groups/show", web.Page{Title: v.Group.Name, Data: v, Form: form})
}

// group resolves the {slug} of the path, rendering the error page when it
// names no group.
func (h *Handler) group(w http.ResponseWriter, r *http.Request) (*Group, bool) {
	g, err := h.svc.GetBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return nil, false
	}
	return g, true
}

// done redirects to the group's page with a flash, or shows err: on the
// group's page beside the form's fields when it is about input, otherwise
// as the error page.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, g *Group, err error, flash string) {
	switch {
	case err == nil:
		web.Redirect(w, r, "/groups/"+g.Slug, flash)
	case len(errs.FieldsOf(err)) > 0:
		h.show(w, r, http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
	default:
		h.rend.Error(w, r, err)
	}
}

func (h *Handler) handleJoin(w http.ResponseWriter, r *http.Request) {
	g, ok := h.group(w, r)
	if !ok {
		return
	}
	if web.ViewerFrom(r.Context()) == nil {
		web.SetFlash(w, "info", "Log in or sign up, then join "+g.Name+".")
		http.Redirect(w, r, "/login?next="+url.QueryEscape("/groups/"+g.Slug), http.StatusSeeOther)
		return
	}
	status, err := h.svc.Join(r.Context(), g.ID)
	msg := "Welcome to " + g.Name + "!"
	if status == MemberRequested {
		msg = "Your request to join " + g.Name + " has gone to its organisers."
	}
	h.done(w, r, g, err, msg)
}

func (h *Handler) handleAccept(w http.ResponseWriter, r *http.Request) {
	if g, ok := h.group(w, r); ok {
		h.done(w, r, g, h.svc.AcceptInvite(r.Context(), g.ID), "Welcome to "+g.Name+"!")
	}
}

func (h *Handler) handleLeave(w http.ResponseWriter, r *http.Request) {
	if g, ok := h.group(w, r); ok {
		h.done(w, r, g, h.svc.Leave(r.Context(), g.ID), "You are no longer in "+g.Name+".")
	}
}

func (h *Handler) handleVisibility(w http.ResponseWriter, r *http.Request) {
	g, ok := h.group(w, r)
	if !ok {
		return
	}
	show := r.PostFormValue("show_name") == "true"
	msg := "Other members no longer see your name."
	if show {
		msg = "Other members of " + g.Name + " now see your name."
	}
	h.done(w, r, g, h.svc.SetShowName(r.Context(), g.ID, show), msg)
}
