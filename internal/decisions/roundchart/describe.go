package roundchart

import (
	"slices"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/tally"
)

// describe states a count's outcome in sentences for the chart's <desc>,
// which is what a screen reader announces: the method, the quota, who was
// elected and when, who went out and when, the ballots that ran out of
// preferences and how ties were broken. Every name is in full here, even
// when the drawing had to cut it.
func describe(res *tally.Result, s summary, places int) string {
	one, many := unit(res.Method)
	amount := func(d tally.Decimal) string {
		v := tally.FormatVotes(d, places)
		if v == "1" {
			return v + " " + one
		}
		return v + " " + many
	}
	single := len(res.Rounds) == 1
	last := res.Rounds[len(res.Rounds)-1]
	votes := func(c int) string {
		if last.IfNeedBe != nil {
			return amount(s.status[c].vote) + " and " + tally.FormatVotes(last.IfNeedBe[c], places) + " if need be"
		}
		return amount(s.status[c].vote)
	}
	var b strings.Builder
	b.WriteString(methodName(res.Method) + ", " + plural(int64(res.Seats), s.words.seat, s.words.seats) + ", " + plural(res.Ballots, "ballot", "ballots"))
	if s.quotaFrom.Sign() > 0 {
		word := "quota"
		if res.Method == tally.IRV {
			word = "a majority of the votes still in the count"
		}
		b.WriteString("; " + word + " " + tally.FormatVotes(s.quotaFrom, places))
		if s.quotaFrom.Cmp(s.quotaTo) != 0 {
			b.WriteString(" in round " + strconv.Itoa(res.Rounds[0].Number) + " and " +
				tally.FormatVotes(s.quotaTo, places) + " in round " + strconv.Itoa(last.Number))
		}
	}
	b.WriteString(".")
	// Elected in order of election; excluded in the order they went out.
	group := func(kind outcome, heading string) {
		rows := s.rows
		if kind == outExcluded {
			rows = slices.Clone(rows)
			slices.Reverse(rows)
		}
		var items []string
		for _, c := range rows {
			st := s.status[c]
			if st.kind != kind {
				continue
			}
			item := res.Candidates[c]
			if c < len(res.Categories) && res.Categories[c] != "" {
				item += " (" + res.Categories[c] + ")"
			}
			switch {
			case kind == outWithdrew:
			case single || kind == outNotElected:
				item += " with " + votes(c)
			default:
				item += " in round " + strconv.Itoa(st.round) + " with " + votes(c)
			}
			if st.reserved {
				item += " (the seats left were reserved)"
			}
			items = append(items, item)
		}
		if len(items) > 0 {
			b.WriteString(" " + heading + ": " + list(items) + ".")
		}
	}
	group(outElected, upperFirst(s.words.elected))
	for _, r := range res.MinRepresentation {
		b.WriteString(" At least " + plural(int64(r.Seats), "seat", "seats") + " reserved for " + r.Category +
			": " + strconv.Itoa(res.ElectedIn(r.Category)) + " elected.")
	}
	group(outExcluded, "Excluded")
	group(outNotElected, upperFirst(s.words.notElected))
	group(outWithdrew, "Withdrew")
	if s.anyExhausted {
		b.WriteString(" Non-transferable at the end: " + amount(last.Exhausted) + ".")
	}
	for _, t := range s.ties {
		b.WriteString(" " + strings.TrimSuffix(t, ".") + ".")
	}
	if !single {
		b.WriteString(" Each candidate's row shows their vote in rounds " + strconv.Itoa(res.Rounds[0].Number) +
			" to " + strconv.Itoa(last.Number) + ", top to bottom.")
	}
	return b.String()
}
