package messagingweb

import (
	"html/template"
	"net/http"
	"net/url"
	"sort"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// previewPage is a broadcast as one recipient gets it: the HTML part in a
// sandboxed frame (served by handlePreviewMail with a policy of its own),
// the plain-text part beside it, and "preview as" among a few recipients.
type previewPage struct {
	B        *messaging.Broadcast
	Mail     *messaging.Rendered
	As       string // the person previewed as; "" : the service's choice
	Samples  []sample
	FrameURL string
	Send     sendCard
	Editable bool
	// SMS: a text message, shown as a phone shows it (a bubble of plain
	// text) with Segments ("1 SMS · 42 characters") instead of the mail.
	SMS      bool
	Segments string
}

func (h *Handler) handlePreview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := h.svc.Get(ctx, r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	as := r.URL.Query().Get("as")
	m, err := h.svc.Preview(ctx, inputOf(b), as)
	if err != nil {
		// The draft cannot be rendered yet (no subject, a placeholder
		// misspelt): back to the form, which says what is wrong.
		if errs.CodeOf(err) == errs.Invalid {
			form := web.FormWithError(valuesOf(b), err)
			h.editForm(w, r, http.StatusUnprocessableEntity, b, form)
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	frame := "/messages/" + b.ID + "/preview/mail"
	if as != "" {
		frame += "?as=" + url.QueryEscape(as)
	}
	p := previewPage{B: b, Mail: m, As: as, Samples: h.samples(ctx, b.Channel, b.Targets), FrameURL: frame,
		Editable: b.Status == messaging.StatusDraft || b.Status == messaging.StatusScheduled}
	title := "Preview: " + m.Subject
	if b.Channel == messaging.ChannelSMS {
		// A text message: the personalised text itself, counted as the
		// provider will bill it.
		p.SMS, p.Segments, title = true, segmentsText(m.Text), "Preview: "+titleOf(b)
	}
	if p.Editable {
		n, cerr := h.svc.Count(ctx, countable(inputOf(b)))
		p.Send = h.sendCard(ctx, b, n, cerr == nil, web.NewForm(nil))
		p.Send.Back, p.Send.Primary = "preview", true
	}
	h.rend.Page(w, r, http.StatusOK, "messages/preview", web.Page{Title: title, Data: p})
}

// mailPolicy is the Content-Security-Policy of a rendered mail shown in the
// preview frame: no script, no requests anywhere but images, inline styles
// (as mail has), sandboxed, framed only by this site's own pages.
const mailPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; " +
	"sandbox; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

// writeMail answers with a rendered mail's HTML part for the preview frame.
func writeMail(w http.ResponseWriter, m *messaging.Rendered) {
	h := w.Header()
	h.Set("Content-Security-Policy", mailPolicy)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "private, no-store")
	html := m.HTML
	if html == "" {
		html = "<pre>" + template.HTMLEscapeString(m.Text) + "</pre>"
	}
	w.Write([]byte(html))
}

// handlePreviewMail is the HTML of a stored broadcast as ?as= gets it, for
// the preview page's frame.
func (h *Handler) handlePreviewMail(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := h.svc.Get(ctx, r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	m, err := h.svc.Preview(ctx, inputOf(b), r.URL.Query().Get("as"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	writeMail(w, m)
}

// handleLivePreview renders the compose form as it is now, unsaved, into
// the preview frame beside it: app.js posts the form here a moment after
// the organiser stops typing.
func (h *Handler) handleLivePreview(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	ctx := r.Context()
	var in messaging.Input
	if id := r.PostForm.Get("id"); id != "" {
		// A stored draft: its audience and group are the stored ones.
		b, err := h.svc.Get(ctx, id)
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		in = inputFrom(r.PostForm, b.Targets)
		in.GroupID = b.GroupID
	} else {
		ts, err := decodeTargets(r.PostForm["target"])
		if err != nil {
			h.rend.Error(w, r, err)
			return
		}
		in = inputFrom(r.PostForm, ts)
	}
	m, err := h.svc.Preview(ctx, in, r.PostForm.Get("as"))
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			// Half-written: say so inside the frame, not as an error page.
			writeMail(w, &messaging.Rendered{Text: "The preview appears here as you write.\n\n" + errs.MessageOf(err) + "\n" + fieldsText(err)})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	writeMail(w, m)
}

// fieldsText is the per-field messages of err, one a line, in field order.
func fieldsText(err error) string {
	fs := errs.FieldsOf(err)
	keys := make([]string, 0, len(fs))
	for k := range fs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += fs[k] + "\n"
	}
	return s
}
