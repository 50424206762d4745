package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// RequestID returns the id the RequestIDs middleware gave this request, or ""
// outside it. The id lives in package reqctx so that services and the audit
// log can read it without importing web.
func RequestID(ctx context.Context) string { return reqctx.RequestID(ctx) }

// WithRequestID returns a copy of ctx carrying id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return reqctx.WithRequestID(ctx, id)
}

// RequestIDs gives every request a fresh random id, stored in the context and
// sent back in the X-Request-Id header so a person can quote it to an admin.
//
// An incoming X-Request-Id is ignored on purpose: a client-chosen id could
// collide with another request's or smuggle text into the logs.
func RequestIDs() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := newRequestID()
			w.Header().Set("X-Request-Id", id)
			next.ServeHTTP(w, r.WithContext(WithRequestID(r.Context(), id)))
		})
	}
}

// newRequestID returns 16 hex characters (64 random bits): unique enough to
// find one request in a day of logs, short enough to read over the phone.
func newRequestID() string {
	var b [8]byte
	rand.Read(b[:]) // never fails since Go 1.24
	return hex.EncodeToString(b[:])
}
