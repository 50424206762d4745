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
// tally, then the winners.
func WriteText(w io.Writer, r *Result) error {
	bw := bufio.NewWriter(w)
	title := r.Title
	if title == "" {
		title = "Election"
	}
	fmt.Fprintf(bw, "%s\n%s\n\n", title, strings.Repeat("=", len([]rune(title))))
	fmt.Fprintf(bw, "Method:     %s\n", cmpStr(methodTitle[r.Method], string(r.Method)))
	fmt.Fprintf(bw, "Arithmetic: %s\n", r.Arithmetic)
	fmt.Fprintf(bw, "Seats:      %d\nBallots:    %d\n", r.Seats, r.Ballots)
	if !r.Quota.IsZero() {
		fmt.Fprintf(bw, "Quota:      %s\n", r.Quota)
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
			vw = max(vw, len(v.String()))
		}
		vw = max(vw, len(rd.Exhausted.String()))
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
						line(r.Candidates[c], "+"+v.String(), "")
					}
				}
				if t.Exhausted.Sign() != 0 {
					line("(non-transferable)", "+"+t.Exhausted.String(), "")
				}
				if t.Lost.Sign() != 0 {
					line("(lost to truncation)", t.Lost.String(), "")
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
				note = fmt.Sprintf("yes, %s if need be  %s", rd.IfNeedBe[c], note)
			}
			line(r.Candidates[c], v.String(), note)
		}
		if rd.Exhausted.Sign() != 0 {
			line("(non-transferable)", rd.Exhausted.String(), "")
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
// and every number as an exact decimal string: {"method", "seats",
// "elected" (names in order of election), "rounds": [{"round", "quota",
// "tallies", "exhausted", "events"}], …}. A count with reserved seats adds
// "min_representation": [{"category", "seats", "candidates", "elected"}];
// a meeting-time poll's tallies carry "if_need_be".
func (r *Result) MarshalJSON() ([]byte, error) {
	names := func(cs []int) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = r.Candidates[c]
		}
		return out
	}
	jr := jsonResult{Method: r.Method, Title: r.Title, Seats: r.Seats, Ballots: r.Ballots,
		Arithmetic: r.Arithmetic, Quota: nonZero(r.Quota), Elected: names(r.Elected), Rounds: []jsonRound{}}
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
		jd := jsonRound{Round: rd.Number, Quota: nonZero(rd.Quota), Exhausted: rd.Exhausted,
			Residual: nonZero(rd.Residual), Events: []jsonEvent{}}
		for c, v := range rd.Tallies {
			t := jsonTally{Candidate: r.Candidates[c], Votes: v}
			if rd.Status != nil {
				t.Status = rd.Status[c]
			}
			if rd.KeepFactors != nil {
				kf := rd.KeepFactors[c]
				t.KeepFactor = &kf
			}
			if c < len(rd.IfNeedBe) {
				inb := rd.IfNeedBe[c]
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
				jt := &jsonTransfer{From: r.Candidates[t.From], Amount: t.Amount, Value: t.Value,
					Exhausted: t.Exhausted, Lost: nonZero(t.Lost), To: []jsonTally{}}
				for c, v := range t.To {
					if v.Sign() != 0 {
						jt.To = append(jt.To, jsonTally{Candidate: r.Candidates[c], Votes: v})
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
