package tally

import "math/big"

// Places returns the decimal places the count's rule works and reports
// votes in: five for Scottish STV, eighteen for Meek and WIGM (Droop's
// guarded display), none for the methods that count whole votes. It is the
// most places of the quota and of any tally, non-transferable total or
// if-need-be mark in the count, so a method added later needs no entry
// here. Compute it once per result: it looks at every round.
func (r *Result) Places() int {
	p := r.Quota.places
	for i := range r.Rounds {
		rd := &r.Rounds[i]
		p = max(p, rd.Quota.places, rd.Exhausted.places)
		for _, v := range rd.Tallies {
			p = max(p, v.places)
		}
		for _, v := range rd.IfNeedBe {
			p = max(p, v.places)
		}
	}
	for _, v := range r.Final {
		p = max(p, v.places)
	}
	return p
}

// FormatVotes writes a vote value with exactly places decimal places: a
// value that carries fewer (a zero no rule ever touched) is padded with
// zeros, and one that carries more is truncated, never rounded, as the
// counting rules truncate — 10.999996 at five places is 10.99999, never a
// misleading 11.00000 beside a quota of 11. A Fixed is formatted as
// FormatVotes(f.Decimal(), places).
func FormatVotes(d Decimal, places int) string {
	return formatUnits(d.units0AtPlaces(places), max(places, 0))
}

// FormatChange writes the change from one vote to the next at places
// decimal places, as a results table shows it beside the new vote:
// "+0.99996", "−4.00000" (with a minus sign, U+2212), or "" when the vote
// did not move.
func FormatChange(from, to Decimal, places int) string {
	d := new(big.Int).Sub(to.units0AtPlaces(places), from.units0AtPlaces(places))
	switch d.Sign() {
	case 0:
		return ""
	case 1:
		return "+" + formatUnits(d, max(places, 0))
	}
	return "−" + formatUnits(d.Neg(d), max(places, 0))
}

// units0AtPlaces returns d's units at the given places: scaled up, or
// truncated toward zero when d carries more.
func (d Decimal) units0AtPlaces(places int) *big.Int {
	places = max(places, 0)
	if d.places <= places {
		return d.scaled(places)
	}
	u := new(big.Int)
	if d.units != nil {
		u.Set(d.units)
	}
	return u.Quo(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.places-places)), nil))
}

// widen returns d with at least places decimal places, padding with
// zeros; it never drops a digit (JSON carries every digit counted).
func (d Decimal) widen(places int) Decimal {
	if d.places >= places {
		return d
	}
	return Decimal{units: d.scaled(places), places: places}
}
