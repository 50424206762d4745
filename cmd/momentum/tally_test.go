package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const smallBLT = `4 2
-4
6 1 2 0
2 2 3 0
3 3 4 0
1 4 3 0
0
"Ann"
"Bob"
"Cat"
"Dan"
"Small committee"
`

// tallyJSON is the shape `momentum tally --json` promises.
type tallyJSON struct {
	Method  string   `json:"method"`
	Seats   int      `json:"seats"`
	Elected []string `json:"elected"`
	Rounds  []struct {
		Round   int `json:"round"`
		Tallies []struct {
			Candidate string `json:"candidate"`
			Votes     string `json:"votes"`
		} `json:"tallies"`
		Events []struct {
			Kind   string `json:"kind"`
			Detail string `json:"detail"`
		} `json:"events"`
	} `json:"rounds"`
}

func TestTallyCommand(t *testing.T) {
	t.Parallel()
	blt := writeFile(t, "small.blt", smallBLT)
	bad := writeFile(t, "bad.blt", "3 1\n2 1 9 0\n0\n\"a\"\n\"b\"\n\"c\"\n")
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // substrings of standard output
		errMatch string   // substring of the error
		elected  []string // with --json
	}{
		{name: "ScottishText", args: []string{"tally", "--method", "scottish-stv", blt}, code: 0,
			stdout: []string{"Quota:      5.00000", "Ann has 6.00000 votes, reaching the quota", "Elected: Ann, Cat"}},
		{name: "ScottishJSON", args: []string{"tally", "--method", "scottish-stv", "--json", blt}, elected: []string{"Ann", "Cat"}},
		{name: "MeekJSON", args: []string{"tally", blt, "--method", "meek", "--json"}, elected: []string{"Ann", "Cat"}},
		{name: "IRVOneSeat", args: []string{"tally", "--method", "irv", "--seats", "1", "--json", blt}, elected: []string{"Ann"}},
		{name: "PluralityText", args: []string{"tally", "--method", "plurality", blt}, stdout: []string{"Elected: Ann, Cat"}},
		{name: "IRVTwoSeatsIsCountError", args: []string{"tally", "--method", "irv", blt}, code: 1, errMatch: "instant-runoff fills one seat"},
		{name: "MalformedNamesFileAndLine", args: []string{"tally", "--method", "irv", bad}, code: 2, errMatch: "bad.blt:2: preference 9 is not a candidate"},
		{name: "MissingFile", args: []string{"tally", "--method", "irv", filepath.Join(t.TempDir(), "none.blt")}, code: 2, errMatch: "no such file"},
		{name: "UnknownMethod", args: []string{"tally", "--method", "borda", blt}, code: 2, errMatch: "unknown method"},
		{name: "BadSeats", args: []string{"tally", "--method", "meek", "--seats", "9", blt}, code: 2, errMatch: "--seats 9"},
		{name: "NoFile", args: []string{"tally", "--method", "meek"}, code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, nil, "", tt.args...)
			if got := exitCode(r.Err); got != tt.code {
				t.Fatalf("exit %d (%v), want %d\nstdout:\n%s\nstderr:\n%s", got, r.Err, tt.code, r.Stdout, r.Stderr)
			}
			if tt.errMatch != "" && (r.Err == nil || !strings.Contains(r.Err.Error(), tt.errMatch)) {
				t.Errorf("error %v, want it to say %q", r.Err, tt.errMatch)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(r.Stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, r.Stdout)
				}
			}
			if tt.elected != nil {
				var got tallyJSON
				if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
					t.Fatalf("output is not JSON: %v\n%s", err, r.Stdout)
				}
				if !slices.Equal(got.Elected, tt.elected) || len(got.Rounds) == 0 || got.Seats == 0 || got.Method == "" {
					t.Errorf("JSON %s seats %d elected %v in %d rounds, want %v", got.Method, got.Seats, got.Elected, len(got.Rounds), tt.elected)
				}
			}
		})
	}
}

