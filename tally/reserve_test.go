package tally

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// womenElection is a three-seat election in which the three men (A, B, C)
// are so popular that no woman (D, E, F) is elected without a
// minimum-representation rule. The quota is 27 (Scottish STV) or 26
// (Meek): A is elected on first preferences, and B reaches the quota too.
func womenElection(t *testing.T, k int) *Election {
	t.Helper()
	e := mkElection(t, "ABCDEF", 3, "30:A>B", "28:B>C", "24:C>A", "10:D>E", "7:E>D", "5:F>D")
	e.Categories = []string{"", "", "", "women", "women", "women"}
	if k > 0 {
		e.MinRepresentation = []Reserve{{Category: "women", Seats: k}}
	}
	return e
}

// findEvent returns the first event of kind about candidate c, and whether
// there was one.
func findEvent(res *Result, kind EventKind, c int) (Event, bool) {
	for _, rd := range res.Rounds {
		for _, ev := range rd.Events {
			if ev.Kind == kind && ev.Candidate == c {
				return ev, true
			}
		}
	}
	return Event{}, false
}

func countIn(e *Election, elected []int, category string) int {
	n := 0
	for _, c := range elected {
		if e.Categories[c] == category {
			n++
		}
	}
	return n
}

// TestMinRepresentationElectsWomen counts the same ballots without and
// with two seats reserved for women: without, three men win; with, A wins
// on first preferences, which leaves both remaining seats reserved, so B
// is excluded although at the quota, C is excluded, and two women win.
func TestMinRepresentationElectsWomen(t *testing.T) {
	t.Parallel()
	for _, m := range []Method{ScottishSTV, Meek} {
		t.Run(string(m), func(t *testing.T) {
			free, err := Count(womenElection(t, 0), m)
			if err != nil {
				t.Fatal(err)
			}
			if n := countIn(womenElection(t, 0), free.Elected, "women"); n != 0 {
				t.Fatalf("without the rule %d women elected (%v); the test needs none", n, free.ElectedNames())
			}
			res, err := Count(womenElection(t, 2), m)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := res.ElectedNames(), []string{"A", "D", "E"}; !slices.Equal(got, want) {
				t.Errorf("elected %v, want %v", got, want)
			}
			if n := res.ElectedIn("women"); n != 2 {
				t.Errorf("ElectedIn(women) = %d, want 2", n)
			}
			why := "the remaining 2 seats are reserved for women (at least 2 of the 3 seats must go to women, 0 elected so far)"
			for _, tc := range []struct {
				cand  int
				quota bool
			}{{1, true}, {2, false}} {
				ev, ok := findEvent(res, EventDefeated, tc.cand)
				if !ok {
					t.Fatalf("no defeat of %s", res.Candidates[tc.cand])
				}
				if ev.Reason != ReasonReserved || !strings.Contains(ev.Detail, why) {
					t.Errorf("%s's defeat: %s %q, want %s mentioning %q", res.Candidates[tc.cand], ev.Reason, ev.Detail, ReasonReserved, why)
				}
				if got := strings.Contains(ev.Detail, "but is excluded rather than elected"); got != tc.quota {
					t.Errorf("%s's defeat %q: says it reached the quota = %v, want %v", res.Candidates[tc.cand], ev.Detail, got, tc.quota)
				}
			}
			if res.MinRepresentation[0] != (Reserve{"women", 2}) || res.Categories[3] != "women" {
				t.Errorf("result carries rules %v and categories %v", res.MinRepresentation, res.Categories)
			}
		})
	}
}

// TestMinRepresentationKeepsLastCandidates gives the only woman the fewest
// first preferences: she must not be excluded as the lowest while the
// seat reserved for women needs her, so the lowest man (D) goes instead;
// his ballots elect A, the last seat is then reserved, and she wins it.
func TestMinRepresentationKeepsLastCandidates(t *testing.T) {
	t.Parallel()
	for _, m := range []Method{ScottishSTV, Meek} {
		t.Run(string(m), func(t *testing.T) {
			e := mkElection(t, "ABCDW", 2, "30:A>B", "25:B>A", "20:C>B", "15:D>A", "10:W>C")
			e.Categories = []string{"", "", "", "", "women"}
			e.MinRepresentation = []Reserve{{"women", 1}}
			res, err := Count(e, m)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(res.ElectedNames(), "W") || len(res.Elected) != 2 {
				t.Fatalf("elected %v, want W among two", res.ElectedNames())
			}
			ev, ok := findEvent(res, EventDefeated, 3)
			if !ok {
				t.Fatal("D was never defeated")
			}
			if ev.Reason != ReasonLowestUnreserved || !strings.Contains(ev.Detail, "W (10.") ||
				!strings.Contains(ev.Detail, "stays in the count: 1 seat is still reserved for women and only 1 candidate in that category remains") {
				t.Errorf("D's defeat: %s %q; want %s explaining why W stays", ev.Reason, ev.Detail, ReasonLowestUnreserved)
			}
		})
	}
}

