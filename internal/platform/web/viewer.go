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

	// organiser answers whether the viewer organises a group; see
	// SetOrganiser.
	organiser func() bool
}

// SetOrganiser gives the viewer a way to learn whether they organise a
// group (the navigation then offers Messages). It is asked only when a page
// draws the navigation, so requests that render no page pay nothing.
func (v *Viewer) SetOrganiser(f func() bool) { v.organiser = f }

// Organiser reports whether the viewer organises a group; false when
// nobody said how to find out.
func (v *Viewer) Organiser() bool { return v != nil && v.organiser != nil && v.organiser() }

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
