package importweb

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"

	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
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
// choice of the upload form (GroupsOf adapts the groups service).
type Groups interface {
	OrganisedGroups(ctx context.Context) ([]GroupChoice, error)
}

// RunLister lists past imports, newest first, a page at a time: runs
// older than the run before (an id; empty for the first page), of one
// group (empty: the whole network, admins only). The importer is one
// (peopleio decides who may see which runs).
type RunLister interface {
	Runs(ctx context.Context, groupID, before string, limit int) ([]peopleio.Run, error)
}

// Deps is everything the wizard needs. Every field is required but
// MaxUpload.
type Deps struct {
	// Importer, built with its Jobs, stores an uploaded file, queues the
	// job and records the run.
	Importer *peopleio.Importer
	// Policy decides who may import where; it must hold peopleio.Rules.
	Policy   *auth.Policy
	Renderer *web.Renderer
	// Groups offers an organiser the groups they may import into; without
	// them only admins could use the wizard, so it is required.
	Groups Groups
	// Runs lists past imports at /people/imports (the importer).
	Runs RunLister
	// DataDir holds uploaded files, in DataDir/import-drafts, while their
	// columns and dry run are checked.
	DataDir string
	// MaxUpload is the largest file the upload form takes, in bytes; 0
	// means DefaultMaxUpload (tests and small servers set less).
	MaxUpload int64
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

// NewHandler returns the wizard's handlers, or an error naming every
// required collaborator d lacks.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("importweb.NewHandler", "Importer", d.Importer, "Policy", d.Policy,
		"Renderer", d.Renderer, "Groups", d.Groups, "Runs", d.Runs); err != nil {
		return nil, err
	}
	if d.DataDir == "" {
		return nil, errors.New("importweb.NewHandler: missing DataDir")
	}
	if d.MaxUpload < 0 {
		return nil, fmt.Errorf("importweb.NewHandler: MaxUpload is %d bytes, want 0 (the default) or more", d.MaxUpload)
	}
	h := &Handler{imp: d.Importer, rend: d.Renderer, groups: d.Groups, runs: d.Runs, maxUpload: d.MaxUpload,
		drafts: &drafts{dir: filepath.Join(d.DataDir, "import-drafts"), policy: d.Policy}}
	if h.maxUpload == 0 {
		h.maxUpload = DefaultMaxUpload
	}
	return h, nil
}

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
