package smsweb

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/momentum-movement/momentum/internal/messaging/sms"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// InboundPath is where the provider posts replies; set it as the number's
// "A message comes in" webhook: MOMENTUM_BASE_URL + InboundPath.
const InboundPath = "/hooks/sms/inbound"

// Handler serves the inbound webhook.
type Handler struct {
	d Deps
}

// Deps is everything the handler needs; all are required, except that an
// empty AuthToken (SMS not configured) refuses every request.
type Deps struct {
	Inbox    *sms.Inbox
	Renderer *web.Renderer
	// AuthToken is the provider's auth token, the key of the signature.
	AuthToken string
	// PublicURL is the site's public address (config PublicURL): the
	// signature covers the URL the provider requested, which is this plus
	// the path, never what the Host header says.
	PublicURL string
}

// NewHandler returns the handler, or an error naming what is missing.
func NewHandler(d Deps) (*Handler, error) {
	if err := hook.Need("smsweb.NewHandler", "Inbox", d.Inbox, "Renderer", d.Renderer); err != nil {
		return nil, err
	}
	if d.PublicURL == "" {
		return nil, fmt.Errorf("smsweb.NewHandler: PublicURL is empty")
	}
	d.PublicURL = strings.TrimRight(d.PublicURL, "/")
	return &Handler{d: d}, nil
}

// Routes mounts the webhook.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+InboundPath, h.handleInbound)
}

// maxForm bounds the webhook's body: Twilio's inbound form is about 1 KiB
// (a 1,600-character body at most, and a few dozen short fields). In the
// app, web.CleanInput has already read the form (up to its 1 MiB); this
// bound holds wherever the handler is mounted without it.
const maxForm = 32 << 10

// handleInbound checks the signature, acts on the message and answers with
// TwiML. A missing or wrong signature is 403, before anything is read
// into the database.
func (h *Handler) handleInbound(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.d.Renderer.Error(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	signed := h.d.PublicURL + r.URL.RequestURI()
	if !sms.ValidSignature(h.d.AuthToken, signed, r.PostForm, r.Header.Get(sms.SignatureHeader)) {
		h.d.Renderer.Error(w, r, errs.E(errs.Forbidden, "This request is not signed by the SMS provider."))
		return
	}
	reply, err := h.d.Inbox.Receive(r.Context(), sms.Inbound{From: r.PostForm.Get("From"),
		Body: r.PostForm.Get("Body"), ProviderID: r.PostForm.Get("MessageSid")})
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(TwiML(reply.Text)))
}

// TwiML is the answer to an inbound message: one <Message> with text, or
// an empty <Response/> (no answer) when text is "".
func TwiML(text string) string {
	var b strings.Builder
	b.WriteString(xml.Header)
	if text == "" {
		b.WriteString("<Response/>\n")
		return b.String()
	}
	b.WriteString("<Response><Message>")
	xml.EscapeText(&b, []byte(text))
	b.WriteString("</Message></Response>\n")
	return b.String()
}
