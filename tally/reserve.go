package tally

import (
	"fmt"
	"slices"
	"strings"
)

// Reserve is a minimum-representation rule: at least Seats of the
// election's seats go to candidates of Category.
//
// Scottish STV and Meek apply it at every stage of the count. This is the
// stage-of-count form of the "minimum representation" rules UK parties set
// for their internal STV elections (the Labour Party's minimum number of
// women, for example): the count itself steers seats to the category,
// rather than a recount after it. Party rule books word it differently;
// check a party's own text before relying on this form for its count.
// The rules, checked at the first count, after every election and at
// every exclusion:
//
//  1. Whenever the seats still to fill equal the seats still reserved (for
//     all categories together), every continuing candidate outside a
//     category that still needs seats is excluded at once, with reason
//     ReasonReserved, and its ballots pass on like any excluded
//     candidate's.
//  2. Consequently a candidate outside such a category who reaches the
//     quota in the same stage as, and after, the election that left the
//     seats all reserved is excluded rather than elected, with the same
//     reason; candidates reaching the quota together are taken in order of
//     votes.
//  3. While a category has no more continuing candidates than the seats it
//     still needs, none of them may be excluded as the lowest: the lowest
//     of the other candidates is excluded instead (ReasonLowestUnreserved),
//     and Meek's batch defeats spare them.
//
// Together these elect at least Seats candidates of Category whenever that
// many stand (validation refuses the count otherwise). A candidate is in
// at most one category, so the reserves of several categories add up. The
// Liberal Democrats' form, which recounts for more or fewer seats until
// the proportion is met, is not implemented.
type Reserve struct {
	// Category is the group the seats are for, as a plural noun the
	// report uses in sentences ("women", "young members"); candidates are
	// placed in it by Election.Categories.
	Category string
	// Seats is the least number of seats the category must receive.
	Seats int
}

// checkReserves refuses an election whose minimum-representation rules
// cannot be met or cannot be applied by method ("" for a method that
// applies none).
func (e *Election) checkReserves(method Method) error {
	if len(e.MinRepresentation) == 0 {
		return nil
	}
	if method != ScottishSTV && method != Meek {
		return &CountError{Msg: "only Scottish STV and Meek STV apply a minimum-representation rule"}
	}
	seen := map[string]bool{}
	total := 0
	for _, r := range e.MinRepresentation {
		if r.Category == "" {
			return &CountError{Msg: "a minimum-representation rule must name its category"}
		}
		if seen[r.Category] {
			return &CountError{Msg: fmt.Sprintf("the minimum representation for %s is given twice", r.Category)}
		}
		seen[r.Category] = true
		if r.Seats < 1 {
			return &CountError{Msg: fmt.Sprintf("the minimum representation for %s must be at least 1 seat, not %d", r.Category, r.Seats)}
		}
		if r.Seats > e.Seats {
			return &CountError{Msg: fmt.Sprintf("%s reserved for %s, but the election fills only %s", seatWord(r.Seats), r.Category, seatWord(e.Seats))}
		}
		total += r.Seats
		standing := 0
		for c, cat := range e.Categories {
			if cat == r.Category && !e.withdrawn(c) {
				standing++
			}
		}
		if standing < r.Seats {
			stand := fmt.Sprintf("only %d candidates in that category stand", standing)
			if standing == 1 {
				stand = "only 1 candidate in that category stands"
			}
			return &CountError{Msg: fmt.Sprintf("%s reserved for %s, but %s", seatWord(r.Seats), r.Category, stand)}
		}
	}
	if total > e.Seats {
		return &CountError{Msg: fmt.Sprintf("the minimum-representation rules reserve %s together, but the election fills only %s", seatWord(total), seatWord(e.Seats))}
	}
	return nil
}

func seatWord(n int) string {
	if n == 1 {
		return "1 seat"
	}
	return fmt.Sprintf("%d seats", n)
}

// reserves is a count's view of the election's minimum-representation
// rules: which rule each candidate falls under.
type reserves struct {
	rules []Reserve
	of    []int // per candidate: index into rules, or -1
}

func newReserves(e *Election) *reserves {
	if len(e.MinRepresentation) == 0 {
		return nil
	}
	r := &reserves{rules: e.MinRepresentation, of: make([]int, len(e.Candidates))}
	for c := range r.of {
		r.of[c] = -1
		if c < len(e.Categories) {
			r.of[c] = slices.IndexFunc(r.rules, func(x Reserve) bool { return x.Category == e.Categories[c] })
		}
	}
	return r
}

// need returns, per rule, the seats it still reserves, and their sum.
func (c *count) need() ([]int, int) {
	per := make([]int, len(c.rsv.rules))
	for i, r := range c.rsv.rules {
		per[i] = r.Seats
	}
	for _, x := range c.elected {
		if k := c.rsv.of[x]; k >= 0 && per[k] > 0 {
			per[k]--
		}
	}
	sum := 0
	for _, n := range per {
		sum += n
	}
	return per, sum
}

