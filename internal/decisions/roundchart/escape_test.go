package roundchart

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/tally"
)

// hostile is a name a candidate could give themselves to attack the
// results page.
const hostile = `<script>alert(1)</script> & "Bob"`

func TestNamesAreEscaped(t *testing.T) {
	t.Parallel()
	multi := committee(t)
	multi.Candidates[0] = hostile
	single := committee(t)
	single.Candidates[0] = hostile
	proposal, err := RenderProposal(mustDecide(t, tally.ProposalVotes{Eligible: 3, Agree: 3}), Options{Title: hostile})
	if err != nil {
		t.Fatal(err)
	}
	for name, svg := range map[string]string{
		"stv":       mustRender(t, mustCount(t, multi, tally.ScottishSTV, 0), Options{Title: hostile}),
		"plurality": mustRender(t, mustCount(t, single, tally.Plurality, 0), Options{}),
		"proposal":  string(proposal),
	} {
		t.Run(name, func(t *testing.T) {
			for _, bad := range []string{"<script", "</script>", `"Bob"`, "& "} {
				if strings.Contains(svg, bad) {
					t.Errorf("the SVG holds %q unescaped:\n%s", bad, svg)
				}
			}
			// Escaped, the name must still read as itself.
			els := parseSVG(t, svg)
			found := strings.Contains(rootText(t, els, "title"), hostile)
			for _, e := range els {
				if strings.Contains(e.text, hostile) {
					found = true
				}
			}
			if !found {
				t.Errorf("the name does not read back as %q after escaping", hostile)
			}
			if n := len(find(els, "script", "")); n != 0 {
				t.Errorf("%d <script> elements", n)
			}
		})
	}
}

func TestOptionsID(t *testing.T) {
	t.Parallel()
	res := mustCount(t, committee(t), tally.Plurality, 0)
	for _, tc := range []struct {
		name, id string
		ok       bool
	}{
		{"Default", "", true},
		{"Plain", "decision-3_round", true},
		{"StartsWithDigit", "3chart", false},
		{"Quote", `x" onload="alert(1)`, false},
		{"Space", "a b", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Render(res, Options{ID: tc.id})
			if (err == nil) != tc.ok {
				t.Errorf("Render with ID %q: err = %v, want ok=%v", tc.id, err, tc.ok)
			}
		})
	}
}
