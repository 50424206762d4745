package talkweb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the discussion pages, to register with
// rend.Add(Templates, "talk").
var Templates, _ = fs.Sub(templateFS, "templates")

// Groups is what the pages need of groups: a group by its address or id
// (for headings and links) and the viewer's groups (their discussions,
// and the ones they moderate). *groups.Service is one.
type Groups interface {
	Get(ctx context.Context, id string) (*groups.Group, error)
	GetBySlug(ctx context.Context, slug string) (*groups.Group, error)
	MyGroups(ctx context.Context) ([]groups.Membership, error)
}

// Deps is everything the discussion pages need; every field is required.
type Deps struct {
	Talk   *talk.Service
	Groups Groups
	// Policy answers which controls to offer (talk's rules: may the viewer
	// post here, moderate here); the service still decides each act.
	Policy   *auth.Policy
	Renderer *web.Renderer
	// Zone is the network's time zone, in which times are shown.
	Zone *time.Location
}

// Handler serves the discussion pages.
type Handler struct {
	svc    *talk.Service
	groups Groups
	policy *auth.Policy
	rend   *web.Renderer
	zone   *time.Location
}

// NewHandler returns the discussion pages, or an error naming every
// collaborator d lacks.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("talkweb.NewHandler", "Talk", d.Talk, "Groups", d.Groups, "Policy", d.Policy, "Renderer", d.Renderer, "Zone", d.Zone); err != nil {
		return nil, err
	}
	return &Handler{svc: d.Talk, groups: d.Groups, policy: d.Policy, rend: d.Renderer, zone: d.Zone}, nil
}

// Routes mounts the pages (the issue 13 contract's "Talk" routes).
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /talk", h.handleNetwork)
	mux.HandleFunc("GET /groups/{slug}/talk", h.handleGroup)
	mux.HandleFunc("GET /talk/new", h.handleNew)
	mux.HandleFunc("POST /talk", h.handleStart)
	mux.HandleFunc("GET /talk/t/{id}", h.handleThread)
	mux.HandleFunc("POST /talk/t/{id}/comments", h.handleComment)
	mux.HandleFunc("POST /talk/t/{id}/follow", h.handleFollow)
	mux.HandleFunc("POST /talk/t/{id}/pin", h.handlePin)
	mux.HandleFunc("POST /talk/t/{id}/lock", h.handleLock)
	mux.HandleFunc("POST /talk/t/{id}/edit", h.handleEditThread)
	mux.HandleFunc("GET /talk/t/{id}/history", h.handleThreadHistory)
	mux.HandleFunc("GET /talk/on/{kind}/{id}", h.handleAttached)
	mux.HandleFunc("POST /talk/on/{kind}/{id}", h.handleCommentOn)
	mux.HandleFunc("POST /talk/c/{id}/edit", h.handleEdit)
	mux.HandleFunc("GET /talk/c/{id}/history", h.handleHistory)
	mux.HandleFunc("POST /talk/c/{id}/react", h.handleReact)
	mux.HandleFunc("POST /talk/c/{id}/flag", h.handleFlag)
	mux.HandleFunc("POST /talk/c/{id}/hide", h.handleHide)
	mux.HandleFunc("POST /talk/c/{id}/unhide", h.handleUnhide)
	mux.HandleFunc("POST /talk/c/{id}/dismiss", h.handleDismiss)
	mux.HandleFunc("GET /moderation", h.handleQueue)
	mux.HandleFunc("POST /groups/{slug}/mutes", h.handleMute)
	mux.HandleFunc("POST /groups/{slug}/mutes/{user}/delete", h.handleUnmute)
	mux.HandleFunc("GET /code-of-conduct", h.handleCodeOfConduct)
	mux.HandleFunc("GET /admin/code-of-conduct", h.handleCodeOfConductEdit)
	mux.HandleFunc("POST /admin/code-of-conduct", h.handleCodeOfConductSave)
}

// local formats a time in the network's zone, saying which (issue 16:
// web.DateTime, the one format).
func (h *Handler) local(t time.Time) string { return web.DateTime(t, h.zone) }

// short formats a time in the network's zone for lists ("Mon 7 Dec 2026,
// 19:00"); the zone is said once on the page.
func (h *Handler) short(t time.Time) string { return web.DayTime(t, h.zone) }

// may reports whether talk's policy lets the viewer act in groupID's
// discussions ("" the network's). It only chooses which controls a page
// offers; the service decides each act.
func (h *Handler) may(ctx context.Context, act auth.Action, groupID string) bool {
	return h.policy.Can(ctx, auth.PrincipalFrom(ctx), act, auth.Resource{Kind: "thread", GroupID: groupID}) == nil
}

// moderates reports whether the viewer moderates groupID's discussions
// ("" the network's: admins).
func (h *Handler) moderates(ctx context.Context, groupID string) bool {
	return h.may(ctx, talk.ActModerate, groupID)
}

// posts reports whether the viewer is in the audience that posts in
// groupID's discussions ("" the network's: its members).
func (h *Handler) posts(ctx context.Context, groupID string) bool {
	if groupID == "" {
		return h.may(ctx, talk.ActNetwork, "")
	}
	return h.may(ctx, talk.ActGroup, groupID)
}

// fail re-renders a form's page with its errors beside the fields (422),
// or shows the error page for anything that is not about the input.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error, render func(status int, form *web.Form)) {
	if len(errs.FieldsOf(err)) > 0 {
		render(http.StatusUnprocessableEntity, web.FormWithError(r.PostForm, err))
		return
	}
	h.rend.Error(w, r, err)
}

// back is where a comment's control returns to: the form's "next" when it
// is a path on this site, else the fallback.
func back(r *http.Request, fallback string) string {
	return web.SafeNext(r.PostFormValue("next"), fallback)
}

// onOff reads a form's on=1|0 (also true/false, on/off); anything else is
// an error naming the field.
func onOff(r *http.Request, field string) (bool, error) {
	switch r.PostFormValue(field) {
	case "1", "true", "on", "yes":
		return true, nil
	case "0", "false", "off", "no", "":
		return false, nil
	}
	return false, errs.Fields(map[string]string{field: "Choose on or off."})
}

// limit checks a free-text field's length where it enters, so an
// oversized post is refused with the field named before any work.
func limit(bad map[string]string, field, value string, max int, what string) {
	if len([]rune(value)) > max {
		bad[field] = fmt.Sprintf("%s is too long: at most %d characters.", what, max)
	}
}
