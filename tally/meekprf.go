package tally

// The PR Foundation's reference Meek rule fixes its arithmetic: nine
// decimal places, omega 10^-6.
const (
	meekPRFPlaces  = 9
	meekPRFOmega10 = 6
)

// CountMeekPRF counts e by the Proportional Representation Foundation's
// Meek Reference STV rule, as Droop's "meek-prf" rule does: fixed-point
// arithmetic with nine decimal places, omega 10^-6, no batch defeats.
// Each ballot passes down its ranking with weight w, starting at 1: a
// candidate with keep factor k keeps w × k rounded up to nine places, and
// w falls by that much. The quota is the votes ÷ (seats+1), truncated,
// plus 10^-9, and a candidate reaching it is elected. Keep factors are
// updated as k × quota ÷ vote, each step rounded up, until a candidate is
// elected or the total surplus is below omega or stops falling; then the
// lowest candidate is defeated, ties (within the surplus of the lowest)
// broken by lot (the election's tie order).
//
// The rule does not define equal rankings: it refuses them. It applies no
// minimum-representation rule.
func CountMeekPRF(e *Election) (*Result, error) {
	return countRefMeek(e, newFixedValues(meekPRFPlaces), refRule{method: MeekPRF, omega10: meekPRFOmega10, prf: true})
}
