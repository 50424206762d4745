package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// TestTallyRCTabConvert converts an RCTab case's cast vote records through
// the command and compares both files with RCTab's line by line (only the
// GeneratedDate line may differ); --convert without --rctab is refused.
func TestTallyRCTabConvert(t *testing.T) {
	t.Parallel()
	dir := testenv.Refdata(t, "rctab", "more_test_data", "conversions_from_dominion")
	config := filepath.Join(dir, "conversions_from_dominion_config.json")
	out := t.TempDir()
	r := runCLI(t, nil, "", "tally", "--rctab", config, "--convert", "--out", out)
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Stderr)
	}
	if r.Stdout != "" {
		t.Errorf("a conversion counts nothing, but printed:\n%.300s", r.Stdout)
	}
	if !strings.Contains(r.Stderr, "conversions_from_dominion_cdf_cvr.json") {
		t.Errorf("stderr does not name the files written: %q", r.Stderr)
	}
	for ours, theirs := range map[string]string{
		"conversions_from_dominion_cdf_cvr.json": "conversions_from_dominion_expected_cdf_cvr.json",
		"conversions_from_dominion.csv":          "conversions_from_dominion_expected.csv",
	} {
		got, err := os.ReadFile(filepath.Join(out, ours))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, theirs))
		if err != nil {
			t.Fatal(err)
		}
		gl := strings.Split(strings.TrimRight(string(got), "\n"), "\n")
		wl := strings.Split(strings.TrimRight(string(want), "\n"), "\n")
		if len(gl) != len(wl) {
			t.Fatalf("%s has %d lines, RCTab's %d", ours, len(gl), len(wl))
		}
		for i := range wl {
			if gl[i] != wl[i] && !strings.Contains(wl[i], "GeneratedDate") {
				t.Fatalf("%s line %d:\n got %s\nwant %s", ours, i+1, gl[i], wl[i])
			}
		}
	}
	if _, err := os.Stat(filepath.Join(out, "conversions_from_dominion_detailed_report.json")); err == nil {
		t.Error("--convert wrote a detailed report: it must not count")
	}

	r = runCLI(t, nil, "", "tally", "--convert", "--out", t.TempDir())
	if exitCode(r.Err) != 2 {
		t.Errorf("--convert without --rctab: exit %d, want 2", exitCode(r.Err))
	}
	missing := filepath.Join(t.TempDir(), "missing_config.json")
	r = runCLI(t, nil, "", "tally", "--rctab", missing, "--convert", "--out", t.TempDir())
	if r.Err == nil || !strings.Contains(r.Err.Error(), "missing_config.json") {
		t.Errorf("a missing configuration: error %v, want one naming the file", r.Err)
	}
}
