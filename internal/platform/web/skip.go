package web

import "net/http"

// SkipFor runs mw for every request except those matching one of patterns
// (ServeMux patterns, such as "POST /hooks/sms/inbound"), which go straight
// to the next handler. It is for webhooks: a provider's server signs its
// requests instead of carrying a browser's cookie and Origin, so the
// browser-facing checks (CrossOrigin, RequireOrigin) do not apply to them,
// and the handler checks the signature instead.
func SkipFor(patterns []string, mw Middleware) Middleware {
	skip := http.NewServeMux()
	for _, p := range patterns {
		skip.Handle(p, http.NotFoundHandler())
	}
	return func(next http.Handler) http.Handler {
		checked := mw(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, pattern := skip.Handler(r); pattern != "" {
				next.ServeHTTP(w, r)
				return
			}
			checked.ServeHTTP(w, r)
		})
	}
}
