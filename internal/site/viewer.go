package site

import (
	"context"
	"sync"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// Viewer is the signed-in person as the dashboard resolves them, once per
// request: their account and their groups. Panels read it with ViewerFrom
// rather than looking the person up again.
type Viewer struct {
	User   *auth.User
	Groups []ViewerGroup

	mu     sync.Mutex
	shared map[string]*sharedRead
}

type sharedRead struct {
	once sync.Once
	val  any
	err  error
}

// Shared runs read once per dashboard for key, however many panels ask,
// and gives each the same result: panels that show parts of one query
// (a group's requests, new members, quiet spell) ask it together.
func (v *Viewer) Shared(key string, read func() (any, error)) (any, error) {
	v.mu.Lock()
	if v.shared == nil {
		v.shared = map[string]*sharedRead{}
	}
	r := v.shared[key]
	if r == nil {
		r = &sharedRead{}
		v.shared[key] = r
	}
	v.mu.Unlock()
	r.once.Do(func() { r.val, r.err = read() })
	return r.val, r.err
}

// ViewerGroup is one of the viewer's groups, invitations or requests.
type ViewerGroup struct {
	ID, Slug, Name string
	Role           string // organiser, moderator or member
	Status         string // active, requested or invited
	Archived       bool   // the group is archived
}

// Organises returns the groups, not archived, the viewer is an active
// organiser of.
func (v *Viewer) Organises() []ViewerGroup {
	var out []ViewerGroup
	for _, g := range v.Groups {
		if g.Role == "organiser" && g.Status == "active" && !g.Archived {
			out = append(out, g)
		}
	}
	return out
}

// Moderates reports whether the viewer organises or moderates a group.
func (v *Viewer) Moderates() bool {
	for _, g := range v.Groups {
		if (g.Role == "organiser" || g.Role == "moderator") && g.Status == "active" && !g.Archived {
			return true
		}
	}
	return false
}

type viewerKey struct{}

// WithViewer returns ctx carrying v.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer the dashboard resolved, or nil outside it.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey{}).(*Viewer)
	return v
}
