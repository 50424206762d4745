package libraryweb

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// editPage is the form for a new document or a save of one.
type editPage struct {
	Folder       *library.Folder
	Document     *library.Document // nil for a new one
	Action       string
	Button       string
	Visibilities choices
	// Latest is the revision someone else saved, after a refused save.
	Latest *library.Document
}

func (h *Handler) handleNew(w http.ResponseWriter, r *http.Request) {
	f, err := h.svc.NewDocument(r.Context(), r.URL.Query().Get("folder"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.newForm(w, r, http.StatusOK, f, web.NewForm(url.Values{"visibility": {f.Visibility}, "folder_id": {f.ID}}))
}

func (h *Handler) newForm(w http.ResponseWriter, r *http.Request, status int, f *library.Folder, form *web.Form) {
	h.rend.Page(w, r, status, "library/edit", web.Page{Title: "New document in " + f.Name, Form: form,
		Data: editPage{Folder: f, Action: "/library/docs", Button: "Save the document", Visibilities: visibilities(f.GroupID != "")}})
}

func (h *Handler) handleCreate(w http.ResponseWriter, r *http.Request) {
	in := library.DocInput{FolderID: r.PostFormValue("folder_id"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
		Visibility: r.PostFormValue("visibility"), Note: r.PostFormValue("note")}
	d, err := h.svc.CreateDocument(r.Context(), in)
	if err != nil {
		h.fail(w, r, err, func(status int, form *web.Form) {
			f, ferr := h.svc.NewDocument(r.Context(), in.FolderID)
			if ferr != nil {
				h.rend.Error(w, r, err)
				return
			}
			h.newForm(w, r, status, f, form)
		})
		return
	}
	web.Redirect(w, r, "/library/d/"+d.ID, "Saved "+d.Title+".")
}

type docPage struct {
	View  *library.DocView
	Label func(string) string
	// MaxMB is the attachment limit, in whole MB.
	MaxMB int64
}

func (h *Handler) handleDoc(w http.ResponseWriter, r *http.Request) {
	h.doc(w, r, http.StatusOK, nil)
}

func (h *Handler) doc(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	dv, err := h.svc.Document(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, status, "library/doc", web.Page{Title: dv.Document.Title, Form: form,
		Data: docPage{View: dv, Label: visibilityLabel, MaxMB: max(1, h.svc.MaxBytes()>>20)}})
}

func (h *Handler) handleEdit(w http.ResponseWriter, r *http.Request) {
	dv, err := h.svc.Edit(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	d := dv.Document
	form := web.NewForm(url.Values{"title": {d.Title}, "body": {d.Body}, "visibility": {d.Visibility},
		"base_revision": {strconv.Itoa(d.Revision)}})
	h.editForm(w, r, http.StatusOK, dv, form, nil)
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request, status int, dv *library.DocView, form *web.Form, latest *library.Document) {
	h.rend.Page(w, r, status, "library/edit", web.Page{Title: "Edit " + dv.Document.Title, Form: form,
		Data: editPage{Folder: dv.Folder, Document: dv.Document, Action: "/library/d/" + dv.Document.ID, Button: "Save changes",
			Visibilities: visibilities(dv.Folder.GroupID != ""), Latest: latest}})
}

func (h *Handler) handleSave(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	base, err := number(r.PostFormValue("base_revision"), "base_revision", false)
	if err == nil {
		var d *library.Document
		d, err = h.svc.Save(r.Context(), id, library.DocInput{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
			Visibility: r.PostFormValue("visibility"), Note: r.PostFormValue("note"), BaseRevision: base})
		if err == nil {
			web.Redirect(w, r, "/library/d/"+id, "Saved revision "+strconv.Itoa(d.Revision)+".")
			return
		}
	}
	stale := library.IsStale(err)
	if !stale && len(errs.FieldsOf(err)) == 0 {
		h.rend.Error(w, r, err)
		return
	}
	dv, derr := h.svc.Edit(r.Context(), id)
	if derr != nil {
		h.rend.Error(w, r, derr)
		return
	}
	form := web.FormWithError(r.PostForm, err)
	status := http.StatusUnprocessableEntity
	var latest *library.Document
	if stale {
		// Keep their text; the next save goes over the revision they
		// have now been shown.
		status, latest = http.StatusConflict, dv.Document
		form.Values.Set("base_revision", strconv.Itoa(dv.Document.Revision))
	}
	h.editForm(w, r, status, dv, form, latest)
}
