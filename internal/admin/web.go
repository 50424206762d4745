package admin

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the console's pages, to register with rend.Add(Templates, "admin").
var Templates, _ = fs.Sub(templateFS, "templates")

// Handler serves the console's pages.
type Handler struct {
	svc  *Service
	rend *web.Renderer
}

// NewHandler returns the console's handlers.
func NewHandler(svc *Service, rend *web.Renderer) *Handler { return &Handler{svc: svc, rend: rend} }

// Routes mounts the console under /admin.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin", h.handleOverview)
	mux.HandleFunc("GET /admin/users", h.handleUsers)
	mux.HandleFunc("POST /admin/users/{id}/role", h.handleSetRole)
	mux.HandleFunc("GET /admin/audit", h.handleAudit)
	mux.HandleFunc("GET /admin/outbox", h.handleOutbox)
	mux.HandleFunc("GET /admin/outbox/{id}", h.handleMail)
	mux.HandleFunc("GET /admin/jobs", h.handleJobs)
	mux.HandleFunc("POST /admin/jobs/{id}/retry", h.handleJobRetry)
	mux.HandleFunc("POST /admin/jobs/{id}/cancel", h.handleJobCancel)
	mux.HandleFunc("POST /admin/jobs/ping", h.handleJobPing)
	mux.HandleFunc("POST /admin/announce", h.handleAnnounce)
	mux.HandleFunc("GET /admin/tokens", h.handleTokens)
	mux.HandleFunc("POST /admin/tokens", h.handleTokenCreate)
	mux.HandleFunc("POST /admin/tokens/{id}/revoke", h.handleTokenRevoke)
	mux.HandleFunc("GET /admin/styleguide", h.handleStyleguide) // issue 16: the design system
}

func (h *Handler) handleOverview(w http.ResponseWriter, r *http.Request) {
	o, err := h.svc.Overview(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "admin/overview", web.Page{Title: "Admin", Data: o})
}

type usersPage struct {
	Users  []auth.User
	Query  string
	Role   string
	Roles  []auth.Role
	Next   string
	Filter bool
}

func (h *Handler) handleUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := auth.UserFilter{Query: q.Get("q"), Role: auth.Role(q.Get("role")), Before: q.Get("before"), Limit: 50}
	users, err := h.svc.Users(r.Context(), f)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := usersPage{Users: users, Query: f.Query, Role: string(f.Role),
		Roles: []auth.Role{auth.RoleAdmin, auth.RoleMember, auth.RoleSupporter}}
	if len(users) == f.Limit {
		p.Next = users[len(users)-1].ID
	}
	h.rend.Page(w, r, http.StatusOK, "admin/users", web.Page{Title: "Accounts", Data: p})
}

func (h *Handler) handleSetRole(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.rend.Error(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	if err := h.svc.SetRole(r.Context(), r.PathValue("id"), auth.Role(r.PostForm.Get("role"))); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/users", "Role changed.")
}

type auditPage struct {
	Entries []audit.Entry
	Filter  audit.Filter
	Since   string
	Next    string
}

func (h *Handler) handleAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := audit.Filter{ActorID: q.Get("actor"), Action: q.Get("action"), TargetType: q.Get("target_type"),
		TargetID: q.Get("target"), RequestID: q.Get("request"), Before: q.Get("before"), Limit: 50}
	p := auditPage{Since: q.Get("since")}
	if p.Since != "" {
		t, err := time.Parse("2006-01-02", p.Since)
		if err != nil {
			form := web.NewForm(q)
			form.Errors = map[string]string{"since": "Use a date like 2026-11-26."}
			h.rend.Page(w, r, http.StatusBadRequest, "admin/audit", web.Page{Title: "Audit log", Data: p, Form: form})
			return
		}
		f.Since = t
	}
	entries, err := h.svc.Audit(r.Context(), f)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p.Entries, p.Filter = entries, f
	if len(entries) == f.Limit {
		p.Next = entries[len(entries)-1].ID
	}
	h.rend.Page(w, r, http.StatusOK, "admin/audit", web.Page{Title: "Audit log", Data: p, Form: web.NewForm(q)})
}

type outboxPage struct {
	Mail        []mail.Stored
	OutboxMode  bool
	Status, To  string
	Next        string
	StatusNames []string
}

