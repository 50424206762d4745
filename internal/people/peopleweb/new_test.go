package peopleweb

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// TestNewNeedsEveryCollaborator: the people pages cannot be built
// half-wired; without a Locator the "near a postcode" filter used to say
// it was "not available yet" instead of the wiring being refused.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	rend, err := web.NewRenderer(slog.New(slog.DiscardHandler), web.RendererOptions{SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	// Zero values stand in for the services: NewHandler only checks that
	// each is there, and nothing here serves a request.
	full := func() Deps {
		return Deps{People: &people.Service{}, Groups: &groups.Service{}, Renderer: rend,
			Locator: LocatorFunc(func(context.Context, string) (geo.District, error) { return geo.District{}, nil })}
	}
	if _, err := NewHandler(full()); err != nil {
		t.Fatalf("NewHandler with every collaborator: %v", err)
	}
	for _, tc := range []struct {
		Name  string
		Break func(*Deps)
		Want  string
	}{
		{"Nothing", func(d *Deps) { *d = Deps{} }, "missing People, Groups, Renderer, Locator"},
		{"NoPeople", func(d *Deps) { d.People = nil }, "missing People"},
		{"NoGroups", func(d *Deps) { d.Groups = nil }, "missing Groups"},
		{"NoRenderer", func(d *Deps) { d.Renderer = nil }, "missing Renderer"},
		{"NoLocator", func(d *Deps) { d.Locator = nil }, "missing Locator"},
		{"NilLocatorFunc", func(d *Deps) { d.Locator = LocatorFunc(nil) }, "missing Locator"},
	} {
		t.Run(tc.Name, func(t *testing.T) {
			d := full()
			tc.Break(&d)
			h, err := NewHandler(d)
			if err == nil || !strings.Contains(err.Error(), tc.Want) || h != nil {
				t.Fatalf("NewHandler = %v, %v; want an error containing %q", h, err, tc.Want)
			}
		})
	}
}
