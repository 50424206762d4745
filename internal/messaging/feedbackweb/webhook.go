package feedbackweb

import (
	"errors"
	"io"
	"net/http"

	"github.com/momentum-movement/momentum/internal/messaging/providers"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// maxWebhook bounds a webhook's body: SES notifications with headers are
// a few kB, a Postmark bounce with its dump some tens.
const maxWebhook = 1 << 20

// handleWebhook takes a provider's delivery events. A provider whose
// secret is not configured is 404 (as if the route did not exist); a
// request that fails the provider's authentication is 403 and changes
// nothing; an authentic one is applied, idempotently, and answered 200 so
// the provider does not retry. A failure of ours is 500, which providers
// retry later.
func (h *Handler) handleWebhook(w http.ResponseWriter, r *http.Request) {
	p, ok := h.providers[r.PathValue("provider")]
	if !ok {
		http.Error(w, "no such webhook", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhook))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	evs, err := p.Events(r.Context(), r, body)
	switch {
	case errors.Is(err, providers.ErrUnauthenticated):
		h.log.Warn("webhook refused", "provider", p.Name(), "err", err)
		if _, isPostmark := p.(providers.Postmark); isPostmark {
			w.Header().Set("WWW-Authenticate", `Basic realm="webhook"`)
			http.Error(w, "not authenticated", http.StatusUnauthorized)
			return
		}
		http.Error(w, "not authenticated", http.StatusForbidden)
		return
	case errors.Is(err, providers.ErrMalformed):
		http.Error(w, "unreadable payload", http.StatusBadRequest)
		return
	case err != nil:
		h.log.Error("webhook", "provider", p.Name(), "err", err)
		http.Error(w, "try again later", http.StatusBadGateway)
		return
	}
	res, err := h.fb.RecordDelivery(r.Context(), p.Name()+" webhook", evs)
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			http.Error(w, "unreadable event", http.StatusBadRequest)
			return
		}
		h.log.Error("webhook events", "provider", p.Name(), "err", err)
		http.Error(w, "try again later", http.StatusInternalServerError)
		return
	}
	h.log.Info("webhook", "provider", p.Name(), "events", len(evs), "suppressed", res.Suppressed, "marked", res.Marked)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
