package importweb

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// TestNewNeedsEveryCollaborator: the wizard cannot be built half-wired
// (an organiser offered no group, a list of imports that is not found);
// the error names what is missing. Only the upload limit has a default.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	rend, err := web.NewRenderer(slog.New(slog.DiscardHandler), web.RendererOptions{SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	// Zero values stand in for the services: NewHandler only checks that
	// each is there, and nothing here serves a request.
	im := &peopleio.Importer{}
	full := func() Deps {
		return Deps{Importer: im, Policy: auth.NewPolicy(), Renderer: rend, Groups: GroupsOf(&groups.Service{}),
			Runs: im, DataDir: t.TempDir()}
	}
	for _, tc := range []struct {
		Name  string
		Break func(*Deps)
		Want  string
	}{
		{"Nothing", func(d *Deps) { *d = Deps{} }, "missing Importer, Policy, Renderer, Groups, Runs"},
		{"NoImporter", func(d *Deps) { d.Importer = nil }, "missing Importer"},
		{"NoPolicy", func(d *Deps) { d.Policy = nil }, "missing Policy"},
		{"NoRenderer", func(d *Deps) { d.Renderer = nil }, "missing Renderer"},
		{"NoGroups", func(d *Deps) { d.Groups = nil }, "missing Groups"},
		{"NilGroupsService", func(d *Deps) { d.Groups = GroupsOf(nil) }, "missing Groups"},
		{"NoRuns", func(d *Deps) { d.Runs = nil }, "missing Runs"},
		{"NilRunsImporter", func(d *Deps) { d.Runs = (*peopleio.Importer)(nil) }, "missing Runs"},
		{"NoDataDir", func(d *Deps) { d.DataDir = "" }, "missing DataDir"},
		{"NegativeMaxUpload", func(d *Deps) { d.MaxUpload = -1 }, "MaxUpload is -1 bytes"},
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

	t.Run("DefaultMaxUpload", func(t *testing.T) {
		h, err := NewHandler(full())
		if err != nil {
			t.Fatal(err)
		}
		if h.maxUpload != DefaultMaxUpload {
			t.Errorf("maxUpload = %d, want DefaultMaxUpload (%d)", h.maxUpload, DefaultMaxUpload)
		}
		d := full()
		d.MaxUpload = 1 << 20
		if h, err = NewHandler(d); err != nil || h.maxUpload != 1<<20 {
			t.Errorf("MaxUpload 1 MB: %v, %v", h, err)
		}
	})
}