// TestTallyGlasgowWard counts a real Glasgow 2007 ward from the reference
// data and checks the elected set and the shape of the JSON rounds.
func TestTallyGlasgowWard(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "refdata", "droop", "test", "blt", "scotland")
	path := filepath.Join(dir, "Anderston-City-2007.blt")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("reference data folder %s is absent", dir)
	}
	r := runCLI(t, nil, "", "tally", "--method", "scottish-stv", "--json", path)
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Stderr)
	}
	var got tallyJSON
	if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
		t.Fatal(err)
	}
	// Droop's reference report: MacKay on the first count, Braat after
	// the fifth exclusion, then Baker and Matheson fill the last seats.
	want := []string{"Craig MacKay", "Philip Braat", "Nina Baker", "Gordon Matheson"}
	if !slices.Equal(got.Elected, want) || got.Seats != 4 || len(got.Rounds) != 8 {
		t.Fatalf("elected %v in %d rounds (seats %d), want %v in 8", got.Elected, len(got.Rounds), got.Seats, want)
	}
	var baker string
	for _, tl := range got.Rounds[1].Tallies {
		if tl.Candidate == "Nina Baker" {
			baker = tl.Votes
		}
	}
	if baker != "927.98248" {
		t.Errorf("Nina Baker after MacKay's surplus: %s, Droop 927.98248", baker)
	}
}

// TestTallyRCTab counts an RCTab regression case through the command and
// compares the detailed reports it writes with RCTab's, line by line
// (only the "generated by" lines may differ); a broken configuration is
// refused as bad input.
func TestTallyRCTab(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "refdata", "rctab", "test_data", "2015_portland_mayor")
	config := filepath.Join(dir, "2015_portland_mayor_config.json")
	if _, err := os.Stat(config); err != nil {
		t.Skipf("reference data folder %s is absent", dir)
	}
	out := t.TempDir()
	r := runCLI(t, nil, "", "tally", "--rctab", config, "--out", out)
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Stderr)
	}
	if !strings.Contains(r.Stdout, "Mavodones, Nicholas M. Jr.") {
		t.Errorf("the printed count does not name the winner:\n%s", r.Stdout)
	}
	for _, ext := range []string{".json", ".csv"} {
		got, err := os.ReadFile(filepath.Join(out, "2015_portland_mayor_detailed_report"+ext))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, "2015_portland_mayor_expected_detailed_report"+ext))
		if err != nil {
			t.Fatal(err)
		}
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		if len(gl) != len(wl) {
			t.Fatalf("%s report has %d lines, RCTab's %d", ext, len(gl), len(wl))
		}
		for i := range wl {
			generated := strings.Contains(wl[i], "generatedBy") || strings.HasPrefix(wl[i], "Generated By")
			if gl[i] != wl[i] && !generated {
				t.Fatalf("%s report line %d:\n got %s\nwant %s", ext, i+1, gl[i], wl[i])
			}
		}
	}

	bad := writeFile(t, "bad_config.json", `{"tabulatorVersion": "2.0.0", "outputSettings": {"contestName": "x"}, "cvrFileSources": [], "candidates": [], "rules": {"winnerElectionMode": "nonsense"}}`)
	r = runCLI(t, nil, "", "tally", "--rctab", bad, "--out", t.TempDir())
	if exitCode(r.Err) != 2 || r.Err == nil || !strings.Contains(r.Err.Error(), "bad_config.json") {
		t.Errorf("a broken configuration: exit %d, error %v; want exit 2 naming the file", exitCode(r.Err), r.Err)
	}
	r = runCLI(t, nil, "", "tally", "--rctab", config, "--method", "irv")
	if exitCode(r.Err) != 2 {
		t.Errorf("--rctab with --method: exit %d, want 2", exitCode(r.Err))
	}
}
