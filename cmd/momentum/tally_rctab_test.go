package main

import (
	"bufio"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
	"github.com/momentum-movement/momentum/tally/rctab"
)

// TestAskOnTerminal: the tie-break prompt lists the tied candidates by
// number, asks again after a wrong answer, and x cancels.
func TestAskOnTerminal(t *testing.T) {
	tie := rctab.Tie{Round: 2, Candidates: []string{"George Gervin", "Yinka Dare"}, Votes: "3"}
	tests := []struct {
		name, input, want string
		err               error
		prompts           int
	}{
		{"Second", "2\n", "Yinka Dare", nil, 1},
		{"AfterWrongAnswers", "3\nDare\n 1 \n", "George Gervin", nil, 3},
		{"Cancel", "x\n", "", errTieCancelled, 1},
		{"NoAnswer", "0\n", "", nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			got, err := askOnTerminal(bufio.NewReader(strings.NewReader(tt.input)), &out)(context.Background(), tie)
			switch {
			case tt.err != nil && !errors.Is(err, tt.err):
				t.Errorf("error %v, want %v", err, tt.err)
			case tt.want == "" && tt.err == nil && (err == nil || !strings.Contains(err.Error(), "no answer")):
				t.Errorf("error %v, want no answer", err)
			case got != tt.want:
				t.Errorf("chose %q, want %q", got, tt.want)
			}
			for _, line := range []string{"Tie in round 2; each of these candidates has 3 votes:", "  1. George Gervin", "  2. Yinka Dare"} {
				if !strings.Contains(out.String(), line) {
					t.Errorf("prompt lacks %q:\n%s", line, out.String())
				}
			}
			if n := strings.Count(out.String(), "Number of the candidate to eliminate"); n != tt.prompts {
				t.Errorf("asked %d times, want %d:\n%s", n, tt.prompts, out.String())
			}
		})
	}
}

// TestTallyRCTabTieWithoutTerminal: with stdin not a terminal, a tie that
// tiebreakMode stopCountingAndAsk leaves to the operator fails the count
// (exit 1) naming the tied candidates.
func TestTallyRCTabTieWithoutTerminal(t *testing.T) {
	t.Parallel()
	dir := testenv.Refdata(t, "rctab", "more_test_data", "sample_interactive_tiebreak")
	config := filepath.Join(dir, "sample_interactive_tiebreak_config.json")
	r := runCLI(t, nil, "1\n", "tally", "--rctab", config, "--out", t.TempDir())
	if exitCode(r.Err) != 1 || r.Err == nil {
		t.Fatalf("exit %d (%v), want 1", exitCode(r.Err), r.Err)
	}
	for _, want := range []string{`round 2: "George Gervin" and "Yinka Dare" are tied for elimination`, "stopCountingAndAsk", "terminal"} {
		if !strings.Contains(r.Err.Error(), want) {
			t.Errorf("message %q lacks %q", r.Err, want)
		}
	}
}

// TestTallyRCTabOutNotWritable: a report folder that cannot be written is
// refused (exit 2) before anything is read or counted.
func TestTallyRCTabOutNotWritable(t *testing.T) {
	t.Parallel()
	dir := testenv.Refdata(t, "rctab", "test_data", "2015_portland_mayor")
	file := writeFile(t, "not_a_folder", "x")
	r := runCLI(t, nil, "", "tally", "--rctab", filepath.Join(dir, "2015_portland_mayor_config.json"), "--out", filepath.Join(file, "reports"))
	if exitCode(r.Err) != 2 || r.Err == nil || !strings.Contains(r.Err.Error(), "is a file, not a folder") {
		t.Errorf("exit %d (%v), want 2 saying the --out path is a file", exitCode(r.Err), r.Err)
	}
}
