package libraryweb

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/files"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// multipartSlack is room for the form's other parts and boundaries, above
// the file's own limit.
const multipartSlack = 64 << 10

// memoryForFiles is how much of an upload is held in memory; the rest of
// a large file waits in a temporary file.
const memoryForFiles = 1 << 20

func (h *Handler) handleAttach(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	// Bound the body before anything reads it: a huge upload is refused
	// as too large (413), never read whole.
	r.Body = http.MaxBytesReader(w, r.Body, h.svc.MaxBytes()+multipartSlack)
	if err := r.ParseMultipartForm(memoryForFiles); err != nil {
		status, msg := http.StatusBadRequest, "The upload could not be read: choose the file again."
		if errors.As(err, new(*http.MaxBytesError)) {
			status = http.StatusRequestEntityTooLarge
			msg = fmt.Sprintf("The file is larger than %s, the most the library keeps.", sizeWords(h.svc.MaxBytes()))
		}
		h.doc(w, r, status, web.FormWithError(nil, errs.Fields(map[string]string{"file": msg})))
		return
	}
	defer r.MultipartForm.RemoveAll()
	if err := web.CheckValues(r.MultipartForm.Value); err != nil {
		h.doc(w, r, http.StatusUnprocessableEntity, web.FormWithError(nil, err))
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		h.doc(w, r, http.StatusUnprocessableEntity, web.FormWithError(nil, errs.Fields(map[string]string{"file": "Choose a file to attach."})))
		return
	}
	defer file.Close()
	a, err := h.svc.Attach(r.Context(), id, hdr.Filename, file, hdr.Size)
	if err != nil {
		h.fail(w, r, err, func(status int, form *web.Form) { h.doc(w, r, status, form) })
		return
	}
	web.Redirect(w, r, "/library/d/"+id+"#attachments", "Attached "+a.Name+".")
}

func sizeWords(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(max(1, n>>10), 10) + " KB"
}

// handleDownload sends an attachment with its stored (checked) type,
// through files.ServeHeaders: never sniffed again (nosniff), downloaded
// rather than shown except images, and sandboxed should a browser show it
// anyway. PDFs are shown in the browser too: its PDF viewer does not run
// inside a CSP sandbox, so a PDF goes without one (no script of ours can
// run in it; a browser's viewer runs a PDF's own scripts, if any, in its
// own sandbox).
func (h *Handler) handleDownload(w http.ResponseWriter, r *http.Request) {
	a, rc, err := h.svc.OpenAttachment(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	defer rc.Close()
	hd := w.Header()
	files.ServeHeaders(hd, a.Name, a.ContentType, a.Size)
	if a.ContentType == files.TypePDF {
		hd.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": files.DownloadName(a.Name, a.ContentType)}))
		hd.Del("Content-Security-Policy")
	}
	io.Copy(w, rc)
}

func (h *Handler) handleAttachmentDelete(w http.ResponseWriter, r *http.Request) {
	docID, err := h.svc.DeleteAttachment(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/library/d/"+docID+"#attachments", "The attachment is deleted.")
}

// handleDelete deletes a document with its revisions and attachments
// (POST /library/d/{id}/delete), then shows its folder. The document's
// page asks first, in a <details> that needs no script.
func (h *Handler) handleDelete(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	dv, err := h.svc.Document(ctx, r.PathValue("id"))
	if err == nil {
		err = h.svc.DeleteDocument(ctx, dv.Document.ID)
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/library/f/"+dv.Folder.ID, "“"+dv.Document.Title+"” is deleted, with its revisions and attachments.")
}
