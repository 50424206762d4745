package importweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people/peopleio"
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
	// UnderWay is the import of the same file that a job has under way,
	// when this upload was refused for it.
	UnderWay *peopleio.Run
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
	h.uploadPage(w, r, status, form, nil)
}

// uploadPage renders the upload form, with a link to underWay when the
// file was refused because a job is importing it.
func (h *Handler) uploadPage(w http.ResponseWriter, r *http.Request, status int, form *web.Form, underWay *peopleio.Run) {
	ctx := r.Context()
	p := uploadPage{UnderWay: underWay}
	netErr := h.drafts.can(ctx, "")
	p.Network = netErr == nil
	if web.ViewerFrom(ctx) != nil {
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
	up, err := h.drafts.receive(r)
	if err != nil {
		status, msg := http.StatusUnprocessableEntity, "The form could not be read: choose the file again."
		if errors.As(err, new(*http.MaxBytesError)) {
			status = http.StatusRequestEntityTooLarge
			msg = fmt.Sprintf("The file is larger than %d MB, the most this server takes: split it into smaller files and import them one by one.", h.maxUpload>>20)
		}
		h.upload(w, r, status, web.FormWithError(nil, errs.Fields(map[string]string{"file": msg})))
		return
	}
	defer up.remove()
	values := up.values
	if err := web.CheckValues(values); err != nil {
		// A NUL or non-UTF-8 group_id reached the policy's lookup, which
		// PostgreSQL refused with a 500.
		h.upload(w, r, http.StatusUnprocessableEntity, web.FormWithError(nil, err))
		return
	}
	if up.path == "" {
		h.upload(w, r, http.StatusUnprocessableEntity, web.FormWithError(values,
			errs.Fields(map[string]string{"file": "Choose the CSV file to import."})))
		return
	}
	d := &draft{FileName: fileName(up.fileName), Tags: splitTags(values.Get("tags")), GroupID: values.Get("group_id"),
		ConsentWording: strings.TrimSpace(values.Get("consent_wording"))}
	// A job importing this very file already: say so now, not after the
	// mapping and the dry run. (A refusal of the group is create's to say.)
	if run, err := h.imp.UnderWay(r.Context(), up.sha256, d.GroupID); err == nil && run != nil {
		h.refuseUnderWay(w, r, values, run)
		return
	}
	if err := h.drafts.create(r.Context(), up.path, d); err != nil {
		if c := errs.CodeOf(err); c == errs.Invalid {
			h.upload(w, r, http.StatusUnprocessableEntity, web.FormWithError(values, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, runURL(d.ID), "Uploaded "+d.FileName+". Check which column holds what.")
}

// refuseUnderWay answers an upload or start of a file a job is importing:
// the form again, saying so, with a link to that import.
func (h *Handler) refuseUnderWay(w http.ResponseWriter, r *http.Request, values url.Values, run *peopleio.Run) {
	msg := (&peopleio.UnderWayError{Run: run}).Error()
	h.uploadPage(w, r, http.StatusConflict, web.FormWithError(values, errs.Fields(map[string]string{"file": msg})), run)
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
// whole path), or "upload.csv", cut to 120 characters: it names the run on
// every page that shows it.
func fileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		return "upload.csv"
	}
	return errs.Clip(name, 120)
}
