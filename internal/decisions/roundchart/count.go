package roundchart

import (
	"html/template"
	"strconv"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/tally"
)

// Render draws res as an inline SVG: for a count of several rounds, one
// row per candidate with a thin bar for each round (top to bottom), the
// quota (or, for instant-runoff, the majority threshold) as a dashed line,
// elected candidates in bold green with a ✓ and the round of their
// election, and bars grey from the round a candidate was excluded; for a
// single-round method (plurality, approval, score, Schulze), one bar per
// candidate. Rows run in order of the outcome: the elected in order of
// election, then the rest from the last to go out to the first. The
// <desc> states the whole outcome in words, with every name in full.
//
// Rounds are numbered as tally numbers them, from 1, and every vote is
// written by tally.FormatVotes at the count's own places (res.Places()):
// the same figures, to the digit, as the results table, the text report
// and the CLI.
//
// It returns an errs.Internal error when res is nil, has no rounds, or
// holds a round whose tallies or statuses do not match its candidates,
// and when o.ID is malformed.
func Render(res *tally.Result, o Options) (template.HTML, error) {
	o, err := o.withDefaults()
	if err != nil {
		return "", err
	}
	if err := check(res); err != nil {
		return "", err
	}
	c := &chart{ID: o.ID, Title: countTitle(res, o)}
	s := summarise(res, o)
	places := res.Places()
	c.Desc = describe(res, s, places)
	drawCount(c, res, s, places)
	return c.render()
}

// check refuses a result the chart cannot draw faithfully.
func check(res *tally.Result) error {
	if res == nil {
		return errs.E(errs.Internal, "the chart needs a count result")
	}
	if len(res.Rounds) == 0 {
		return errs.E(errs.Internal, "the count result for the chart has no rounds")
	}
	n := len(res.Candidates)
	for _, rd := range res.Rounds {
		if len(rd.Tallies) != n || (rd.Status != nil && len(rd.Status) != n) || (rd.IfNeedBe != nil && len(rd.IfNeedBe) != n) {
			return errs.E(errs.Internal, "round %d of the count has %d tallies and %d statuses for %d candidates", rd.Number, len(rd.Tallies), len(rd.Status), n)
		}
	}
	for _, x := range res.Elected {
		if x < 0 || x >= n {
			return errs.E(errs.Internal, "the count elects candidate %d of %d", x+1, n)
		}
	}
	return nil
}

func countTitle(res *tally.Result, o Options) string {
	t := o.Title
	if t == "" {
		t = res.Title
	}
	if t == "" {
		t = "Election"
	}
	if len(res.Rounds) > 1 {
		return t + ": the count, round by round"
	}
	return t + ": the result"
}

// Layout of a count's rows, in user units.
const (
	headerH  = 20.0 // from a row's top to its first bar
	noteLine = 16.0 // added to headerH when a row's note has a line of its own
	rowGap   = 12.0 // below a row's last bar
	barGap   = 1.0  // between the bars of one row
	singleTh = 14.0 // a bar's thickness when there is one round
)

// thickness gives each round's bar: the bars of one row fill about forty
// units, never thinner than three.
func thickness(rounds int) float64 {
	if rounds == 1 {
		return singleTh
	}
	return min(8, max(3, float64(int(40/rounds))))
}