// reserveExclusions returns the continuing candidates rule 1 excludes now:
// all those outside a category still needing seats, once the seats left
// are all reserved. It returns nil when the election reserves no seats.
func (c *count) reserveExclusions() []int {
	if c.rsv == nil || c.seatsLeft() <= 0 {
		return nil
	}
	per, sum := c.need()
	if sum < c.seatsLeft() {
		return nil
	}
	var out []int
	for _, x := range c.hopeful() {
		if k := c.rsv.of[x]; k < 0 || per[k] == 0 {
			out = append(out, x)
		}
	}
	return out
}

// protected returns the continuing candidates rule 3 keeps from
// exclusion: those of a category with no more continuing candidates than
// the seats it still needs.
func (c *count) protected() []int {
	if c.rsv == nil {
		return nil
	}
	per, _ := c.need()
	left := make([]int, len(per))
	h := c.hopeful()
	for _, x := range h {
		if k := c.rsv.of[x]; k >= 0 {
			left[k]++
		}
	}
	var out []int
	for _, x := range h {
		if k := c.rsv.of[x]; k >= 0 && per[k] > 0 && left[k] <= per[k] {
			out = append(out, x)
		}
	}
	return out
}

// excludable returns the continuing candidates that may be excluded as
// the lowest, and those rule 3 keeps.
func (c *count) excludable() (may, kept []int) {
	prot := c.protected()
	for _, x := range c.hopeful() {
		if !slices.Contains(prot, x) {
			may = append(may, x)
		}
	}
	if len(may) == 0 { // cannot happen while the rules hold; never stall
		return c.hopeful(), nil
	}
	return may, prot
}

// spareReserved drops from a batch of candidates to defeat (lowest first)
// any whose defeat would leave its category fewer continuing candidates
// than the seats it still needs.
func (c *count) spareReserved(batch []int) []int {
	if c.rsv == nil {
		return batch
	}
	per, _ := c.need()
	left := make([]int, len(per))
	for _, x := range c.hopeful() {
		if k := c.rsv.of[x]; k >= 0 {
			left[k]++
		}
	}
	var out []int
	for _, x := range batch {
		if k := c.rsv.of[x]; k >= 0 && per[k] > 0 {
			if left[k] <= per[k] {
				continue
			}
			left[k]--
		}
		out = append(out, x)
	}
	return out
}

// reservedWhy says why the seats left are all reserved, for rule 1's
// events: "the remaining 2 seats are reserved for women (at least 2 of the
// 5 seats must go to women, 0 elected so far)".
func (c *count) reservedWhy() string {
	per, _ := c.need()
	left := c.seatsLeft()
	var which string
	switch {
	case left == c.e.Seats && left == 1:
		which = "the only seat is"
	case left == c.e.Seats:
		which = fmt.Sprintf("all %d seats are", left)
	case left == 1:
		which = "the last seat is"
	default:
		which = fmt.Sprintf("the remaining %d seats are", left)
	}
	var parts, rules []string
	for k, n := range per {
		if n == 0 {
			continue
		}
		r := c.rsv.rules[k]
		parts = append(parts, fmt.Sprintf("%d for %s", n, r.Category))
		rules = append(rules, fmt.Sprintf("at least %d of the %d seats must go to %s, %d elected so far",
			r.Seats, c.e.Seats, r.Category, r.Seats-n))
	}
	if len(parts) == 1 {
		_, category, _ := strings.Cut(parts[0], " for ")
		return fmt.Sprintf("%s reserved for %s (%s)", which, category, rules[0])
	}
	return fmt.Sprintf("%s all reserved, %s (%s)", which, strings.Join(parts, " and "), strings.Join(rules, "; "))
}

// keptWhy explains rule 3 for the candidates in kept that an exclusion
// passed over: "Ann (3.00000) stays in the count: 1 seat is still
// reserved for women and only 1 candidate in that category remains".
func (c *count) keptWhy(kept []int, show func(int) string) string {
	per, _ := c.need()
	var out []string
	for k, r := range c.rsv.rules {
		var names []string
		for _, x := range kept {
			if c.rsv.of[x] == k {
				names = append(names, fmt.Sprintf("%s (%s)", c.e.Candidates[x], show(x)))
			}
		}
		if len(names) == 0 {
			continue
		}
		verb, still := "stays", "1 seat is"
		if len(names) > 1 {
			verb = "stay"
		}
		if per[k] > 1 {
			still = fmt.Sprintf("%d seats are", per[k])
		}
		left := fmt.Sprintf("only %d candidates in that category remain", len(names))
		if len(names) == 1 {
			left = "only 1 candidate in that category remains"
		}
		out = append(out, fmt.Sprintf("%s %s in the count: %s still reserved for %s and %s", strings.Join(names, ", "), verb, still, r.Category, left))
	}
	return strings.Join(out, "; ")
}
