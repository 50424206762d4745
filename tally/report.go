package tally

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// methodTitle names each method in reports.
var methodTitle = map[Method]string{
	IRV:         "Instant-runoff",
	ScottishSTV: "Scottish STV (Scottish Local Government Elections Order 2007)",
	Meek:        "Meek STV",
	MeekPRF:     "Meek STV, the Proportional Representation Foundation's reference rule (meek-prf)",
	Warren:      "Warren STV",
	WIGM:        "Weighted inclusive Gregory method (WIGM)",
	Approval:    "Approval",
	Score:       "Score",
	Plurality:   "Plurality",
	Schulze:     "Schulze",
	Dots:        "Dot voting",
	MeetingTime: "Meeting-time poll (yes, then if-need-be)",
}

// WriteText writes a readable report of the count: the header, then every
// round's events in plain English, the transfers, and each candidate's
// tally, then the winners. Rounds are numbered from 1 and every vote is
// written by FormatVotes at the count's Places.
func WriteText(w io.Writer, r *Result) error {
	bw := bufio.NewWriter(w)
	places := r.Places()
	votes := func(d Decimal) string { return FormatVotes(d, places) }
	title := r.Title
	if title == "" {
		title = "Election"
	}
	fmt.Fprintf(bw, "%s\n%s\n\n", title, strings.Repeat("=", len([]rune(title))))
	fmt.Fprintf(bw, "Method:     %s\n", cmpStr(methodTitle[r.Method], string(r.Method)))
	fmt.Fprintf(bw, "Arithmetic: %s\n", r.Arithmetic)
	fmt.Fprintf(bw, "Seats:      %d\nBallots:    %d\n", r.Seats, r.Ballots)
	if !r.Quota.IsZero() {
		fmt.Fprintf(bw, "Quota:      %s\n", votes(r.Quota))
	}
	for _, rs := range r.MinRepresentation {
		fmt.Fprintf(bw, "Reserved:   at least %d of the %d seats for %s, applied at every stage (%d elected)\n",
			rs.Seats, r.Seats, rs.Category, r.ElectedIn(rs.Category))
	}
	nw := len("(lost to truncation)")
	for _, n := range r.Candidates {
		nw = max(nw, len([]rune(n)))
	}
	// vw is the widest number shown, so columns line up down the report.
	vw := 1
	for _, rd := range r.Rounds {
		for _, v := range rd.Tallies {
			vw = max(vw, len(votes(v)))
		}
		vw = max(vw, len(votes(rd.Exhausted)))
	}
	line := func(name, val, note string) {
		pad := nw - len([]rune(name))
		l := fmt.Sprintf("    %s%s  %*s  %s", name, strings.Repeat(" ", pad), vw+1, val, note)
		bw.WriteString(strings.TrimRight(l, " "))
		bw.WriteByte('\n')
	}
	for _, rd := range r.Rounds {
		fmt.Fprintf(bw, "\nRound %d\n", rd.Number)
		for _, ev := range rd.Events {
			fmt.Fprintf(bw, "  * %s\n", ev.Detail)
			if t := ev.Transfer; t != nil {
				for c, v := range t.To {
					if v.Sign() != 0 {
						line(r.Candidates[c], "+"+votes(v), "")
					}
				}
				if t.Exhausted.Sign() != 0 {
					line("(non-transferable)", "+"+votes(t.Exhausted), "")
				}
				if t.Lost.Sign() != 0 {
					line("(lost to truncation)", votes(t.Lost), "")
				}
			}
		}
		fmt.Fprintln(bw, "  Votes:")
		for c, v := range rd.Tallies {
			st := Status("")
			if rd.Status != nil {
				st = rd.Status[c]
			}
			if st == Withdrawn {
				continue
			}
			note := string(st)
			if c < len(r.Categories) && r.Categories[c] != "" {
				note += " (" + r.Categories[c] + ")"
			}
			if c < len(rd.IfNeedBe) {
				note = fmt.Sprintf("yes, %s if need be  %s", votes(rd.IfNeedBe[c]), note)
			}
			line(r.Candidates[c], votes(v), note)
		}
		if rd.Exhausted.Sign() != 0 {
			line("(non-transferable)", votes(rd.Exhausted), "")
		}
	}
	fmt.Fprintf(bw, "\nElected: %s\n", strings.Join(r.ElectedNames(), ", "))
	return bw.Flush()
}

func cmpStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// JSON shapes: names instead of indexes, decimals as strings.
type (
	jsonResult struct {
		Method     Method     `json:"method"`
		Title      string     `json:"title,omitempty"`
		Seats      int        `json:"seats"`
		Ballots    int64      `json:"ballots"`
		Arithmetic string     `json:"arithmetic"`
		Quota      *Decimal   `json:"quota,omitempty"`
		Elected    []string   `json:"elected"`
		Order      [][]string `json:"order,omitempty"`
		// MinRepresentation lists the reserved seats, who stood in each
		// category and who of them was elected.
		MinRepresentation []jsonReserve `json:"min_representation,omitempty"`
		Rounds            []jsonRound   `json:"rounds"`
	}
	jsonReserve struct {
		Category   string   `json:"category"`
		Seats      int      `json:"seats"`
		Candidates []string `json:"candidates"`
		Elected    []string `json:"elected"`
	}
	jsonRound struct {
		Round     int         `json:"round"`
		Quota     *Decimal    `json:"quota,omitempty"`
		Tallies   []jsonTally `json:"tallies"`
		Exhausted Decimal     `json:"exhausted"`
		Residual  *Decimal    `json:"residual,omitempty"`
		Events    []jsonEvent `json:"events"`
	}
	jsonTally struct {
		Candidate  string   `json:"candidate"`
		Votes      Decimal  `json:"votes"`
		Status     Status   `json:"status,omitempty"`
		KeepFactor *Decimal `json:"keep_factor,omitempty"`
		IfNeedBe   *Decimal `json:"if_need_be,omitempty"`
	}
	jsonEvent struct {
		Kind      EventKind     `json:"kind"`
		Candidate string        `json:"candidate,omitempty"`
		Reason    Reason        `json:"reason"`
		Detail    string        `json:"detail"`
		Tied      []string      `json:"tied,omitempty"`
		Transfer  *jsonTransfer `json:"transfer,omitempty"`
	}
	jsonTransfer struct {
		From      string      `json:"from"`
		Amount    Decimal     `json:"amount"`
		Value     Decimal     `json:"value"`
		To        []jsonTally `json:"to"`
		Exhausted Decimal     `json:"exhausted"`
		Lost      *Decimal    `json:"lost,omitempty"`
	}
)

func nonZero(d Decimal) *Decimal {
	if d.IsZero() {
		return nil
	}
	return &d
}

// MarshalJSON writes the result with candidate names in place of indexes
// and every number as an exact decimal string, votes at the count's Places
// (as the text report shows them): {"method", "seats",
// "elected" (names in order of election), "rounds": [{"round", "quota",
// "tallies", "exhausted", "events"}], …}. A count with reserved seats adds
// "min_representation": [{"category", "seats", "candidates", "elected"}];
// a meeting-time poll's tallies carry "if_need_be". "round" is
// Round.Number: the first round is 1 (it was 0 before issue 15).
func (r *Result) MarshalJSON() ([]byte, error) {
	p := r.Places()
	v := func(d Decimal) Decimal { return d.widen(p) }
	nz := func(d Decimal) *Decimal { return nonZero(d.widen(p)) }
	names := func(cs []int) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = r.Candidates[c]
		}
		return out
	}
	jr := jsonResult{Method: r.Method, Title: r.Title, Seats: r.Seats, Ballots: r.Ballots,
		Arithmetic: r.Arithmetic, Quota: nz(r.Quota), Elected: names(r.Elected), Rounds: []jsonRound{}}
	for _, g := range r.Order {
		jr.Order = append(jr.Order, names(g))
	}
	for _, rs := range r.MinRepresentation {
		jrs := jsonReserve{Category: rs.Category, Seats: rs.Seats, Candidates: []string{}, Elected: []string{}}
		for c, cat := range r.Categories {
			if cat == rs.Category {
				jrs.Candidates = append(jrs.Candidates, r.Candidates[c])
			}
		}
		for _, c := range r.Elected {
			if r.Categories[c] == rs.Category {
				jrs.Elected = append(jrs.Elected, r.Candidates[c])
			}
		}
		jr.MinRepresentation = append(jr.MinRepresentation, jrs)
	}
	for _, rd := range r.Rounds {
		jd := jsonRound{Round: rd.Number, Quota: nz(rd.Quota), Exhausted: v(rd.Exhausted),
			Residual: nz(rd.Residual), Events: []jsonEvent{}}
		for c, tl := range rd.Tallies {
			t := jsonTally{Candidate: r.Candidates[c], Votes: v(tl)}
			if rd.Status != nil {
				t.Status = rd.Status[c]
			}
			if rd.KeepFactors != nil {
				kf := rd.KeepFactors[c]
				t.KeepFactor = &kf
			}
			if c < len(rd.IfNeedBe) {
				inb := v(rd.IfNeedBe[c])
				t.IfNeedBe = &inb
			}
			jd.Tallies = append(jd.Tallies, t)
		}
		for _, ev := range rd.Events {
			je := jsonEvent{Kind: ev.Kind, Reason: ev.Reason, Detail: ev.Detail, Tied: names(ev.Tied)}
			if len(ev.Tied) == 0 {
				je.Tied = nil
			}
			if ev.Candidate >= 0 && ev.Candidate < len(r.Candidates) {
				je.Candidate = r.Candidates[ev.Candidate]
			}
			if t := ev.Transfer; t != nil {
				jt := &jsonTransfer{From: r.Candidates[t.From], Amount: v(t.Amount), Value: t.Value,
					Exhausted: v(t.Exhausted), Lost: nz(t.Lost), To: []jsonTally{}}
				for c, x := range t.To {
					if x.Sign() != 0 {
						jt.To = append(jt.To, jsonTally{Candidate: r.Candidates[c], Votes: v(x)})
					}
				}
				je.Transfer = jt
			}
			jd.Events = append(jd.Events, je)
		}
		jr.Rounds = append(jr.Rounds, jd)
	}
	return json.Marshal(jr)
}