// TestMinRepresentationAllSeats reserves every seat: the men are excluded
// before anyone is elected, even the one with a quota of first
// preferences.
func TestMinRepresentationAllSeats(t *testing.T) {
	t.Parallel()
	for _, m := range []Method{ScottishSTV, Meek} {
		t.Run(string(m), func(t *testing.T) {
			res, err := Count(womenElection(t, 3), m)
			if err != nil {
				t.Fatal(err)
			}
			got := res.ElectedNames()
			slices.Sort(got)
			if !slices.Equal(got, []string{"D", "E", "F"}) {
				t.Errorf("elected %v, want D, E, F", got)
			}
			ev, _ := findEvent(res, EventDefeated, 0)
			if !strings.Contains(ev.Detail, "all 3 seats are reserved for women") || !strings.Contains(ev.Detail, "excluded rather than elected") {
				t.Errorf("A's defeat %q", ev.Detail)
			}
			if res.Rounds[0].Status[0] != Defeated {
				t.Errorf("A is %s after the first round, want defeated", res.Rounds[0].Status[0])
			}
		})
	}
}

func TestMinRepresentationRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		method Method
		edit   func(e *Election)
		want   string
	}{
		{"MoreThanSeats", ScottishSTV, func(e *Election) { e.MinRepresentation[0].Seats = 4 }, "4 seats reserved for women, but the election fills only 3 seats"},
		{"TooFewCandidates", Meek, func(e *Election) {
			e.Withdrawn = []bool{false, false, false, false, true, true}
			e.MinRepresentation[0].Seats = 2
		}, "2 seats reserved for women, but only 1 candidate in that category stands"},
		{"ZeroSeats", Meek, func(e *Election) { e.MinRepresentation[0].Seats = 0 }, "must be at least 1 seat, not 0"},
		{"NoCategory", Meek, func(e *Election) { e.MinRepresentation[0].Category = "" }, "must name its category"},
		{"Twice", Meek, func(e *Election) { e.MinRepresentation = append(e.MinRepresentation, e.MinRepresentation[0]) }, "given twice"},
		{"TogetherTooMany", ScottishSTV, func(e *Election) {
			e.Categories[0] = "young"
			e.Categories[1] = "young"
			e.MinRepresentation = []Reserve{{"women", 2}, {"young", 2}}
		}, "reserve 4 seats together, but the election fills only 3 seats"},
		{"WIGM", WIGM, func(*Election) {}, "only Scottish STV and Meek STV apply a minimum-representation rule"},
		{"Approval", Approval, func(*Election) {}, "only Scottish STV and Meek STV"},
		{"Schulze", Schulze, func(*Election) {}, "only Scottish STV and Meek STV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := womenElection(t, 1)
			tt.edit(e)
			_, err := Count(e, tt.method)
			var ce *CountError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want a *CountError saying %q", err, tt.want)
			}
		})
	}
	t.Run("CategoriesLength", func(t *testing.T) {
		e := womenElection(t, 1)
		e.Categories = e.Categories[:2]
		_, err := CountScottishSTV(e)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "category list has 2 entries for 6 candidates") {
			t.Errorf("error %v, want an *InputError about the category list", err)
		}
	})
}

// TestMinRepresentationProperty counts random elections, places in the
// category only candidates the unrestricted count left out (so the rule
// must act), reserves one or more seats for them, and checks that the
// seats are filled and the category gets at least its reserve, under
// both methods; a second category is reserved in some elections.
func TestMinRepresentationProperty(t *testing.T) {
	t.Parallel()
	for _, m := range []Method{ScottishSTV, Meek} {
		t.Run(string(m), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(2015, 4))
			for i := range 60 {
				nc := 3 + rng.IntN(8)
				seats := 1 + rng.IntN(min(5, nc-1))
				e := genElection(rng, nc, 30+rng.IntN(300), seats, 1+rng.IntN(nc))
				free, err := Count(e, m)
				if err != nil {
					t.Fatal(err)
				}
				e.Categories = make([]string, nc)
				var out []int
				for c := range nc {
					if !slices.Contains(free.Elected, c) {
						out = append(out, c)
					}
				}
				rng.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
				women := out[:1+rng.IntN(len(out))]
				for _, c := range women {
					e.Categories[c] = "women"
				}
				e.MinRepresentation = []Reserve{{"women", 1 + rng.IntN(min(seats, len(women)))}}
				if rest := out[len(women):]; len(rest) > 0 && e.MinRepresentation[0].Seats < seats && rng.IntN(2) == 0 {
					e.Categories[rest[0]] = "young"
					e.MinRepresentation = append(e.MinRepresentation, Reserve{"young", 1})
				}
				res, err := Count(e, m)
				if err != nil {
					t.Fatalf("election %d: %v", i, err)
				}
				if len(res.Elected) != seats {
					t.Fatalf("election %d: %d elected for %d seats", i, len(res.Elected), seats)
				}
				for _, r := range e.MinRepresentation {
					if got := res.ElectedIn(r.Category); got < r.Seats {
						t.Fatalf("election %d: %d of %s elected (%v), at least %d reserved", i, got, r.Category, res.ElectedNames(), r.Seats)
					}
				}
			}
		})
	}
}

// TestCategoriesAloneChangeNothing gives candidates categories but
// reserves no seats: every count must match the count without them.
func TestCategoriesAloneChangeNothing(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 9))
	for _, m := range []Method{ScottishSTV, Meek} {
		for range 10 {
			e := genElection(rng, 6, 200, 3, 4)
			a, err := Count(e, m)
			if err != nil {
				t.Fatal(err)
			}
			e.Categories = []string{"women", "", "women", "", "women", ""}
			b, err := Count(e, m)
			if err != nil {
				t.Fatal(err)
			}
			if !sameOutcome(a, b) || b.MinRepresentation != nil {
				t.Fatalf("%s: categories without reserved seats changed the count", m)
			}
		}
	}
}
