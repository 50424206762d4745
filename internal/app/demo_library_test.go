package app_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
)

// TestDemoLibrary (issue 13): the demo's library has the network's
// organising guides (one saved twice), the "New organiser" path over them,
// and a group's documents; a visitor reads the public guides and the path.
func TestDemoLibrary(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Before: apptest.LoadDemo(demo.Generate(1, 200))})
		var docs, twice, steps, groupDocs int
		ctx := t.Context()
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM library_documents WHERE group_id IS NULL`).Scan(&docs)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM library_documents WHERE revision = 2`).Scan(&twice)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM library_path_steps`).Scan(&steps)
		n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM library_documents WHERE group_id IS NOT NULL`).Scan(&groupDocs)
		if docs != 4 || twice != 1 || steps != 4 || groupDocs != 2 {
			t.Fatalf("demo library: %d network documents (%d saved twice), %d path steps, %d group documents", docs, twice, steps, groupDocs)
		}
		c := apptest.Client(t)
		res := apptest.Get(t, c, n.URL+"/library/paths")
		m := regexp.MustCompile(`href="/library/p/([0-9a-f-]+)">`).FindStringSubmatch(res.Body)
		if res.Status != http.StatusOK || m == nil {
			t.Fatalf("paths page: %d\n%s", res.Status, res.Body)
		}
		// A visitor sees the two public guides of the four.
		res = apptest.Get(t, c, n.URL+"/library/p/"+m[1])
		if res.Status != http.StatusOK || !regexp.MustCompile(`0 of 2 done`).MatchString(res.Body) {
			t.Errorf("the path for a visitor: %d\n%s", res.Status, res.Body)
		}
	})
}
