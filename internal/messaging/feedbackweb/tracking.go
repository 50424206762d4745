package feedbackweb

import (
	"net/http"
	"strings"
)

// pixel is a transparent 1×1 GIF.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// handleOpen serves the open pixel (/t/o/TOKEN.gif), noting the first
// open where the broadcast was tracked. It answers the same GIF for any
// name, known or not, so it tells a prober nothing.
func (h *Handler) handleOpen(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".gif")
	if ok {
		if err := h.fb.RecordOpen(r.Context(), token); err != nil {
			h.log.Warn("record open", "err", err)
		}
	}
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store, private")
	w.Write(pixel)
}

// handleClick follows a tracked link after checking its signature: a
// forged or altered link is a 404, never a redirect (no open redirect).
func (h *Handler) handleClick(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dest, err := h.fb.Click(r.Context(), r.PathValue("token"), q.Get("u"), q.Get("s"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store, private")
	w.Header().Set("Referrer-Policy", "no-referrer") // the token stays with us
	http.Redirect(w, r, dest, http.StatusFound)
}
