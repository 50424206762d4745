package rctab

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// ballotsOf builds ballots from rankings of candidate indices (one
// candidate per rank).
func ballotsOf(rankings ...[]int) *Ballots {
	b := newBallots()
	for _, r := range rankings {
		var ms []mark
		for i, c := range r {
			ms = append(ms, mark{rank: uint16(i + 1), cand: int16(c)})
		}
		b.add(ms)
	}
	return b
}

func repeat(n int, r []int) [][]int {
	out := make([][]int, n)
	for i := range out {
		out[i] = r
	}
	return out
}

// TestTiebreakModes checks who loses a last-place tie under each mode.
// Round 2 ties Birch and Cedar at 3; in round 1 Cedar had fewer. Random
// picks index floor(nextDouble*2) of [Birch, Cedar]: new Random(0) gives
// 0.7309..., so Cedar; new Random(12345) gives 0.3618..., so Birch.
func TestTiebreakModes(t *testing.T) {
	var rankings [][]int
	rankings = append(rankings, repeat(6, []int{0})...) // Ash
	rankings = append(rankings, repeat(3, []int{1})...) // Birch
	rankings = append(rankings, repeat(2, []int{2})...) // Cedar
	rankings = append(rankings, []int{3, 2})            // Dogwood, then Cedar
	tests := []struct {
		mode      TiebreakMode
		seed      string
		wantLoser string
		wantWhy   string
	}{
		{TiebreakPreviousThenRandom, "3", "Cedar", "in round 1"},
		{TiebreakUseCandidateOrder, "", "Cedar", "latest in the tie-breaking permutation"},
		{TiebreakRandom, "0", "Cedar", "randomly selected"},
		{TiebreakRandom, "12345", "Birch", "randomly selected"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode)+"_"+tt.seed, func(t *testing.T) {
			raw := seedRaw(t)
			raw.Candidates = append(raw.Candidates, Candidate{Name: "Dogwood"})
			raw.Rules.TiebreakMode = string(tt.mode)
			raw.Rules.RandomSeed = flexString(tt.seed)
			raw.CVRFileSources[0].UndeclaredWriteInLabel = ""
			cfg, err := NewConfig(raw, "testdata")
			if err != nil {
				t.Fatal(err)
			}
			res, err := Tabulate(context.Background(), cfg, ballotsOf(rankings...))
			if err != nil {
				t.Fatal(err)
			}
			var tied *Action
			for _, r := range res.Tabulations[0].Rounds {
				for i, a := range r.Eliminated {
					if a.TieBreak != "" {
						tied = &r.Eliminated[i]
					}
				}
			}
			if tied == nil {
				t.Fatal("no tie-break happened")
			}
			if tied.Candidate != tt.wantLoser || !strings.Contains(tied.TieBreak, tt.wantWhy) {
				t.Errorf("%s lost (%s); want %s (%s)", tied.Candidate, tied.TieBreak, tt.wantLoser, tt.wantWhy)
			}
		})
	}
}

// TestBallotOrderDoesNotMatter: a count is a function of the multiset of
// ballots, not of the order they were read in.
func TestBallotOrderDoesNotMatter(t *testing.T) {
	cfg, err := NewConfig(seedRaw(t), "testdata")
	if err != nil {
		t.Fatal(err)
	}
	rankings := [][]int{{0, 1}, {1, 0, 2}, {2, 1}, {1}, {0}, {2, 0}, {1, 2}, {0, 2, 1}, {2}}
	want := ""
	for shift := 0; shift < len(rankings); shift++ {
		rotated := append(append([][]int{}, rankings[shift:]...), rankings[:shift]...)
		res, err := Tabulate(context.Background(), cfg, ballotsOf(rotated...))
		if err != nil {
			t.Fatal(err)
		}
		got := string(cfg.detailedJSON(res.Tabulations[0]))
		if shift == 0 {
			want = got
		} else if got != want {
			t.Fatalf("rotation %d changed the report", shift)
		}
	}
}

// TestPreviousRoundCountsThenAsk: earlier rounds break the tie when they
// can; when they cannot, the operator is asked about the candidates still
// tied, and without an operator the count stops naming them.
func TestPreviousRoundCountsThenAsk(t *testing.T) {
	// Ash 5, Birch 3, Cedar 3, Dogwood>Ash 1: round 2 ties Birch and
	// Cedar at 3, as round 1 did.
	var stillTied [][]int
	stillTied = append(stillTied, repeat(5, []int{0})...)
	stillTied = append(stillTied, repeat(3, []int{1})...)
	stillTied = append(stillTied, repeat(3, []int{2})...)
	stillTied = append(stillTied, []int{3, 0})
	// Ash 6, Birch 3, Cedar 2, Dogwood>Cedar 1: round 1 separates them.
	var separated [][]int
	separated = append(separated, repeat(6, []int{0})...)
	separated = append(separated, repeat(3, []int{1})...)
	separated = append(separated, repeat(2, []int{2})...)
	separated = append(separated, []int{3, 2})

	raw := seedRaw(t)
	raw.Candidates = append(raw.Candidates, Candidate{Name: "Dogwood"})
	raw.Rules.TiebreakMode = string(TiebreakPreviousThenAsk)
	raw.CVRFileSources[0].UndeclaredWriteInLabel = ""
	cfg, err := NewConfig(raw, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	loser := func(res *Result) (string, string) {
		for _, r := range res.Tabulations[0].Rounds {
			for _, a := range r.Eliminated {
				if a.TieBreak != "" {
					return a.Candidate, a.TieBreak
				}
			}
		}
		return "", ""
	}

	t.Run("EarlierRoundDecides", func(t *testing.T) {
		res, err := tabulate(context.Background(), cfg, ballotsOf(separated...), func(_ context.Context, tie Tie) (string, error) {
			t.Errorf("asked about %s; round 1 breaks it", tie)
			return tie.Candidates[0], nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if who, why := loser(res); who != "Cedar" || !strings.Contains(why, "in round 1") {
			t.Errorf("%s lost (%s); want Cedar, by round 1", who, why)
		}
	})
	t.Run("OperatorDecides", func(t *testing.T) {
		var asked []Tie
		res, err := tabulate(context.Background(), cfg, ballotsOf(stillTied...), func(_ context.Context, tie Tie) (string, error) {
			asked = append(asked, tie)
			return "Birch", nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(asked) != 1 || asked[0].Round != 2 || asked[0].Winner || strings.Join(asked[0].Candidates, ",") != "Birch,Cedar" || asked[0].Votes != "3" {
			t.Errorf("asked %+v; want one question in round 2 about eliminating Birch or Cedar, 3 votes each", asked)
		}
		if who, why := loser(res); who != "Birch" || !strings.Contains(why, "supplied by the operator") {
			t.Errorf("%s lost (%s); want Birch, the operator's choice", who, why)
		}
	})
	t.Run("NoOperator", func(t *testing.T) {
		_, err := Tabulate(context.Background(), cfg, ballotsOf(stillTied...))
		var te *TieError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), `"Birch" and "Cedar" are tied for elimination with 3 votes each`) {
			t.Errorf("got %v, want a *TieError naming Birch and Cedar", err)
		}
	})
}
