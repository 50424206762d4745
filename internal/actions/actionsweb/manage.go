package actionsweb

import (
	"context"
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// listItem is one action on the organiser's list; the page writes its
// share of the goal with percent (issue 16).
type listItem struct {
	actions.Action
}

func (h *Handler) handleList(w http.ResponseWriter, r *http.Request) {
	if web.ViewerFrom(r.Context()) == nil {
		h.rend.Error(w, r, errs.E(errs.Unauthorized, ""))
		return
	}
	list, err := h.svc.List(r.Context(), actions.Filter{Limit: 100})
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	items := make([]listItem, len(list))
	for i, a := range list {
		items[i] = listItem{Action: a}
	}
	h.rend.Page(w, r, http.StatusOK, "actions/list", web.Page{Title: "Actions", Data: struct{ Items []listItem }{items}})
}

// editData is the action form's page.
type editData struct {
	Action    *actions.Action // nil on the new page
	FormURL   string
	Button    string
	Kind      string
	Groups    []groupChoice
	Questions []questionRow
	Kinds     any
	TextLabel string
}

func textLabel(kind string) string {
	if kind == actions.KindForm {
		return "Introduction"
	}
	return "The petition's text"
}

type groupChoice struct{ ID, Name string }

// choices are the groups the viewer organises (and "the network" for
// admins), for the new form's group select.
func (h *Handler) choices(ctx context.Context) []groupChoice {
	var out []groupChoice
	if v := web.ViewerFrom(ctx); v != nil && v.IsAdmin {
		out = append(out, groupChoice{ID: "", Name: "The whole network"})
	}
	ms, err := h.groups.MyGroups(ctx)
	if err != nil {
		return out
	}
	for _, m := range ms {
		if m.Status == "active" && m.Role == "organiser" && !m.Group.Archived() {
			out = append(out, groupChoice{ID: m.Group.ID, Name: m.Group.Name})
		}
	}
	return out
}

func (h *Handler) handleNew(w http.ResponseWriter, r *http.Request) {
	if web.ViewerFrom(r.Context()) == nil {
		h.rend.Error(w, r, errs.E(errs.Unauthorized, ""))
		return
	}
	kind := r.URL.Query().Get("kind")
	if kind != actions.KindForm {
		kind = actions.KindPetition
	}
	v := url.Values{"kind": {kind}, "group_id": {r.URL.Query().Get("group")}, "comments": {"true"},
		"consent_wording": {"Yes, email me about this campaign and others. I can unsubscribe at any time."}}
	h.newForm(w, r, http.StatusOK, web.NewForm(v))
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	kind := form.Get("kind")
	title := "New petition"
	if kind == actions.KindForm {
		title = "New form"
	}
	h.rend.Page(w, r, status, "actions/edit", web.Page{Title: title, Form: form, Data: editData{
		FormURL: "/actions", Button: "Save the draft", Kind: kind, Groups: h.choices(r.Context()),
		Questions: questionRows(form), Kinds: questionKinds, TextLabel: textLabel(kind)}})
}

func (h *Handler) handleCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	in, perr := inputFrom(r.PostForm)
	a, err := h.svc.Create(r.Context(), in)
	if err == nil {
		web.Redirect(w, r, "/actions/"+a.ID, "Saved as a draft. Open it when you are ready for people to respond.")
		return
	}
	if errs.CodeOf(err) == errs.Invalid {
		err = merge(perr, err)
	}
	h.fail(w, r, err, func(status int, form *web.Form) { h.newForm(w, r, status, form) })
}

func (h *Handler) handleEdit(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.editForm(w, r, http.StatusOK, a, web.NewForm(valuesOf(a)))
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request, status int, a *actions.Action, form *web.Form) {
	form.Values.Set("kind", a.Kind)
	h.rend.Page(w, r, status, "actions/edit", web.Page{Title: "Edit " + a.Title, Form: form, Data: editData{
		Action: a, FormURL: "/actions/" + a.ID, Button: "Save the changes", Kind: a.Kind,
		Questions: questionRows(form), Kinds: questionKinds, TextLabel: textLabel(a.Kind)}})
}

func (h *Handler) handleUpdate(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	r.ParseForm()
	in, perr := inputFrom(r.PostForm)
	in.Kind, in.GroupID = a.Kind, a.GroupID
	if _, err = h.svc.Update(r.Context(), a.ID, in); err == nil {
		web.Redirect(w, r, "/actions/"+a.ID, "Your changes are saved.")
		return
	}
	if errs.CodeOf(err) == errs.Invalid {
		err = merge(perr, err)
	}
	h.fail(w, r, err, func(status int, form *web.Form) { h.editForm(w, r, status, a, form) })
}

func (h *Handler) handleStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	status := r.PostFormValue("status")
	if status != actions.StatusOpen && status != actions.StatusClosed {
		h.rend.Error(w, r, errs.Fields(map[string]string{"status": "Choose open or closed."}))
		return
	}
	if err := h.svc.SetStatus(r.Context(), id, status); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	msg := "It is open: people can respond now."
	if status == actions.StatusClosed {
		msg = "It is closed: its page shows the count but takes no more responses."
	}
	web.Redirect(w, r, "/actions/"+id, msg)
}

// manageData is the manage page.
type manageData struct {
	Action    *actions.Action
	PublicURL string
	Share     []shareLink
	Script    string // the embed code: the script tag
	IFrame    string // and the iframe fallback
	Latest    []actions.Response
}

func (h *Handler) handleManage(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	latest, err := h.svc.Responses(r.Context(), a.ID, "", 10)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	pub := h.publicURL(a)
	h.rend.Page(w, r, http.StatusOK, "actions/manage", web.Page{Title: a.Title, Data: manageData{
		Action: a, PublicURL: pub, Share: shareLinks(a.Title, pub),
		Script: h.scriptTag(a), IFrame: h.iframeTag(a), Latest: latest}})
}

// scriptTag is the embed code's script tag.
func (h *Handler) scriptTag(a *actions.Action) string {
	return `<div data-momentum-act="` + a.Slug + `"></div>` + "\n" +
		`<script src="` + h.base + "/embed/act/" + a.Slug + `.js" async></script>`
}

// iframeTag is the fallback for sites that allow no scripts.
func (h *Handler) iframeTag(a *actions.Action) string {
	return `<iframe src="` + h.base + "/embed/act/" + a.Slug + `" title="` + htmlAttr(a.Title) +
		`" width="100%" height="900" style="border:0;max-width:36rem" loading="lazy"></iframe>`
}

func (h *Handler) publicURL(a *actions.Action) string { return h.base + "/act/" + a.Slug }
