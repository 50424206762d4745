package rctab

import (
	"errors"
	"strings"
	"testing"
)

// TestArithmeticRangeRefused: a contest with more ballots than the
// configured places hold in 64-bit units is refused, naming the limit and
// the field, at every allowed number of places; one ballot fewer counts.
func TestArithmeticRangeRefused(t *testing.T) {
	for places := 1; places <= 8; places++ {
		cfg := &Config{DecimalPlaces: places}
		limit := int64(9223372036854775807) / pow10[places]
		if err := checkArithmeticRange(cfg, limit); err != nil {
			t.Errorf("places %d: %d ballots refused: %v", places, limit, err)
		}
		err := checkArithmeticRange(cfg, limit+1)
		if err == nil || !errors.Is(err, ErrTabulation) {
			t.Fatalf("places %d: %d ballots: got %v, want a refusal", places, limit+1, err)
		}
		for _, want := range []string{"rules.decimalPlacesForVoteArithmetic", "at most", "this contest has"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("places %d: %q does not say %q", places, err, want)
			}
		}
	}
}
