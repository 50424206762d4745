package roundchart

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/tally"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// committee reads tally's committee election: five candidates, two seats,
// thirty-one ballots.
func committee(t *testing.T) *tally.Election {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "tally", "testdata", "committee.blt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := tally.ReadBLT(f, "committee.blt")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// womenElection is three seats, at least two of them for women, among
// three popular men (Alan, Bill, Colin) and three women (Dora, Erin, Fay),
// as in tally's own minimum-representation tests.
func womenElection(t *testing.T) *tally.Election {
	t.Helper()
	e := &tally.Election{Title: "National committee", Seats: 3,
		Candidates:        []string{"Alan", "Bill", "Colin", "Dora", "Erin", "Fay"},
		Categories:        []string{"", "", "", "women", "women", "women"},
		MinRepresentation: []tally.Reserve{{Category: "women", Seats: 2}}}
	for _, b := range []struct {
		n       int64
		ranking []int
	}{{30, []int{0, 1}}, {28, []int{1, 2}}, {24, []int{2, 0}}, {10, []int{3, 4}}, {7, []int{4, 3}}, {5, []int{5, 3}}} {
		e.Ballots.Add(b.n, b.ranking...)
	}
	return e
}

// mustCount counts e by m, with seats seats if seats > 0.
func mustCount(t *testing.T, e *tally.Election, m tally.Method, seats int) *tally.Result {
	t.Helper()
	if seats > 0 {
		e.Seats = seats
	}
	res, err := tally.Count(e, m)
	if err != nil {
		t.Fatalf("count %s: %v", m, err)
	}
	return res
}

// mustDecide decides a proposal of twenty members: 9 agree, 2 abstain, 3
// disagree, no block, under a half quorum and a required three quarters.
func mustDecide(t *testing.T, v tally.ProposalVotes) *tally.ConsensusResult {
	t.Helper()
	rules := tally.ConsensusRules{Quorum: tally.NewFixed(1, 2).Div(tally.NewFixed(2, 2)), Required: tally.NewFixed(3, 2).Div(tally.NewFixed(4, 2))}
	res, err := tally.DecideProposal(v, rules)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustRender(t *testing.T, res *tally.Result, o Options) string {
	t.Helper()
	svg, err := Render(res, o)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return string(svg)
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff.\ngot:\n%s", name, got)
	}
}

// charts are the golden cases: each method family the results page shows.
func charts(t *testing.T) map[string]string {
	t.Helper()
	proposal, err := RenderProposal(mustDecide(t, tally.ProposalVotes{Eligible: 20, Agree: 9, Abstain: 2, Disagree: 3}), Options{Title: "Adopt the tenants' charter"})
	if err != nil {
		t.Fatal(err)
	}
	meeting, err := tally.CountMeetingTime("Planning meeting", []string{"Tuesday 7pm", "Thursday 7pm", "Saturday 11am"}, []tally.MeetingTimeBallot{
		{Marks: []tally.Availability{tally.Available, tally.IfNeedBe, tally.Unavailable}, Count: 4},
		{Marks: []tally.Availability{tally.IfNeedBe, tally.Available, tally.Available}, Count: 3},
		{Marks: []tally.Availability{tally.Unavailable, tally.Available, tally.IfNeedBe}, Count: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"meeting-time.svg":           mustRender(t, meeting, Options{}),
		"reserved-scottish-stv.svg":  mustRender(t, mustCount(t, womenElection(t), tally.ScottishSTV, 0), Options{}),
		"committee-scottish-stv.svg": mustRender(t, mustCount(t, committee(t), tally.ScottishSTV, 0), Options{}),
		"committee-meek.svg":         mustRender(t, mustCount(t, committee(t), tally.Meek, 0), Options{}),
		"committee-irv.svg":          mustRender(t, mustCount(t, committee(t), tally.IRV, 1), Options{Title: "Branch chair 2026"}),
		"committee-plurality.svg":    mustRender(t, mustCount(t, committee(t), tally.Plurality, 0), Options{ID: "plurality"}),
		"proposal-passed.svg":        string(proposal),
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for name, got := range charts(t) {
		t.Run(strings.TrimSuffix(name, ".svg"), func(t *testing.T) {
			golden(t, name, got)
		})
	}
}
