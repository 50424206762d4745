package messagingweb

import (
	"net/http"
	"sync"

	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Nav is middleware, after the session's, that lets the navigation ask
// whether the signed-in viewer organises a group, so that organisers see
// "Messages" beside the other links. The question costs one query, asked
// only when a page draws the navigation, at most once a request.
func (h *Handler) Nav() web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if v := web.ViewerFrom(r.Context()); v != nil && !v.IsAdmin {
				ctx := r.Context()
				v.SetOrganiser(sync.OnceValue(func() bool {
					cs, err := h.choices(ctx)
					return err == nil && len(cs) > 0
				}))
			}
			next.ServeHTTP(w, r)
		})
	}
}
