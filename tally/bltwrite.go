package tally

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteBLT writes e in the BLT format ReadBLT reads: withdrawn candidates
// as a line of negative numbers, a [tie] option if the tie order is not
// ballot order, equal rankings joined with "=".
func WriteBLT(w io.Writer, e *Election) error {
	for _, s := range append([]string{e.Title}, e.Candidates...) {
		if strings.ContainsAny(s, "\"\n\r") {
			return fmt.Errorf("write BLT: name %q holds a quote or line break, which BLT cannot carry", s)
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "%d %d\n", len(e.Candidates), e.Seats)
	first := true
	for c := range e.Candidates {
		if e.withdrawn(c) {
			if !first {
				bw.WriteByte(' ')
			}
			fmt.Fprintf(bw, "-%d", c+1)
			first = false
		}
	}
	if !first {
		bw.WriteByte('\n')
	}
	if len(e.TieOrder) == len(e.Candidates) {
		bw.WriteString("[tie")
		for _, c := range e.TieOrder {
			fmt.Fprintf(bw, " %d", c+1)
		}
		bw.WriteString("]\n")
	}
	var num []byte
	for i := range e.Ballots.Len() {
		num = strconv.AppendInt(num[:0], e.Ballots.Weight(i), 10)
		bw.Write(num)
		for _, pref := range e.Ballots.Ranking(i) {
			if pref&tiedFlag != 0 {
				bw.WriteByte('=')
			} else {
				bw.WriteByte(' ')
			}
			num = strconv.AppendInt(num[:0], int64(pref&^tiedFlag)+1, 10)
			bw.Write(num)
		}
		bw.WriteString(" 0\n")
	}
	bw.WriteString("0\n")
	for _, s := range e.Candidates {
		fmt.Fprintf(bw, "\"%s\"\n", s)
	}
	fmt.Fprintf(bw, "\"%s\"\n", e.Title)
	return bw.Flush()
}
