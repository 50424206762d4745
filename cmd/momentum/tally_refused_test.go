package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// TestTallyRCTabRefusedCases runs, through the command, every case of
// RCTab's suite whose expected outcome is RCTab refusing the contest: each
// must exit 2 naming the configuration field's JSON path (issue 15; the
// same cases run in tally/rctab's TestRCTabCases).
func TestTallyRCTabRefusedCases(t *testing.T) {
	t.Parallel()
	root := testenv.Refdata(t, "rctab", "more_test_data")
	cases := []struct{ name, field string }{
		{"invalid_params_test", "rules.tiebreakMode"},
		{"invalid_sources_test", "cvrFileSources[0].filePath"},
		{"invalid_output_directory", "outputSettings.outputDirectory"},
		{"max_ranking_enforcement", "rules.maxRankingsAllowed"},
		{"tabulate_by_precinct_without_precincts", "outputSettings.tabulateByPrecinct"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfgs, _ := filepath.Glob(filepath.Join(root, tc.name, "*config.json"))
			if len(cfgs) != 1 {
				t.Fatalf("want one configuration in %s, found %v", tc.name, cfgs)
			}
			out := t.TempDir()
			r := runCLI(t, nil, "", "tally", "--rctab", cfgs[0], "--out", out)
			if got := exitCode(r.Err); got != 2 {
				t.Fatalf("exit %d (%v), want 2", got, r.Err)
			}
			if !strings.Contains(r.Err.Error(), tc.field) {
				t.Errorf("message %q does not name %s", r.Err, tc.field)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("a refused contest wrote %d files into --out", len(entries))
			}
		})
	}
}
