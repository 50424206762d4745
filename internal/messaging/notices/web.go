package notices

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are this package's pages, to register with
// rend.Add(Templates, "notices").
var Templates, _ = fs.Sub(templateFS, "templates")

// Handler serves the preferences page.
type Handler struct {
	svc  *Service
	rend *web.Renderer
}

// NewHandler returns the preferences handlers.
func NewHandler(svc *Service, rend *web.Renderer) *Handler { return &Handler{svc: svc, rend: rend} }

// Routes mounts /account/notifications.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /account/notifications", h.handlePrefs)
	mux.HandleFunc("POST /account/notifications", h.handlePrefsSave)
}

// prefsPage is what templates/prefs.html reads.
type prefsPage struct {
	Switchable []Pref // one radio group each
	Service    []Kind // listed as always sent
	Modes      []Mode
	DigestTime string // "07:00"
}

func (h *Handler) page(prefs []Pref) prefsPage {
	p := prefsPage{Modes: Modes, DigestTime: fmt.Sprintf("%02d:%02d", h.svc.d.DigestHour, h.svc.d.DigestMinute)}
	for _, pr := range prefs {
		if pr.Kind.Service {
			p.Service = append(p.Service, pr.Kind)
		} else {
			p.Switchable = append(p.Switchable, pr)
		}
	}
	return p
}

// prefsValues are the current modes as form values, keyed by kind.
func prefsValues(prefs []Pref) url.Values {
	v := url.Values{}
	for _, p := range prefs {
		v.Set(p.Kind.Name, string(p.Mode))
	}
	return v
}

func (h *Handler) handlePrefs(w http.ResponseWriter, r *http.Request) {
	prefs, err := h.myPrefs(r)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "notices/prefs",
		web.Page{Title: "Your notifications", Data: h.page(prefs), Form: web.NewForm(prefsValues(prefs))})
}

func (h *Handler) handlePrefsSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	prefs, err := h.myPrefs(r)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.rend.Error(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	// Only the kinds on the page are read; a kind left out keeps its mode.
	modes := map[string]Mode{}
	for _, p := range prefs {
		if v, ok := r.PostForm[p.Kind.Name]; ok && !p.Kind.Service && len(v) > 0 {
			modes[p.Kind.Name] = Mode(v[0])
		}
	}
	personID, err := h.svc.MyPersonID(ctx)
	if err == nil {
		err = h.svc.SavePrefs(ctx, personID, modes)
	}
	if errs.CodeOf(err) == errs.Invalid {
		vals := prefsValues(prefs)
		for k, m := range modes {
			vals.Set(k, string(m))
		}
		h.rend.Page(w, r, http.StatusUnprocessableEntity, "notices/prefs",
			web.Page{Title: "Your notifications", Data: h.page(prefs), Form: web.FormWithError(vals, err)})
		return
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/account/notifications", "Your notification settings are saved.")
}

func (h *Handler) myPrefs(r *http.Request) ([]Pref, error) {
	personID, err := h.svc.MyPersonID(r.Context())
	if err != nil {
		return nil, err
	}
	return h.svc.Prefs(r.Context(), personID)
}
