package web

import "context"

// Viewer is the person looking at a page. The auth middleware puts it in the
// request context; templates see it as .Viewer. It carries only what the web
// shell needs to draw navigation: permission decisions belong to services.
type Viewer struct {
	UserID  string
	Name    string
	Email   string
	Role    string
	IsAdmin bool
}

type viewerKey struct{}

// WithViewer returns a copy of ctx carrying v.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer in ctx, or nil when the request is anonymous.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey{}).(*Viewer)
	return v
}
