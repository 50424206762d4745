package app_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// axeAllowed are the serious or critical axe-core violations the main pages
// still have, as "rule page" (page as in walkMainPages). Each is a known
// fault waiting for its fix, not an accepted one: remove its line with the
// fix. TestBrowserAxe fails on any other, and says when a line here is no
// longer needed.
var axeAllowed = map[string]string{}

// axeResult is what axe.run reports of one violated rule.
type axeResult struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	Targets []string
	Nodes   int
}

// TestBrowserAxe (issue 16) runs axe-core, the accessibility checker, in
// chromium on each main page of the demo network (the pages of
// TestBrowserScreens) at 390 and 1280 px, and fails on every violation
// whose impact is serious or critical, naming the rule, its impact and the
// first elements it found. axe-core comes from npm:
//
//	npm ci --prefix internal/app/testdata/axe
func TestBrowserAxe(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		testenv.Missing(t, "axe-core", "run: npm ci --prefix internal/app/testdata/axe")
	}
	if browsertest.Binary() == "" {
		testenv.Missing(t, "Browser", "install chromium ("+browsertest.Install+") or set MOMENTUM_CHROMIUM")
	}
	used := map[string]bool{}
	checked := 0
	for _, screen := range mainScreens {
		t.Run(screen.name, func(t *testing.T) {
			tab := browsertest.Start(t, screen.opts)
			checked += walkMainPages(t, tab, func(p mainPage) {
				for _, v := range runAxe(t, tab, string(src)) {
					key := v.ID + " " + p.name
					if _, ok := axeAllowed[key]; ok {
						used[key] = true
						t.Logf("allowed for now: %s at %s px: %s (%s) on %s", key, screen.name, v.Help, v.Impact, strings.Join(v.Targets, ", "))
						continue
					}
					t.Errorf("%s (%s) at %s px: %s [%s]: %s; %d elements, the first: %s",
						p.path, p.name, screen.name, v.ID, v.Impact, v.Help, v.Nodes, strings.Join(v.Targets, ", "))
				}
			})
		})
	}
	for key := range axeAllowed {
		if !used[key] {
			t.Errorf("axeAllowed: %q no longer fails: remove it", key)
		}
	}
	t.Logf("axe-core checked %d pages (%d main pages at %d widths)", checked, checked/len(mainScreens), len(mainScreens))
}

// runAxe injects axe-core into the page, runs it and returns the serious
// and critical violations, sorted by rule.
func runAxe(t *testing.T, tab *browsertest.Tab, src string) []axeResult {
	t.Helper()
	if _, err := chromedp.Run(tab.Context(), chromedp.Evaluate[bool](src+";\ntrue")); err != nil {
		t.Fatalf("%s: inject axe-core: %v", tab.Path(), err)
	}
	out, err := chromedp.Run(tab.Context(), chromedp.Evaluate[[]axeResult](`axe.run(document, {resultTypes: ["violations"]}).then((r) =>
		r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({
			id: v.id, impact: v.impact, help: v.help, Nodes: v.nodes.length,
			Targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
		})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", tab.Path(), err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
