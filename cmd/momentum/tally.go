package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/momentum-movement/momentum/tally"
)

const tallyDescription = `Count the ballots in a BLT file and print the count round by round: who
was elected or excluded in each round and why, the transfers, the quota and
every candidate's votes. With --json, print one JSON object instead:
{"method", "seats", "elected": [names in order of election], "rounds": […]}.
Rounds are numbered from 1, and votes are shown at the method's own
decimal places (Scottish STV five, truncated) in the text and the JSON.

Methods: irv (one seat), scottish-stv (the Scottish Local Government
Elections Order 2007), meek and wigm (as Droop counts them), approval,
schulze (winning votes), score (ranks read as Borda points), plurality;
Droop's reference variants of Meek: meek-prf (the PR Foundation's rule,
9 decimal places) and warren (Warren's STV).
--seats overrides the seats the file declares.

With --rctab CONFIG.json instead of a BLT file, count a contest as RCTab
(the certified US ranked-choice tabulator) does: the configuration names
the cast vote record files (ES&S xlsx, NIST CDF JSON, Dominion
CvrExport.json, Clear Ballot CSV, generic CSV) and every rule; RCTab's
detailed reports, NAME_detailed_report.json and .csv (NAME being the
configuration's file name without _config.json), are written into --out
(default: the current folder) and the count printed. A tie the rules leave
to the operator (tiebreakMode stopCountingAndAsk) is asked on the terminal;
without one the count stops naming the tied candidates. Configuration errors
name the field's JSON path, e.g. rules.maxRankingsAllowed. With --rctab and
--convert, nothing is counted: the cast vote records are written as NIST
CDF JSON (NAME_cdf_cvr.json) and as RCTab's CVR CSV (NAME.csv), as RCTab's
conversions do.

Exit status: 0 counted; 1 the method cannot count this election; 2 bad
input (the file, line and what is wrong are printed).`

func runTally(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "tally", "FILE.blt", tallyDescription,
		"momentum tally --method scottish-stv ward.blt\nmomentum tally --method meek --seats 3 --json committee.blt > result.json\nmomentum tally --rctab mayor_config.json --out reports/")
	method := fs.String("method", "", "counting method: "+methodList())
	seats := fs.Int("seats", 0, "seats to fill (default: as the file declares)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	rctab := fs.String("rctab", "", "count an RCTab contest from its CONFIG.json (writes RCTab's detailed reports)")
	outDir := fs.String("out", "", "with --rctab: folder for the detailed reports (default: the current folder)")
	convert := fs.Bool("convert", false, "with --rctab: write the CVRs as CDF JSON and RCTab's CSV instead of counting") // tally_rctab.go
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	// Issue 15: "--seats 0" is an error, not "as the file declares"; only a
	// flag not given means that.
	seatsGiven := false
	fs.Visit(func(f *flag.Flag) { seatsGiven = seatsGiven || f.Name == "seats" })

	if *rctab != "" {
		if len(pos) != 0 || *method != "" || seatsGiven || *asJSON {
			return &exitError{code: 2, err: errors.New("--rctab takes its contest, rules and ballots from CONFIG.json: give no FILE.blt, --method, --seats or --json with it")}
		}
		if *convert { // tally_rctab.go
			return convertRCTab(ctx, env, *rctab, cmp.Or(*outDir, "."))
		}
		return tallyRCTab(ctx, env, *rctab, cmp.Or(*outDir, "."))
	}
	if *convert {
		return &exitError{code: 2, err: errors.New("--convert converts the CVRs of an RCTab contest: give it with --rctab CONFIG.json")}
	}

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
	if seatsGiven {
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

// readBLTFile reads a BLT file, with a progress bar on a terminal for
// large files.
func readBLTFile(env *Env, path string) (*tally.Election, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if st, err := f.Stat(); err == nil && st.Size() > 8<<20 {
		p := &readProgress{r: f, bar: newProgressBar(env.Stderr, "MB"), total: st.Size()}
		defer p.bar.done()
		r = p
	}
	return tally.ReadBLT(r, path)
}

// readProgress moves a progress bar as a file is read.
type readProgress struct {
	r           io.Reader
	bar         *progressBar
	total, read int64
}

func (p *readProgress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	p.bar.update(int(p.read>>20), int(p.total>>20))
	return n, err
}
