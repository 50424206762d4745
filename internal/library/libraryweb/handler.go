package libraryweb

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the library's pages, to register with rend.Add(Templates, "library").
var Templates, _ = fs.Sub(templateFS, "templates")

// Handler serves the library's pages.
type Handler struct {
	svc  *library.Service
	rend *web.Renderer
}

// Deps is everything the library's pages need; every field is required.
type Deps struct {
	Library  *library.Service
	Renderer *web.Renderer
}

// NewHandler returns the library's pages, or an error naming what d lacks.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("libraryweb.NewHandler", "Library", d.Library, "Renderer", d.Renderer); err != nil {
		return nil, err
	}
	return &Handler{svc: d.Library, rend: d.Renderer}, nil
}

// Routes mounts the pages under /library, and a group's library at
// /groups/{slug}/library.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /library", h.handleHome)
	mux.HandleFunc("GET /groups/{slug}/library", h.handleGroup)
	mux.HandleFunc("GET /library/f/{id}", h.handleFolder)
	mux.HandleFunc("POST /library/folders", h.handleFolderCreate)
	mux.HandleFunc("GET /library/new", h.handleNew)
	mux.HandleFunc("POST /library/docs", h.handleCreate)
	mux.HandleFunc("GET /library/d/{id}", h.handleDoc)
	mux.HandleFunc("GET /library/d/{id}/edit", h.handleEdit)
	mux.HandleFunc("POST /library/d/{id}", h.handleSave)
	mux.HandleFunc("GET /library/d/{id}/revisions", h.handleRevisions)
	mux.HandleFunc("GET /library/d/{id}/diff", h.handleDiff)
	mux.HandleFunc("POST /library/d/{id}/restore", h.handleRestore)
	mux.HandleFunc("POST /library/d/{id}/delete", h.handleDelete)
	mux.HandleFunc("POST /library/d/{id}/attachments", h.handleAttach)
	mux.HandleFunc("GET /library/a/{id}", h.handleDownload)
	mux.HandleFunc("POST /library/a/{id}/delete", h.handleAttachmentDelete)
	mux.HandleFunc("GET /library/paths", h.handlePaths)
	mux.HandleFunc("POST /library/paths", h.handlePathCreate)
	mux.HandleFunc("GET /library/p/{id}", h.handlePath)
	mux.HandleFunc("POST /library/p/{id}/steps", h.handleStepAdd)
	mux.HandleFunc("POST /library/p/{id}/tick", h.handleTick)
}

// fail re-renders a form's page with its errors beside the fields (422), or
// shows the error page for anything that is not about the input.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error, render func(status int, form *web.Form)) {
	if len(errs.FieldsOf(err)) > 0 {
		render(http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
		return
	}
	h.rend.Error(w, r, err)
}

// number reads a whole number from a form or query field; a missing one
// is 0 when optional.
func number(v, field string, optional bool) (int, error) {
	if v == "" && optional {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1_000_000_000 {
		return 0, errs.Fields(map[string]string{field: "Give a revision number, such as 3."})
	}
	return n, nil
}

// choice is one option of a select.
type choice struct{ Value, Label string }

// choices are a select's options.
type choices []choice

// selectField is what the library-select partial draws.
type selectField struct {
	Form        *web.Form
	Name, Label string
	Choices     choices
}

// For is the select of these choices for a form's field:
// {{template "library-select" (.Visibilities.For $.Form "visibility" "Who can see it")}}.
func (c choices) For(form *web.Form, name, label string) selectField {
	return selectField{Form: form, Name: name, Label: label, Choices: c}
}

// visibilities are the choices of who can see something.
func visibilities(group bool) choices {
	cs := choices{{library.Public, "Everyone, including visitors"}, {library.Members, "The network's members"}}
	if group {
		cs = append(cs, choice{library.Group, "This group's members only"})
	}
	return cs
}

// visibilityLabel is a chip's word for a visibility.
func visibilityLabel(v string) string {
	switch v {
	case library.Public:
		return "public"
	case library.Members:
		return "members"
	}
	return "group only"
}
