package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/decisions/roundchart"
	"github.com/momentum-movement/momentum/tally"
)

// committeeBLT is tally's committee election: Scottish STV passes 0.99996
// of Ama Osei's surplus to Ben Hart and loses 0.00004 to truncation.
var committeeBLT = filepath.Join("..", "..", "tally", "testdata", "committee.blt")

// TestTallyRoundsFromOne: the text report and the JSON number the first
// round 1, and each round one more than the last, for methods of many
// rounds and of one.
func TestTallyRoundsFromOne(t *testing.T) {
	t.Parallel()
	for _, m := range []string{"scottish-stv", "meek", "wigm", "plurality", "schulze"} {
		t.Run(m, func(t *testing.T) {
			text := runCLI(t, nil, "", "tally", "--method", m, committeeBLT)
			if text.Err != nil {
				t.Fatalf("%v\n%s", text.Err, text.Stderr)
			}
			heads := regexp.MustCompile(`(?m)^Round (\d+)$`).FindAllStringSubmatch(text.Stdout, -1)
			if len(heads) == 0 || heads[0][1] != "1" {
				t.Fatalf("text report's first round is %v, want Round 1:\n%s", heads, text.Stdout)
			}
			r := runCLI(t, nil, "", "tally", "--method", m, "--json", committeeBLT)
			if r.Err != nil {
				t.Fatalf("%v\n%s", r.Err, r.Stderr)
			}
			var got tallyJSON
			if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Rounds) != len(heads) {
				t.Fatalf("JSON has %d rounds, the text %d", len(got.Rounds), len(heads))
			}
			for i, rd := range got.Rounds {
				if rd.Round != i+1 || heads[i][1] != strconv.Itoa(i+1) {
					t.Errorf("round %d is numbered %d in the JSON and %s in the text, want %d", i, rd.Round, heads[i][1], i+1)
				}
			}
		})
	}
}

// TestTallyFiguresMatchTheChart counts the committee election by the CLI
// and draws the results page's chart of the same count: every figure the
// chart's description gives (what a screen reader says, and what its
// labels show) appears, digit for digit, in the CLI's report and JSON.
func TestTallyFiguresMatchTheChart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method tally.Method
		want   []string // figures that must be among them
	}{
		{tally.ScottishSTV, []string{"5.99996", "0.99996", "11.00000"}},
		{tally.Meek, []string{"10.333333333333333333", "10.666666666666666667"}},
	} {
		t.Run(string(tc.method), func(t *testing.T) {
			text := runCLI(t, nil, "", "tally", "--method", string(tc.method), committeeBLT)
			js := runCLI(t, nil, "", "tally", "--method", string(tc.method), "--json", committeeBLT)
			if text.Err != nil || js.Err != nil {
				t.Fatalf("%v %v", text.Err, js.Err)
			}
			f, err := os.Open(committeeBLT)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			e, err := tally.ReadBLT(f, "committee.blt")
			if err != nil {
				t.Fatal(err)
			}
			res, err := tally.Count(e, tc.method)
			if err != nil {
				t.Fatal(err)
			}
			svg, err := roundchart.Render(res, roundchart.Options{})
			if err != nil {
				t.Fatal(err)
			}
			desc := regexp.MustCompile(`<desc[^>]*>([^<]*)</desc>`).FindStringSubmatch(string(svg))
			if desc == nil {
				t.Fatalf("no <desc> in\n%s", svg)
			}
			figures := regexp.MustCompile(`\d+\.\d+`).FindAllString(desc[1], -1)
			for _, w := range tc.want {
				if !strings.Contains(desc[1], w) {
					t.Errorf("chart description lacks %s:\n%s", w, desc[1])
				}
			}
			for _, fig := range figures {
				if !strings.Contains(text.Stdout, " "+fig) {
					t.Errorf("chart says %s; the CLI's report never does", fig)
				}
				if !strings.Contains(js.Stdout, `"`+fig+`"`) {
					t.Errorf("chart says %s; the CLI's JSON never does", fig)
				}
				if !strings.Contains(string(svg), ">"+fig+" · ") && !strings.Contains(string(svg), ">"+fig+"<") &&
					!strings.Contains(string(svg), "quota "+fig) && !strings.Contains(string(svg), "→ "+fig) {
					t.Errorf("chart's description says %s but no label shows it", fig)
				}
			}
			if len(figures) < 3 {
				t.Errorf("only %d figures in the description: %s", len(figures), desc[1])
			}
		})
	}
}
