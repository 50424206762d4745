package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progressBar draws "[#####-----]  48%  96,000 of 200,000 rows" on a
// terminal, at most ten times a second; it draws nothing elsewhere.
type progressBar struct {
	w     io.Writer
	unit  string // what is counted: "rows", "MB"
	on    bool
	start time.Time
	last  time.Time
}

func newProgressBar(w io.Writer, unit string) *progressBar {
	return &progressBar{w: w, unit: unit, on: isTerminal(w), start: time.Now()}
}

// isTerminal reports whether w is a terminal (not a file or a pipe).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progressBar) update(done, total int) {
	if !p.on || time.Since(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last = time.Now()
	const width = 30
	frac := 1.0
	if total > 0 {
		frac = min(1, float64(done)/float64(total))
	}
	n := int(frac * width)
	rate := float64(done) / max(time.Since(p.start).Seconds(), 0.001)
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %s of %s %s  %s %s/s ", strings.Repeat("#", n), strings.Repeat("-", width-n),
		frac*100, thousands(done), thousands(total), p.unit, thousands(int(rate)), p.unit)
}

func (p *progressBar) done() {
	if p.on && !p.last.IsZero() {
		fmt.Fprintln(p.w)
	}
}
