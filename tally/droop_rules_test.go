package tally

import (
	"path/filepath"
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
