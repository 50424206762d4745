package peopleweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the people pages, to register with rend.Add(Templates, "people").
var Templates, _ = fs.Sub(templateFS, "templates")

// Locator finds the centre of a UK postcode's district, for the list's
// "near a postcode" filter. It returns geo.ErrUnknownDistrict when no
// centre is known.
type Locator interface {
	Locate(ctx context.Context, postcode string) (geo.District, error)
}

// LocatorFunc lets a function be a Locator; app passes one that calls
// geo.Locate on its database.
type LocatorFunc func(ctx context.Context, postcode string) (geo.District, error)

// Locate calls f.
func (f LocatorFunc) Locate(ctx context.Context, postcode string) (geo.District, error) {
	return f(ctx, postcode)
}

// Handler serves the people pages.
type Handler struct {
	svc    *people.Service
	groups *groups.Service
	rend   *web.Renderer
	locate Locator
	now    func() time.Time
}

// Deps is everything the people pages need; every field is required.
type Deps struct {
	People   *people.Service
	Groups   *groups.Service
	Renderer *web.Renderer
	// Locator answers the list's "near a postcode" filter (app passes
	// geo.Locate on the database).
	Locator Locator
}

// NewHandler returns the people pages, or an error naming every
// collaborator d lacks.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("peopleweb.NewHandler", "People", d.People, "Groups", d.Groups,
		"Renderer", d.Renderer, "Locator", d.Locator); err != nil {
		return nil, err
	}
	return &Handler{svc: d.People, groups: d.Groups, rend: d.Renderer, locate: d.Locator, now: time.Now}, nil
}

// Routes mounts the pages under /people and /admin.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /people", h.handleList)
	mux.HandleFunc("GET /people/export.csv", h.handleExport)
	mux.HandleFunc("GET /people/lists", h.handleLists)
	mux.HandleFunc("POST /people/lists", h.handleListSave)
	mux.HandleFunc("POST /people/bulk/tag", h.handleBulkTag) // issue 16
	mux.HandleFunc("GET /people/new", h.handleNew)
	mux.HandleFunc("POST /people", h.handleCreate)
	mux.HandleFunc("GET /people/duplicates", h.handleDuplicates)
	mux.HandleFunc("POST /people/merge", h.handleMerge)
	mux.HandleFunc("POST /people/duplicates/distinct", h.handleDistinct)
	mux.HandleFunc("GET /people/{id}", h.handleShow)
	mux.HandleFunc("GET /people/{id}/edit", h.handleEdit)
	mux.HandleFunc("POST /people/{id}/edit", h.handleUpdate)
	mux.HandleFunc("POST /people/{id}/membership", h.handleMembership)
	mux.HandleFunc("POST /people/{id}/consent", h.handleConsent)
	mux.HandleFunc("POST /people/{id}/tags", h.handleTag)
	mux.HandleFunc("POST /people/{id}/tags/{tag}/delete", h.handleUntag)
	mux.HandleFunc("POST /people/{id}/notes", h.handleNote)
	mux.HandleFunc("POST /people/{id}/donations", h.handleDonation)
	mux.HandleFunc("GET /admin/fields", h.handleFields)
	mux.HandleFunc("POST /admin/fields", h.handleFieldDefine)
	mux.HandleFunc("GET /admin/retention", h.handleRetention)
}

// isInput reports whether err is about what the person typed, so the form
// is shown again with the error beside its field.
func isInput(err error) bool {
	return len(errs.FieldsOf(err)) > 0 || errs.CodeOf(err) == errs.Invalid
}

// hidden turns the service's refusal of one section of a page into "leave
// it out": the page still shows what the viewer may see.
func hidden(err error) (bool, error) {
	if errs.Is(err, errs.Forbidden) {
		return true, nil
	}
	return false, err
}

// parseForm reads a posted form, rendering the error page when it cannot.
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		h.rend.Error(w, r, errs.E(errs.Invalid, "The form could not be read. Please try again."))
		return false
	}
	return true
}

// groupChoice is a group offered in a select.
type groupChoice struct{ ID, Name string }

// groupChoices are the groups a viewer works with: every group for admins
// (the first 200, by slug), and the groups an organiser organises. It only
// fills selects; the service decides what may be done with each.
func (h *Handler) groupChoices(ctx context.Context) ([]groupChoice, error) {
	if web.ViewerFrom(ctx) == nil {
		return nil, nil
	}
	var out []groupChoice
	if viewerIsAdmin(ctx) {
		gs, err := h.groups.List(ctx, groups.Filter{Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			if !g.Archived() {
				out = append(out, groupChoice{g.ID, g.Name})
			}
		}
		return out, nil
	}
	ms, err := h.groups.MyGroups(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Role == groups.RoleOrganiser && m.Status == groups.MemberActive {
			out = append(out, groupChoice{m.Group.ID, m.Group.Name})
		}
	}
	return out, nil
}

// viewerIsAdmin reports whether the viewer is a network admin. Pages use
// it only to choose what to offer (every group, admins-only notes); the
// service decides what is allowed.
func viewerIsAdmin(ctx context.Context) bool {
	v := web.ViewerFrom(ctx)
	return v != nil && v.IsAdmin
}

// groupName finds a group among the choices ("" when absent).
func groupName(cs []groupChoice, id string) string {
	for _, c := range cs {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}
