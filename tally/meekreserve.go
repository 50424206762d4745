package tally

import (
	"fmt"
	"slices"
)

// enforce excludes the candidates the minimum-representation rule no
// longer lets win (Reserve, rule 1), fewest votes first: explanations
// first, on the tallies the decision was taken on, then the defeats.
func (m *meek) enforce() {
	out := m.reserveExclusions()
	if len(out) == 0 {
		return
	}
	why := m.reservedWhy()
	slices.SortStableFunc(out, func(a, b int) int {
		if d := m.vote[a].big().Cmp(m.vote[b].big()); d != 0 {
			return d
		}
		return m.tie[a] - m.tie[b]
	})
	details := make([]string, len(out))
	for i, x := range out {
		v := m.vote[x].big()
		details[i] = fmt.Sprintf("%s is excluded: %s", m.e.Candidates[x], why)
		if gcmp(v, m.quota) > 0 {
			details[i] = fmt.Sprintf("%s has %s votes, more than the quota of %s, but is excluded rather than elected: %s", m.e.Candidates[x], gdec(v), gdec(m.quota), why)
		}
	}
	for i, x := range out {
		m.defeat(x, ReasonReserved, details[i])
	}
}

// overQuota returns the continuing candidates over the quota: in
// candidate order, or, when seats are reserved, most votes first, since
// an election can then stop the next from being elected.
func (m *meek) overQuota() []int {
	var out []int
	for _, x := range m.hopeful() {
		if gcmp(m.vote[x].big(), m.quota) > 0 {
			out = append(out, x)
		}
	}
	if m.rsv != nil {
		slices.SortStableFunc(out, func(a, b int) int {
			if d := m.vote[b].big().Cmp(m.vote[a].big()); d != 0 {
				return d
			}
			return m.tie[a] - m.tie[b]
		})
	}
	return out
}

// mayElect reports whether electing x keeps every reservation possible:
// x is in a category still needing seats, or some seat left is unreserved.
func (c *count) mayElect(x int) bool {
	if c.rsv == nil {
		return true
	}
	per, sum := c.need()
	k := c.rsv.of[x]
	return (k >= 0 && per[k] > 0) || sum < c.seatsLeft()
}