func (h *Handler) handleOutbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := mail.OutboxFilter{Status: q.Get("status"), To: q.Get("to"), Before: q.Get("before"), Limit: 50}
	list, err := h.svc.Outbox(r.Context(), f)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := outboxPage{Mail: list, OutboxMode: h.svc.OutboxMode(), Status: f.Status, To: f.To,
		StatusNames: []string{"kept", "queued", "sending", "sent", "failed"}}
	if len(list) == f.Limit {
		p.Next = list[len(list)-1].ID
	}
	h.rend.Page(w, r, http.StatusOK, "admin/outbox", web.Page{Title: "Mail outbox", Data: p})
}

// mailPage is one message, and whether its links are shown (development
// outbox only).
type mailPage struct {
	Mail       *mail.Stored
	OutboxMode bool
}

func (h *Handler) handleMail(w http.ResponseWriter, r *http.Request) {
	m, err := h.svc.Mail(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "admin/mail", web.Page{Title: m.Subject,
		Data: mailPage{Mail: m, OutboxMode: h.svc.OutboxMode()}})
}

type jobsPage struct {
	Jobs   []jobs.Info
	Counts map[string]int
	States []string
	State  string
	Kind   string
	Next   int64
}

func (h *Handler) handleJobs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := jobs.ListFilter{State: q.Get("state"), Kind: q.Get("kind"), Limit: 50}
	if b := q.Get("before"); b != "" {
		f.BeforeID, _ = strconv.ParseInt(b, 10, 64)
	}
	list, counts, err := h.svc.Jobs(r.Context(), f)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := jobsPage{Jobs: list, Counts: counts, States: jobs.States, State: f.State, Kind: f.Kind}
	if len(list) == f.Limit {
		p.Next = list[len(list)-1].ID
	}
	h.rend.Page(w, r, http.StatusOK, "admin/jobs", web.Page{Title: "Background jobs", Data: p})
}

func jobID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, errs.E(errs.NotFound, "There is no such job.")
	}
	return id, nil
}

func (h *Handler) handleJobRetry(w http.ResponseWriter, r *http.Request) {
	id, err := jobID(r)
	if err == nil {
		err = h.svc.RetryJob(r.Context(), id)
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/jobs", "The job will run again shortly.")
}

func (h *Handler) handleJobCancel(w http.ResponseWriter, r *http.Request) {
	id, err := jobID(r)
	if err == nil {
		err = h.svc.CancelJob(r.Context(), id)
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/jobs", "The job was cancelled.")
}

func (h *Handler) handleJobPing(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	n, _ := strconv.Atoi(r.PostForm.Get("count"))
	if n == 0 {
		n = 1
	}
	nonce, err := h.svc.Ping(r.Context(), n)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/audit?action=job.ping&target="+nonce, "Test jobs queued: their audit entries appear here as they run.")
}

func (h *Handler) handleAnnounce(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	if err := h.svc.Announce(r.Context(), r.PostForm.Get("message")); err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			o, oerr := h.svc.Overview(r.Context())
			if oerr != nil {
				h.rend.Error(w, r, oerr)
				return
			}
			h.rend.Page(w, r, http.StatusUnprocessableEntity, "admin/overview",
				web.Page{Title: "Admin", Data: o, Form: web.FormWithError(r.PostForm, err)})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin", "Announcement sent to everyone online.")
}

type tokensPage struct {
	Tokens []auth.APIToken
	// Plain is a token just created: shown once, never again.
	Plain string
}

func (h *Handler) renderTokens(w http.ResponseWriter, r *http.Request, status int, p tokensPage, form *web.Form) {
	list, err := h.svc.Tokens(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p.Tokens = list
	h.rend.Page(w, r, status, "admin/tokens", web.Page{Title: "API tokens", Data: p, Form: form})
}

func (h *Handler) handleTokens(w http.ResponseWriter, r *http.Request) {
	h.renderTokens(w, r, http.StatusOK, tokensPage{}, nil)
}

func (h *Handler) handleTokenCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	plain, err := h.svc.CreateToken(r.Context(), r.PostForm.Get("name"), r.PostForm.Get("consent_wording"))
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			h.renderTokens(w, r, http.StatusUnprocessableEntity, tokensPage{}, web.FormWithError(r.PostForm, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	// Rendered, not redirected: the plaintext must not travel in a URL or a
	// cookie, and it is shown only this once.
	w.Header().Set("Cache-Control", "no-store")
	h.renderTokens(w, r, http.StatusOK, tokensPage{Plain: plain}, nil)
}

func (h *Handler) handleTokenRevoke(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/admin/tokens", "The token no longer works.")
}
