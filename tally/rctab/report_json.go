package rctab

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// jnode is a minimal JSON tree, enough to print exactly what Jackson's
// DefaultPrettyPrinter prints for RCTab (keys sorted, " : " separators,
// "[ {" array openings, "{ }" for empty objects).
type jnode struct {
	obj   map[string]*jnode
	arr   []*jnode
	str   *string
	num   *int64
	isArr bool
}

func jstr(s string) *jnode            { return &jnode{str: &s} }
func jnum(n int64) *jnode             { return &jnode{num: &n} }
func jdec(d Decimal) *jnode           { return jstr(d.String()) }
func jobj(m map[string]*jnode) *jnode { return &jnode{obj: m} }

func (n *jnode) write(buf *bytes.Buffer, indent int) {
	pad := func(k int) {
		buf.WriteByte('\n')
		for i := 0; i < k; i++ {
			buf.WriteString("  ")
		}
	}
	switch {
	case n.str != nil:
		writeJSONString(buf, *n.str)
	case n.num != nil:
		buf.WriteString(strconv.FormatInt(*n.num, 10))
	case n.isArr:
		if len(n.arr) == 0 {
			buf.WriteString("[ ]")
			return
		}
		buf.WriteString("[ ")
		for i, e := range n.arr {
			if i > 0 {
				buf.WriteString(", ")
			}
			e.write(buf, indent)
		}
		buf.WriteString(" ]")
	default:
		if len(n.obj) == 0 {
			buf.WriteString("{ }")
			return
		}
		keys := make([]string, 0, len(n.obj))
		for k := range n.obj {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return javaLess(keys[i], keys[j]) })
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			pad(indent + 1)
			writeJSONString(buf, k)
			buf.WriteString(" : ")
			n.obj[k].write(buf, indent+1)
		}
		pad(indent)
		buf.WriteByte('}')
	}
}

func writeJSONString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			buf.WriteString(`\"`)
		case '\\':
			buf.WriteString(`\\`)
		case '\n':
			buf.WriteString(`\n`)
		case '\r':
			buf.WriteString(`\r`)
		case '\t':
			buf.WriteString(`\t`)
		case '\b':
			buf.WriteString(`\b`)
		case '\f':
			buf.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(buf, `\u%04X`, r)
			} else {
				buf.WriteRune(r)
			}
		}
	}
	buf.WriteByte('"')
}

// detailedJSON renders RCTab's detailed report JSON for one tabulation.
func (c *Config) detailedJSON(t *Tabulation) []byte {
	o := c.Raw.OutputSettings
	root := map[string]*jnode{
		"config": jobj(map[string]*jnode{
			"contest": jstr(o.ContestName), "date": jstr(o.ContestDate),
			"generatedBy": jstr(GeneratedBy), "jurisdiction": jstr(o.ContestJurisdiction),
			"office": jstr(o.ContestOffice),
		}),
		"jsonFormatVersion": jstr("1"),
	}
	if t.SliceKind != "" {
		root["config"].obj[strings.ToLower(t.SliceKind)] = jstr(t.SliceID)
	}
	results := &jnode{isArr: true}
	for _, r := range t.Rounds {
		actions := &jnode{isArr: true}
		add := func(kind string, as []Action) {
			for _, a := range as {
				tr := map[string]*jnode{}
				for _, x := range a.Transfers {
					tr[x.To] = jdec(x.Votes)
				}
				actions.arr = append(actions.arr, jobj(map[string]*jnode{kind: jstr(a.Candidate), "transfers": jobj(tr)}))
			}
		}
		add("elected", r.Elected)
		add("eliminated", r.Eliminated)
		tally := map[string]*jnode{}
		for name, v := range r.Tally {
			tally[name] = jdec(v)
		}
		inactive := map[string]*jnode{
			"exhaustedChoices": jdec(r.Inactive.ExhaustedChoices), "overvotes": jdec(r.Inactive.Overvotes),
			"repeatedRankings": jdec(r.Inactive.RepeatedRankings), "skippedRankings": jdec(r.Inactive.SkippedRankings),
		}
		if r.Inactive.HasFinalSurplus {
			inactive["finalRoundSurplus"] = jdec(r.Inactive.FinalRoundSurplus)
		}
		results.arr = append(results.arr, jobj(map[string]*jnode{
			"inactiveBallots": jobj(inactive), "round": jnum(int64(r.Number)),
			"tally": jobj(tally), "tallyResults": actions, "threshold": jdec(r.Threshold),
		}))
	}
	root["results"] = results
	final := Decimal{}
	if n := len(t.Rounds); n > 0 {
		final = t.Rounds[n-1].Threshold
	}
	root["summary"] = jobj(map[string]*jnode{
		"finalThreshold": jdec(final), "numCandidates": jnum(int64(t.NumCandidates)),
		"numWinners": jnum(int64(t.NumWinners)), "totalNumBallots": jdec(t.TotalBallots),
		"undervotes": jnum(t.Undervotes),
	})
	var buf bytes.Buffer
	jobj(root).write(&buf, 0)
	return buf.Bytes()
}

// GeneratedBy is what the reports say produced them. It names the RCTab
// version whose format and results the reports reproduce; tests treat it
// as run-specific, like the generation date.
const GeneratedBy = "Momentum tally/rctab (RCTab 2.0.0 format)"
