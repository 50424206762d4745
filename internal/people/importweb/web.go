package importweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"path/filepath"

	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the wizard's pages, to register with
// rend.Add(importweb.Templates, "import").
var Templates, _ = fs.Sub(templateFS, "templates")

// DefaultMaxUpload is the largest file the upload form takes: 200 MB holds
// about a million rows of a typical membership export.
const DefaultMaxUpload = 200 << 20

// previewRows is how many rows of the file the mapping step shows.
const previewRows = 10

// GroupChoice is a group someone may import people into.
type GroupChoice struct {
	ID, Name string
}

// Groups lists the groups the signed-in person organises, for the group
// choice of the upload form. app wires the groups capability in with
// SetGroups; without it the form offers no group, so only admins (who
// import network-wide) can use the wizard.
type Groups interface {
	OrganisedGroups(ctx context.Context) ([]GroupChoice, error)
}

// RunLister lists past imports, newest first, a page at a time: runs
// older than the run before (an id; empty for the first page), of one
// group (empty: the whole network, admins only). It is the importer's job
// (peopleio decides who may see which runs); app wires it with SetRuns.
type RunLister interface {
	Runs(ctx context.Context, groupID, before string, limit int) ([]peopleio.Run, error)
}

// Handler serves the import wizard.
type Handler struct {
	imp       *peopleio.Importer
	drafts    *drafts
	rend      *web.Renderer
	groups    Groups
	runs      RunLister
	maxUpload int64
}

// NewHandler returns the wizard's handlers. Uploaded files wait in
// dataDir/import-drafts while their columns and dry run are checked; the
// importer (built with its Jobs) then stores the file, queues the job and
// records the run. The policy must hold peopleio.Rules.
func NewHandler(imp *peopleio.Importer, policy *auth.Policy, rend *web.Renderer, dataDir string) *Handler {
	return &Handler{imp: imp, rend: rend, maxUpload: DefaultMaxUpload,
		drafts: &drafts{dir: filepath.Join(dataDir, "import-drafts"), policy: policy}}
}

// SetGroups plugs in the groups an organiser may import into.
func (h *Handler) SetGroups(g Groups) { h.groups = g }

// SetRuns plugs in the list of past imports; without it /people/imports is
// not found.
func (h *Handler) SetRuns(r RunLister) { h.runs = r }

// SetMaxUpload changes the upload limit in bytes (tests, small servers).
func (h *Handler) SetMaxUpload(n int64) { h.maxUpload = n }

// Routes mounts the wizard under /people/import and the list of past runs
// at /people/imports. /imports/{id} is a draft's column mapping
// until it is imported, then the run's progress.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /people/import", h.signedIn(h.handleUploadForm))
	mux.HandleFunc("POST /people/import", h.signedIn(h.handleUpload))
	mux.HandleFunc("GET /imports/{id}", h.signedIn(h.handleRun))
	mux.HandleFunc("POST /imports/{id}/mapping", h.signedIn(h.handleMapping))
	mux.HandleFunc("GET /imports/{id}/preview", h.signedIn(h.handlePreview))
	mux.HandleFunc("POST /imports/{id}/start", h.signedIn(h.handleStart))
	mux.HandleFunc("GET /people/imports", h.signedIn(h.handleRuns))
}

// signedIn sends anonymous visitors to log in before anything else is
// looked at (a draft or run id says nothing to someone not signed in).
// What a signed-in person may do is the importer's and the policy's call.
func (h *Handler) signedIn(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if auth.PrincipalFrom(r.Context()) == nil {
			h.rend.Error(w, r, errs.E(errs.Unauthorized, "Log in to import people."))
			return
		}
		next(w, r)
	}
}

// runURL is the page of a run.
func runURL(id string) string { return "/imports/" + id }
