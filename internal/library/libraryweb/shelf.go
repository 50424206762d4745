package libraryweb

import (
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

type shelfPage struct {
	Shelf        *library.Shelf
	Visibilities choices
	GroupID      string
}

func (h *Handler) handleHome(w http.ResponseWriter, r *http.Request) {
	h.shelf(w, r, http.StatusOK, "", nil)
}

func (h *Handler) handleGroup(w http.ResponseWriter, r *http.Request) {
	g, err := h.svc.GroupBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.shelf(w, r, http.StatusOK, g.ID, nil)
}

// shelf renders a library's front page (groupID "" the network's); form
// carries the new-folder form's input and errors.
func (h *Handler) shelf(w http.ResponseWriter, r *http.Request, status int, groupID string, form *web.Form) {
	sh, err := h.svc.Shelf(r.Context(), groupID)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	title := "Library"
	if sh.Group != nil {
		title = sh.Group.Name + " library"
	}
	if form == nil {
		form = web.NewForm(url.Values{"visibility": {library.Members}})
	}
	h.rend.Page(w, r, status, "library/home", web.Page{Title: title, Form: form,
		Data: shelfPage{Shelf: sh, Visibilities: visibilities(groupID != ""), GroupID: groupID}})
}

type folderPage struct {
	View         *library.FolderView
	Visibilities choices
	Label        func(string) string
}

func (h *Handler) handleFolder(w http.ResponseWriter, r *http.Request) {
	h.folder(w, r, http.StatusOK, r.PathValue("id"), nil)
}

func (h *Handler) folder(w http.ResponseWriter, r *http.Request, status int, id string, form *web.Form) {
	fv, err := h.svc.Folder(r.Context(), id)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	if form == nil {
		form = web.NewForm(url.Values{"visibility": {fv.Folder.Visibility}})
	}
	h.rend.Page(w, r, status, "library/folder", web.Page{Title: fv.Folder.Name, Form: form,
		Data: folderPage{View: fv, Visibilities: visibilities(fv.Folder.GroupID != ""), Label: visibilityLabel}})
}

func (h *Handler) handleFolderCreate(w http.ResponseWriter, r *http.Request) {
	in := library.FolderInput{GroupID: r.PostFormValue("group_id"), ParentID: r.PostFormValue("parent_id"),
		Name: r.PostFormValue("name"), Visibility: r.PostFormValue("visibility")}
	f, err := h.svc.CreateFolder(r.Context(), in)
	if err != nil {
		h.fail(w, r, err, func(status int, form *web.Form) {
			if in.ParentID != "" && form.Error("parent_id") == "" {
				h.folder(w, r, status, in.ParentID, form)
				return
			}
			group := in.GroupID
			if form.Error("group_id") != "" {
				group = ""
			}
			h.shelf(w, r, status, group, form)
		})
		return
	}
	web.Redirect(w, r, "/library/f/"+f.ID, "Folder "+f.Name+" made.")
}
