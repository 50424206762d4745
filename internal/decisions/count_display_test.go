package decisions

import (
	"testing"

	"github.com/momentum-movement/momentum/tally"
)

// TestOutcomeFiguresAtTheRulesPlaces: the stored outcome's exhausted
// value, shown on the results page and in the API, is written as the
// round-by-round table writes it (Scottish STV: five places), and the
// count's rounds are numbered from 1. The ballots are tally's committee
// election, whose first surplus is transferred at a fractional value.
func TestOutcomeFiguresAtTheRulesPlaces(t *testing.T) {
	t.Parallel()
	d := &Decision{ID: "d1", Title: "Branch committee 2026", Kind: KindElection, Method: tally.ScottishSTV, Seats: 2,
		Turnout: 31, ElectorateSize: 31}
	for i, name := range []string{"Ama Osei", "Ben Hart", "Cara Lind", "Dev Rao", "Eve Quinn"} {
		d.Options = append(d.Options, Option{Position: i + 1, Label: name})
	}
	var choices []Choice
	for _, b := range []struct {
		n       int
		ranking []int
	}{{12, []int{1, 2}}, {5, []int{2, 3, 1}}, {4, []int{3, 2}}, {4, []int{4, 5, 3}}, {4, []int{5, 4}}, {2, []int{3}}} {
		for range b.n {
			choices = append(choices, Choice{Ranking: b.ranking})
		}
	}
	o, err := countChoices(d, choices)
	if err != nil {
		t.Fatal(err)
	}
	if o.Exhausted != "0.99996" {
		t.Errorf("exhausted %q, want 0.99996", o.Exhausted)
	}
	if n := o.Count.Rounds[0].Number; n != 1 {
		t.Errorf("first round numbered %d, want 1", n)
	}
}
