package admin

import (
	"context"
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Styleguide is what /admin/styleguide shows (issue 16): every component of
// the design system, with sample content, once per colour scheme.
type Styleguide struct {
	Schemes []StyleguideScheme
	Icons   []string
	Rows    []StyleguideRow
}

// StyleguideScheme is one panel of the guide: the scheme's class on the
// panel (scheme-light, scheme-dark) and a prefix keeping its ids apart.
type StyleguideScheme struct {
	Name, Class, Prefix string
	Guide               *Styleguide
}

// StyleguideRow is a row of the sample table.
type StyleguideRow struct {
	Name, Email, Role, Joined string
	Verified                  bool
}

// Styleguide returns the style guide's sample content. It shows no one's
// data, but it is a tool for those who run the network, so admins only.
//
// Errors: errs.Unauthorized, errs.Forbidden.
func (s *Service) Styleguide(ctx context.Context) (*Styleguide, error) {
	if err := s.can(ctx, auth.ActAdminView); err != nil {
		return nil, err
	}
	g := &Styleguide{
		Icons: web.IconNames(),
		Rows: []StyleguideRow{
			{Name: "Ada Organiser", Email: "ada.organiser.with.a.long.address@hackney-tenants.example.org", Role: "admin", Joined: "3 Nov 2026", Verified: true},
			{Name: "Bo Member", Email: "bo@example.org", Role: "member", Joined: "7 Dec 2026"},
		},
	}
	g.Schemes = []StyleguideScheme{
		{Name: "Light", Class: "scheme-light", Prefix: "sg-light", Guide: g},
		{Name: "Dark", Class: "scheme-dark", Prefix: "sg-dark", Guide: g},
	}
	return g, nil
}

func (h *Handler) handleStyleguide(w http.ResponseWriter, r *http.Request) {
	g, err := h.svc.Styleguide(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "admin/styleguide", web.Page{Title: "Style guide", Data: g})
}