func drawCount(c *chart, res *tally.Result, s summary, places int) {
	nr := len(res.Rounds)
	last := res.Rounds[nr-1]
	y := 16.0
	legend := methodName(res.Method) + " · " + plural(int64(res.Seats), s.words.seat, s.words.seats) + " · " + plural(res.Ballots, "ballot", "ballots")
	c.add(label{Class: "legend", X: pad, Y: y, Size: noteSize, Fill: colMuted, Text: legend}, span)
	if nr > 1 {
		y += 16
		c.add(label{Class: "legend", X: pad, Y: y, Size: noteSize, Fill: colMuted,
			Text: "Bars show rounds " + strconv.Itoa(res.Rounds[0].Number) + " to " + strconv.Itoa(last.Number) + ", top to bottom"}, span)
	}
	scale := maxValue(res)
	x := func(d tally.Decimal) float64 { return pad + span*d.Float64()/scale }
	hasQuota := s.quotaFrom.Sign() > 0
	if hasQuota {
		y += 18
		word := "quota "
		if res.Method == tally.IRV {
			word = "majority "
		}
		texts := []string{word + tally.FormatVotes(s.quotaFrom, places)}
		if s.quotaFrom.Cmp(s.quotaTo) != 0 {
			texts[0] += " → " + tally.FormatVotes(s.quotaTo, places)
			if textWidth(texts[0], noteSize, false) > span {
				// Meek's eighteen places: the moving quota takes two lines.
				texts = []string{word + tally.FormatVotes(s.quotaFrom, places), "→ " + tally.FormatVotes(s.quotaTo, places)}
			}
		}
		for i, text := range texts {
			if i > 0 {
				y += 14
			}
			qx, anchor := placeNear(x(s.quotaFrom), textWidth(text, noteSize, false))
			c.add(label{Class: "quota-label", X: qx, Y: y, Anchor: anchor, Size: noteSize, Fill: colText, Text: text}, 0)
		}
	}
	y += 8
	th := thickness(nr)
	var quota []quotaStep
	twoLines := false
	for _, cand := range s.rows {
		twoLines = twoLines || headOf(res, s, cand, places).crowded()
	}
	for _, cand := range s.rows {
		h := c.drawRow(res, s, cand, y, th, places, scale, twoLines)
		if hasQuota {
			quota = append(quota, quotaStep{top: y + h, th: th})
		}
		y += h + float64(nr)*(th+barGap) + rowGap
	}
	if s.anyExhausted {
		c.drawExhausted(res, y, th, places, scale)
		if hasQuota {
			quota = append(quota, quotaStep{top: y + headerH, th: th})
		}
		y += headerH + float64(nr)*(th+barGap) + rowGap
	}
	if hasQuota {
		c.drawQuota(res, quota, x)
	}
	c.Height = y
}

// placeNear returns where to anchor a label of width w that belongs at x:
// starting there, ending there when it sits in the right half, and pulled
// in from the edge it would run past.
func placeNear(x, w float64) (float64, string) {
	anchor := ""
	if x > width/2 {
		anchor = "end"
	}
	switch {
	case anchor == "" && x+w > width-pad:
		return width - pad, "end"
	case anchor == "end" && x-w < pad:
		return pad, ""
	}
	return x, anchor
}

// maxValue is the value a full-width bar stands for: the largest tally,
// non-transferable total or quota in any round.
func maxValue(res *tally.Result) float64 {
	m := 0.0
	for _, rd := range res.Rounds {
		for c, v := range rd.Tallies {
			if rd.IfNeedBe != nil && c < len(rd.IfNeedBe) {
				v = v.Add(rd.IfNeedBe[c])
			}
			m = max(m, v.Float64())
		}
		m = max(m, rd.Exhausted.Float64(), roundQuota(res, rd).Float64())
	}
	if m <= 0 {
		return 1
	}
	return m
}

// rowHead is the text at the top of a candidate's row: the name, and at
// the right their vote and standing.
type rowHead struct {
	name, note, inb string
	fill            string
	bold            bool
}

func headOf(res *tally.Result, s summary, cand, places int) rowHead {
	st := s.status[cand]
	h := rowHead{name: res.Candidates[cand], fill: colText}
	switch st.kind {
	case outElected:
		h.name, h.fill, h.bold = "✓ "+h.name, colElected, true
	case outExcluded, outWithdrew:
		h.fill = colMuted
	}
	if last := res.Rounds[len(res.Rounds)-1]; last.IfNeedBe != nil {
		h.inb = tally.FormatVotes(last.IfNeedBe[cand], places)
	}
	h.note = st.note(res, s.words, h.inb, places)
	return h
}

// crowded reports whether the row's note is too wide to leave its name
// room beside it (Meek's eighteen places): the chart then gives every
// row's note a line of its own below the name.
func (h rowHead) crowded() bool {
	noteW := textWidth(h.note, noteSize, false)
	return noteW > 0.6*span && textWidth(h.name, nameSize, h.bold) > span-noteW-labelGap
}

