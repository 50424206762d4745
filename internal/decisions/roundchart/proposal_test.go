package roundchart

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/tally"
)

func TestProposalOutcomes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		votes   tally.ProposalVotes
		outcome string
		fill    string
		desc    string
	}{
		{"Passed", tally.ProposalVotes{Eligible: 20, Agree: 9, Abstain: 2, Disagree: 3}, "Passed", colElected, "9 agreed, 2 abstained, 3 disagreed and 0 blocked"},
		{"Blocked", tally.ProposalVotes{Eligible: 20, Agree: 15, Block: 1}, "Blocked", colAgainst, "1 member(s) blocked the proposal"},
		{"NoQuorum", tally.ProposalVotes{Eligible: 20, Agree: 5}, "No quorum", colAgainst, "5 of 20 eligible members took a position"},
		{"Rejected", tally.ProposalVotes{Eligible: 20, Agree: 6, Disagree: 6}, "Rejected", colAgainst, "6 agreed and 6 disagreed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svg, err := RenderProposal(mustDecide(t, tc.votes), Options{Title: "Rent strike"})
			if err != nil {
				t.Fatal(err)
			}
			els := parseSVG(t, string(svg))
			out := find(els, "text", "outcome")
			if len(out) != 1 || out[0].text != tc.outcome || out[0].attrs["fill"] != tc.fill {
				t.Fatalf("outcome labels %v, want one %q in %s", out, tc.outcome, tc.fill)
			}
			if title := rootText(t, els, "title"); title != "Rent strike: "+strings.ToLower(tc.outcome) {
				t.Errorf("title %q", title)
			}
			if desc := rootText(t, els, "desc"); !strings.HasPrefix(desc, tc.outcome+".") || !strings.Contains(desc, tc.desc) {
				t.Errorf("desc %q, want it to open with %q and say %q", desc, tc.outcome, tc.desc)
			}
			if n := len(find(els, "path", "quota")); n != 2 {
				t.Errorf("%d threshold lines, want the quorum and the required share", n)
			}
			var rows []string
			for _, l := range find(els, "text", "name") {
				rows = append(rows, l.text)
			}
			if got := strings.Join(rows, "|"); got != "Took a position|Agree|Abstain|Disagree|Block|Agree of agree and disagree" {
				t.Errorf("rows %s", got)
			}
		})
	}
}

func TestRenderRefusesMalformedInput(t *testing.T) {
	t.Parallel()
	good := func() *tally.Result { return mustCount(t, committee(t), tally.ScottishSTV, 0) }
	short := good()
	short.Rounds[1].Tallies = short.Rounds[1].Tallies[:2]
	noRounds := good()
	noRounds.Rounds = nil
	badElected := good()
	badElected.Elected = []int{9}
	for _, tc := range []struct {
		name string
		res  *tally.Result
		o    Options
	}{
		{"NilResult", nil, Options{}},
		{"NoRounds", noRounds, Options{}},
		{"TalliesShort", short, Options{}},
		{"ElectedUnknown", badElected, Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svg, err := Render(tc.res, tc.o)
			if errs.CodeOf(err) != errs.Internal || svg != "" {
				t.Errorf("Render = %q, %v; want no chart and an internal error", svg, err)
			}
		})
	}
	t.Run("ProposalWithoutMembers", func(t *testing.T) {
		if _, err := RenderProposal(&tally.ConsensusResult{}, Options{}); errs.CodeOf(err) != errs.Internal {
			t.Errorf("err = %v, want internal", err)
		}
		if _, err := RenderProposal(nil, Options{}); errs.CodeOf(err) != errs.Internal {
			t.Errorf("err = %v, want internal", err)
		}
	})
}
