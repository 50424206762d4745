package roundchart

import (
	"html/template"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/tally"
)

// RenderProposal draws a consensus proposal's outcome as an inline SVG:
// the outcome in words, then a bar for the members who took a position
// against the dashed quorum, a bar for each position (agree, abstain,
// disagree, block) out of the eligible members, and the share of agree
// among agree and disagree against the dashed required share. The <desc>
// gives the outcome and tally's reasons for it.
//
// It returns an errs.Internal error when res is nil or has no eligible
// members, and when o.ID is malformed.
func RenderProposal(res *tally.ConsensusResult, o Options) (template.HTML, error) {
	o, err := o.withDefaults()
	if err != nil {
		return "", err
	}
	if res == nil || res.Votes.Eligible < 1 {
		return "", errs.E(errs.Internal, "the proposal chart needs a decided proposal with eligible members")
	}
	title := o.Title
	if title == "" {
		title = "Proposal"
	}
	v := res.Votes
	took := int64(v.Agree + v.Abstain + v.Disagree + v.Block)
	eligible := int64(v.Eligible)
	word, wordFill := outcomeWord(res.Outcome)
	c := &chart{ID: o.ID, Title: title + ": " + strings.ToLower(word)}
	var desc strings.Builder
	desc.WriteString(word + ". ")
	for _, r := range res.Reasons {
		desc.WriteString(upperFirst(strings.TrimSuffix(r, ".")) + ". ")
	}
	desc.WriteString("Of " + plural(eligible, "eligible member", "eligible members") + ", " +
		strconv.Itoa(v.Agree) + " agreed, " + strconv.Itoa(v.Abstain) + " abstained, " +
		strconv.Itoa(v.Disagree) + " disagreed and " + strconv.Itoa(v.Block) + " blocked.")
	c.Desc = desc.String()

	c.add(label{Class: "outcome", X: pad, Y: 18, Size: nameSize + 2, Bold: true, Fill: wordFill, Text: word}, span)
	y := 30.0
	share := func(n int64) float64 { return float64(n) / float64(eligible) }
	y = c.proposalRow(y, "Took a position", strconv.FormatInt(took, 10)+" of "+strconv.FormatInt(eligible, 10)+" · "+percent(took, eligible),
		share(took), colHopeful, "quorum "+fixedPercent(res.Rules.Quorum), fixedShare(res.Rules.Quorum))
	for _, p := range []struct {
		name string
		n    int
		fill string
	}{{"Agree", v.Agree, colElected}, {"Abstain", v.Abstain, colMuted}, {"Disagree", v.Disagree, colAgainst}, {"Block", v.Block, colBlock}} {
		y = c.proposalRow(y, p.name, strconv.Itoa(p.n)+" · "+percent(int64(p.n), eligible), share(int64(p.n)), p.fill, "", 0)
	}
	decided := int64(v.Agree + v.Disagree)
	agreeShare := 0.0
	if decided > 0 {
		agreeShare = float64(v.Agree) / float64(decided)
	}
	y = c.proposalRow(y, "Agree of agree and disagree", percent(int64(v.Agree), decided), agreeShare, colHopeful,
		"required "+fixedPercent(res.Rules.Required), fixedShare(res.Rules.Required))
	c.Height = y
	return c.render()
}

// proposalRow draws a label, its value at the right, a bar of the given
// share of the full width and, when mark is set, a dashed threshold at
// markAt with its name under the bar. It returns the next row's top.
func (c *chart) proposalRow(y float64, name, value string, share float64, fill, mark string, markAt float64) float64 {
	c.add(label{Class: "note", X: width - pad, Y: y + 14, Anchor: "end", Size: noteSize, Fill: colText, Text: value}, 0)
	c.add(label{Class: "name", X: pad, Y: y + 14, Size: nameSize, Fill: colText, Text: name}, span-textWidth(value, noteSize, false)-labelGap)
	top := y + headerH
	if share > 0 {
		c.Rects = append(c.Rects, bar{X: pad, Y: top, W: max(1, span*min(share, 1)), H: singleTh, Fill: fill, Tip: name + ": " + value})
	}
	y = top + singleTh + rowGap
	if mark == "" {
		return y
	}
	mx := pad + span*min(markAt, 1)
	d := "M" + num(mx) + " " + num(top-3) + "V" + num(top+singleTh+3)
	c.Paths = append(c.Paths,
		line{Class: "quota-halo", D: d, Stroke: colHalo, Width: 4},
		line{Class: "quota", D: d, Stroke: colText, Width: 1.5, Dash: "4 2"})
	l := label{Class: "quota-label", X: mx, Y: top + singleTh + 14, Size: noteSize, Fill: colText, Text: mark}
	if mx > width/2 {
		l.Anchor = "end"
	}
	c.add(l, 0)
	return y + 8
}

func outcomeWord(o tally.Outcome) (string, string) {
	switch o {
	case tally.Passed:
		return "Passed", colElected
	case tally.Blocked:
		return "Blocked", colAgainst
	case tally.NoQuorum:
		return "No quorum", colAgainst
	case tally.Rejected:
		return "Rejected", colAgainst
	}
	return upperFirst(string(o)), colText
}

// fixedShare approximates a share for drawing only; labels use
// fixedPercent, which stays exact.
func fixedShare(f tally.Fixed) float64 { return f.Decimal().Float64() }

// upperFirst capitalises the first letter of a sentence.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