// drawRow draws one candidate: the name (cut to fit) and, right-aligned,
// their vote and standing, on one line or, when twoLines, the note on a
// line below the name; then a bar per round in the colour of the
// candidate's standing at the end of that round. It returns the height
// from the row's top to its first bar.
func (c *chart) drawRow(res *tally.Result, s summary, cand int, y, th float64, places int, scale float64, twoLines bool) float64 {
	hd := headOf(res, s, cand, places)
	last := res.Rounds[len(res.Rounds)-1]
	header, noteY, nameW := headerH, y+14, span-textWidth(hd.note, noteSize, false)-labelGap
	if twoLines {
		header, noteY, nameW = headerH+noteLine, y+14+noteLine, span
	}
	c.add(label{Class: "note", X: width - pad, Y: noteY, Anchor: "end", Size: noteSize, Fill: hd.fill, Text: hd.note}, 0)
	c.add(label{Class: "name", X: pad, Y: y + 14, Size: nameSize, Bold: hd.bold, Fill: hd.fill, Text: hd.name}, nameW)
	for i, rd := range res.Rounds {
		v := rd.Tallies[cand]
		if v.Sign() <= 0 {
			continue
		}
		c.Rects = append(c.Rects, bar{
			X: pad, Y: y + header + float64(i)*(th+barGap), W: max(1, span*v.Float64()/scale), H: th,
			Fill: barColour(rd, cand),
			Tip:  res.Candidates[cand] + ", round " + strconv.Itoa(rd.Number) + ": " + tally.FormatVotes(v, places) + " (" + string(roundStatus(rd, cand)) + ")",
		})
	}
	// A meeting-time poll's if-need-be marks follow the yes marks as a
	// hollow segment: the same hue, told apart by shape, not colour.
	if nr := len(res.Rounds); nr == 1 && last.IfNeedBe != nil && last.IfNeedBe[cand].Sign() > 0 {
		yes := span * last.Tallies[cand].Float64() / scale
		c.Rects = append(c.Rects, bar{
			X: pad + yes + 0.75, Y: y + header + 0.75, W: max(1, span*last.IfNeedBe[cand].Float64()/scale-1.5), H: th - 1.5,
			Fill: colHalo, Stroke: barColour(last, cand),
			Tip: res.Candidates[cand] + ": " + hd.inb + " if need be",
		})
	}
	return header
}

func roundStatus(rd tally.Round, cand int) tally.Status {
	if rd.Status == nil {
		return tally.Hopeful
	}
	return rd.Status[cand]
}

func barColour(rd tally.Round, cand int) string {
	switch roundStatus(rd, cand) {
	case tally.Elected:
		return colElected
	case tally.Defeated, tally.Withdrawn:
		return colDefeated
	}
	return colHopeful
}

// drawExhausted adds the row of votes that had no further preference.
func (c *chart) drawExhausted(res *tally.Result, y, th float64, places int, scale float64) {
	last := res.Rounds[len(res.Rounds)-1]
	c.add(label{Class: "name", X: pad, Y: y + 14, Size: nameSize, Fill: colMuted, Text: "Non-transferable"}, 0)
	c.add(label{Class: "note", X: width - pad, Y: y + 14, Anchor: "end", Size: noteSize, Fill: colMuted,
		Text: tally.FormatVotes(last.Exhausted, places)}, 0)
	for i, rd := range res.Rounds {
		if rd.Exhausted.Sign() <= 0 {
			continue
		}
		c.Rects = append(c.Rects, bar{X: pad, Y: y + headerH + float64(i)*(th+barGap),
			W: max(1, span*rd.Exhausted.Float64()/scale), H: th, Fill: colMuted,
			Tip: "Non-transferable, round " + strconv.Itoa(rd.Number) + ": " + tally.FormatVotes(rd.Exhausted, places)})
	}
}

// quotaStep is where one row's bars lie, for the quota line.
type quotaStep struct{ top, th float64 }

// drawQuota draws the quota through every row's bars: straight when the
// quota stays put (Scottish STV, WIGM), stepping round by round when it
// moves (Meek, instant-runoff's majority). A white halo under the dashes
// keeps it visible over bars of any colour; it breaks at the row headers
// so that it never crosses a name.
func (c *chart) drawQuota(res *tally.Result, steps []quotaStep, x func(tally.Decimal) float64) {
	var d []byte
	for _, st := range steps {
		cur := x(roundQuota(res, res.Rounds[0]))
		d = append(d, "M"+num(cur)+" "+num(st.top-barGap/2)...)
		for i, rd := range res.Rounds[1:] {
			if qx := x(roundQuota(res, rd)); num(qx) != num(cur) {
				d = append(d, "V"+num(st.top+float64(i+1)*(st.th+barGap)-barGap/2)+"H"+num(qx)...)
				cur = qx
			}
		}
		d = append(d, "V"+num(st.top+float64(len(res.Rounds))*(st.th+barGap)-barGap/2)...)
	}
	c.Paths = append(c.Paths,
		line{Class: "quota-halo", D: string(d), Stroke: colHalo, Width: 4},
		line{Class: "quota", D: string(d), Stroke: colText, Width: 1.5, Dash: "4 2"})
}
