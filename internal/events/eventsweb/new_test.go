package eventsweb

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/talk"
)

// TestNewNeedsEveryCollaborator: the events pages cannot be built
// half-wired; the error names what is missing. The map is optional: empty
// tiles mean the list alone.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	rend, err := web.NewRenderer(slog.New(slog.DiscardHandler), web.RendererOptions{SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	// A zero Service stands in: NewHandler only checks that it is there,
	// and nothing here serves a request.
	full := func() Deps {
		return Deps{Events: &events.Service{}, Renderer: rend, SiteName: "Tenants United", BaseURL: "https://example.org/",
			Discussions: &talk.Service{}} // issue 13
	}
	h, err := NewHandler(full())
	if err != nil {
		t.Fatalf("NewHandler without a map: %v", err)
	}
	if h.base != "https://example.org" || h.resultsMap(nil) != nil {
		t.Errorf("base %q, map %v: want the trailing slash gone and no map", h.base, h.resultsMap(nil))
	}
	for _, tc := range []struct {
		Name  string
		Break func(*Deps)
		Want  string
	}{
		{"Nothing", func(d *Deps) { *d = Deps{} }, "missing Events, Renderer"},
		{"NoEvents", func(d *Deps) { d.Events = nil }, "missing Events"},
		{"NoRenderer", func(d *Deps) { d.Renderer = nil }, "missing Renderer"},
		{"NoDiscussions", func(d *Deps) { d.Discussions = nil }, "missing Discussions"}, // issue 13
		{"NoSiteName", func(d *Deps) { d.SiteName = "" }, "missing SiteName"},
		{"NoBaseURL", func(d *Deps) { d.BaseURL = "" }, "missing BaseURL"},
		{"NoNames", func(d *Deps) { d.SiteName, d.BaseURL = "", "" }, "missing SiteName, BaseURL"},
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
