package importweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// uploadPage is the data of step 1, the upload form.
type uploadPage struct {
	// Network is true when the person may import for the whole network
	// (admins); Groups are the groups they organise.
	Network bool
	Groups  []GroupChoice
	MaxMB   int64
}

func (h *Handler) handleUploadForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	values := url.Values{"group_id": {q.Get("group")}}
	if from := q.Get("from"); from != "" {
		// "Upload a corrected file": keep what was chosen for the last one.
		d, found, err := h.drafts.get(r.Context(), from)
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		if found {
			values.Set("tags", strings.Join(d.Tags, ", "))
			values.Set("group_id", d.GroupID)
			values.Set("consent_wording", d.ConsentWording)
		}
	}
	h.upload(w, r, http.StatusOK, web.NewForm(values))
}

// upload renders the upload form, or the refusal when the person may import
// for no one: neither the whole network nor a group they organise.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	ctx := r.Context()
	var p uploadPage
	netErr := h.drafts.can(ctx, "")
	p.Network = netErr == nil
	if h.groups != nil && web.ViewerFrom(ctx) != nil {
		gs, err := h.groups.OrganisedGroups(ctx)
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		p.Groups = gs
	}
	if !p.Network && len(p.Groups) == 0 {
		h.rend.Error(w, r, netErr)
		return
	}
	p.MaxMB = h.maxUpload >> 20
	h.rend.Page(w, r, status, "import/upload", web.Page{Title: "Import people", Data: p, Form: form})
}

func (h *Handler) handleUpload(w http.ResponseWriter, r *http.Request) {
	// The server's read timeout suits forms, not a 200 MB file on a slow
	// line: give this request longer.
	extendDeadlines(w, uploadTime)
	// The other fields are small; the limit is about the file.
	r.Body = http.MaxBytesReader(w, r.Body, h.maxUpload+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		status, msg := http.StatusUnprocessableEntity, "The form could not be read: choose the file again."
		if errors.As(err, new(*http.MaxBytesError)) {
			status = http.StatusRequestEntityTooLarge
			msg = fmt.Sprintf("The file is larger than %d MB: split it into smaller files and import them one by one.", h.maxUpload>>20)
		}
		h.upload(w, r, status, web.FormWithError(nil, errs.Fields(map[string]string{"file": msg})))
		return
	}
	defer r.MultipartForm.RemoveAll()
	values := url.Values(r.MultipartForm.Value)
	if err := web.CheckValues(values); err != nil {
		// A NUL or non-UTF-8 group_id reached the policy's lookup, which
		// PostgreSQL refused with a 500.
		h.upload(w, r, http.StatusUnprocessableEntity, web.FormWithError(nil, err))
		return
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		h.upload(w, r, http.StatusUnprocessableEntity, web.FormWithError(values,
			errs.Fields(map[string]string{"file": "Choose the CSV file to import."})))
		return
	}
	defer f.Close()
	d := &draft{FileName: fileName(fh.Filename), Tags: splitTags(values.Get("tags")), GroupID: values.Get("group_id"),
		ConsentWording: strings.TrimSpace(values.Get("consent_wording"))}
	if err := h.drafts.create(r.Context(), f, d); err != nil {
		if c := errs.CodeOf(err); c == errs.Invalid {
			h.upload(w, r, http.StatusUnprocessableEntity, web.FormWithError(values, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, runURL(d.ID), "Uploaded "+d.FileName+". Check which column holds what.")
}

// splitTags reads the comma-separated tags field.
func splitTags(s string) []string {
	var tags []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.Join(strings.Fields(t), " "); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

// uploadTime is how long an upload may take: 200 MB at 2 Mbit/s.
const uploadTime = 15 * time.Minute

// extendDeadlines lets one request read and write for d, beyond the
// server's timeouts. It is a no-op where the writer cannot (tests).
func extendDeadlines(w http.ResponseWriter, d time.Duration) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(d))
	_ = rc.SetWriteDeadline(time.Now().Add(d))
}

// fileName is the base name of an uploaded file (some browsers send a
// whole path), or "upload.csv".
func fileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		return "upload.csv"
	}
	return name
}
