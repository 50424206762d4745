package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/tally"
)

const tallyDescription = `Count the ballots in a BLT file and print the count round by round: who
was elected or excluded in each round and why, the transfers, the quota and
every candidate's votes. With --json, print one JSON object instead:
{"method", "seats", "elected": [names in order of election], "rounds": […]}.

Methods: irv (one seat), scottish-stv (the Scottish Local Government
Elections Order 2007), meek and wigm (as Droop counts them), approval,
schulze (winning votes), score (ranks read as Borda points), plurality.
--seats overrides the seats the file declares.

Exit status: 0 counted; 1 the method cannot count this election; 2 bad
input (the file, line and what is wrong are printed).`

func runTally(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "tally", "FILE.blt", tallyDescription,
		"momentum tally --method scottish-stv ward.blt\nmomentum tally --method meek --seats 3 --json committee.blt > result.json")
	method := fs.String("method", "", "counting method: "+methodList())
	seats := fs.Int("seats", 0, "seats to fill (default: as the file declares)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	rctab := fs.String("rctab", "", "count an RCTab contest from its CONFIG.json (writes RCTab's detailed reports)")
	outDir := fs.String("out", "", "with --rctab: folder for the detailed reports (default: the current folder)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}

	// ---- RCTab dispatch point -------------------------------------------
	// `momentum tally --rctab CONFIG.json [--out DIR]` is wired here by the
	// lead engineer once tally/rctab lands: load the config with its CVR
	// sources, tabulate, and write <contest>_detailed_report.json and .csv
	// into *outDir. Until then it is refused as bad usage.
	if *rctab != "" {
		_ = outDir
		return &exitError{code: 2, err: errors.New("tally --rctab is not available in this build yet")}
	}
	// -----------------------------------------------------------------------

	if len(pos) != 1 || *method == "" {
		fs.Usage()
		return errUsageShown
	}
	m := tally.Method(*method)
	if !validMethod(m) {
		return &exitError{code: 2, err: fmt.Errorf("unknown method %q: use one of %s", *method, methodList())}
	}
	e, err := readBLTFile(env, pos[0])
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if *seats != 0 {
		if *seats < 1 || *seats > len(e.Candidates) {
			return &exitError{code: 2, err: fmt.Errorf("--seats %d: must be between 1 and the %d candidates", *seats, len(e.Candidates))}
		}
		e.Seats = *seats
	}
	res, err := tally.Count(e, m)
	if err != nil {
		var ie *tally.InputError
		if errors.As(err, &ie) {
			return &exitError{code: 2, err: fmt.Errorf("%s: %w", pos[0], err)}
		}
		return &exitError{code: 1, err: fmt.Errorf("%s: %w", pos[0], err)}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return tally.WriteText(env.Stdout, res)
}

func validMethod(m tally.Method) bool {
	for _, x := range tally.Methods {
		if x == m {
			return true
		}
	}
	return false
}

func methodList() string {
	var s []string
	for _, m := range tally.Methods {
		s = append(s, string(m))
	}
	return strings.Join(s, "|")
}

// readBLTFile reads a BLT file, showing progress on a terminal for large
// files.
func readBLTFile(env *Env, path string) (*tally.Election, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if st, err := f.Stat(); err == nil && st.Size() > 8<<20 && isTerminal(env.Stderr) {
		p := &readProgress{r: f, w: env.Stderr, name: path, total: st.Size()}
		defer p.finish()
		r = p
	}
	return tally.ReadBLT(r, path)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// readProgress reports how much of a large ballot file has been read, at
// most ten times a second.
type readProgress struct {
	r           io.Reader
	w           io.Writer
	name        string
	total, done int64
	last        time.Time
}

func (p *readProgress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if time.Since(p.last) > 100*time.Millisecond {
		p.last = time.Now()
		fmt.Fprintf(p.w, "\rreading %s: %3d%% (%d of %d MB) ", p.name, p.done*100/p.total, p.done>>20, p.total>>20)
	}
	return n, err
}

func (p *readProgress) finish() {
	if !p.last.IsZero() {
		fmt.Fprintf(p.w, "\rreading %s: done%s\n", p.name, strings.Repeat(" ", 24))
	}
}
