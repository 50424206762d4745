package tally

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// droopRuleCases runs count on every small Droop BLT case that has a
// reference report for rule, checks each against its report as
// checkMeekReport does (rounds, every round's tallies and quota, final
// tallies, elected), and returns the number of reports checked.
func droopRuleCases(t *testing.T, rule string, count func(*Election) (*Result, error)) int {
	t.Helper()
	cases := smallDroopCases(t, rule)
	reports := map[string]bool{}
	for blt, rep := range cases {
		reports[rep] = true
		t.Run(filepath.Base(blt), func(t *testing.T) {
			res, err := count(mustReadBLT(t, blt))
			if err != nil {
				t.Fatal(err)
			}
			checkMeekReport(t, res, rep)
		})
	}
	t.Logf("%s: %d BLT files checked against %d Droop reports", rule, len(cases), len(reports))
	return len(reports)
}

// TestDroopMeekPRF checks the PR Foundation's reference Meek against
// every Droop report for it (fixed-point, 9 places, omega 10^-6).
func TestDroopMeekPRF(t *testing.T) {
	if n := droopRuleCases(t, "meek-prf-o6-fixed-p9-d9", CountMeekPRF); n != 8 {
		t.Errorf("checked %d meek-prf reports, want the 8 Droop has", n)
	}
}

// TestDroopWarren checks Warren's STV against every Droop report for it:
// guarded arithmetic (CountWarren's own) and exact rationals.
func TestDroopWarren(t *testing.T) {
	n := 0
	t.Run("guarded", func(t *testing.T) {
		n += droopRuleCases(t, "warren-o9-guarded-p18-g9-d18", CountWarren)
	})
	t.Run("rational", func(t *testing.T) {
		n += droopRuleCases(t, "warren-o10-rational-d12", countWarrenRational)
	})
	if n != 12 {
		t.Errorf("checked %d warren reports, want the 12 Droop has", n)
	}
}

// countWarrenRational counts Warren in exact rational arithmetic, as
// Droop's "warren arithmetic=rational" does (omega 10^-10, shown to 12
// places).
func countWarrenRational(e *Election) (*Result, error) {
	return countRefMeek(e, rationalValues{display: 12}, refRule{method: Warren, omega10: 10})
}

// TestRefMeekKeep checks how each rule shares a ballot's weight, with
// keep factors set by hand, where Meek would give A 1/2, B 3/10, C 1/5.
func TestRefMeekKeep(t *testing.T) {
	t.Parallel()
	rat := func(s string) *big.Rat {
		x, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("bad rational %q", s)
		}
		return x
	}
	t.Run("WarrenTakesUpToKeepFactor", func(t *testing.T) {
		// A keeps 1/2 of the ballot; B's keep factor 3/5 exceeds the 1/2
		// left, so B takes all of it and C gets nothing.
		m, err := newRefMeek(mkElection(t, "ABC", 1, "1:A>B>C"), rationalValues{display: 12}, refRule{method: Warren, omega10: 10})
		if err != nil {
			t.Fatal(err)
		}
		m.kf = []*big.Rat{rat("1/2"), rat("3/5"), rat("1")}
		m.distribute()
		checkVotes(t, m.a, m.vote, "0.500000000000", "0.500000000000", "0.000000000000")
	})
	t.Run("WarrenEqualRanks", func(t *testing.T) {
		// A and B share the ballot; A keeps 1/4 of its 1/2 and passes
		// 1/4 to C; B keeps its whole 1/2.
		m, err := newRefMeek(mkElection(t, "ABC", 1, "3:A=B>C"), rationalValues{display: 12}, refRule{method: Warren, omega10: 10})
		if err != nil {
			t.Fatal(err)
		}
		m.kf = []*big.Rat{rat("1/4"), rat("1"), rat("1")}
		m.distribute()
		checkVotes(t, m.a, m.vote, "0.750000000000", "1.500000000000", "0.750000000000")
	})
	t.Run("PRFRoundsKeepUp", func(t *testing.T) {
		// A keeps 0.333333333, leaving 0.666666667; B keeps half of that,
		// 0.3333333335 rounded up to 0.333333334; C keeps the rest.
		m, err := newRefMeek(mkElection(t, "ABC", 1, "2:A>B>C"), newFixedValues(9), refRule{method: MeekPRF, omega10: 6, prf: true})
		if err != nil {
			t.Fatal(err)
		}
		m.kf = []*big.Int{big.NewInt(333333333), big.NewInt(500000000), big.NewInt(1000000000)}
		m.distribute()
		checkVotes(t, m.a, m.vote, "0.666666666", "0.666666668", "0.666666666")
	})
}

func checkVotes[T any](t *testing.T, a droopArith[T], votes []T, want ...string) {
	t.Helper()
	for i, v := range votes {
		if got := a.dec(v).String(); got != want[i] {
			t.Errorf("candidate %d has %s, want %s", i, got, want[i])
		}
	}
}

// TestMeekPRFRefusesEqualRankings: the PR Foundation's rule does not say
// how a shared rank's weight is split.
func TestMeekPRFRefusesEqualRankings(t *testing.T) {
	t.Parallel()
	_, err := CountMeekPRF(mkElection(t, "ABC", 1, "2:A=B>C", "1:C"))
	var ce *CountError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "equally") {
		t.Fatalf("error %v, want a CountError about equal rankings", err)
	}
	if _, err := CountWarren(mkElection(t, "ABC", 1, "2:A=B>C", "1:C")); err != nil {
		t.Errorf("Warren counts equal rankings, but: %v", err)
	}
}

// TestDroopRulesInvariants counts random elections by both rules and
// checks that shuffling the ballots changes nothing, and that Warren in
// guarded arithmetic elects as exact rational arithmetic does.
func TestDroopRulesInvariants(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 5))
	for _, m := range []struct {
		name  string
		count func(*Election) (*Result, error)
	}{{"MeekPRF", CountMeekPRF}, {"Warren", CountWarren}} {
		t.Run("BallotOrder/"+m.name, func(t *testing.T) {
			for i := range 20 {
				e := genElection(rng, 4+rng.IntN(6), 50+rng.IntN(300), 1+rng.IntN(3), 5)
				a, err := m.count(e)
				if err != nil {
					t.Fatal(err)
				}
				b, err := m.count(shuffled(rng, e))
				if err != nil {
					t.Fatal(err)
				}
				if !sameOutcome(a, b) {
					t.Fatalf("election %d: shuffled ballots elected %v in %d rounds; original %v in %d",
						i, b.ElectedNames(), len(b.Rounds), a.ElectedNames(), len(a.Rounds))
				}
			}
		})
	}
	t.Run("WarrenGuardedIsExact", func(t *testing.T) {
		for i := range 20 {
			e := genElection(rng, 4+rng.IntN(4), 30+rng.IntN(100), 2+rng.IntN(2), 4)
			g, err := CountWarren(e)
			if err != nil {
				t.Fatal(err)
			}
			r, err := countWarrenRational(e)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(droopNames(g.ElectedNames()), droopNames(r.ElectedNames())) {
				t.Errorf("election %d: guarded Warren elected %v, rational %v", i, g.ElectedNames(), r.ElectedNames())
			}
		}
	})
}

// BenchmarkMeekPRF and BenchmarkWarren count bench_test.go's million
// ballots for 5 seats, for comparison with BenchmarkMeek.
func BenchmarkMeekPRF(b *testing.B) { benchCount(b, 5, CountMeekPRF) }
func BenchmarkWarren(b *testing.B)  { benchCount(b, 5, CountWarren) }
