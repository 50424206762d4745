package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/tally/rctab"
)

// tallyRCTab counts an RCTab contest: the configuration names the CVR files
// and the rules; RCTab's detailed reports (JSON and CSV) are written into
// outDir and a readable account of the count printed. A tie the rules leave
// to the operator (tiebreakMode stopCountingAndAsk) is asked on the
// terminal; without one it fails naming the tied candidates.
//
// Exit status 2 for a broken configuration or CVR file (the message names
// the config field's JSON path, or the file and line), 1 when the count
// cannot finish.
func tallyRCTab(ctx context.Context, env *Env, configPath, outDir string) error {
	if err := checkOutDir(outDir); err != nil {
		return &exitError{code: 2, err: err}
	}
	bar := newProgressBar(env.Stderr, "steps")
	opts := rctab.RunOptions{Progress: bar.update}
	if isTerminalReader(env.Stdin) {
		opts.Ask = askOnTerminal(bufio.NewReader(env.Stdin), env.Stderr)
	}
	res, err := rctab.RunWith(ctx, configPath, outDir, opts)
	bar.done()
	if err != nil {
		var ce *rctab.ConfigError
		var pe *rctab.ParseError
		if errors.As(err, &ce) || errors.As(err, &pe) {
			return &exitError{code: 2, err: err}
		}
		return &exitError{code: 1, err: err}
	}
	if err := rctab.WriteText(env.Stdout, res); err != nil {
		return err
	}
	name := rctab.ReportName(configPath)
	fmt.Fprintf(env.Stderr, "wrote %s_detailed_report.json and .csv in %s\n", name, filepath.Clean(outDir))
	return nil
}

// checkOutDir refuses, before anything is counted, a report folder that
// cannot be written: it must be a folder, or not exist yet under a folder
// we can write in (it is created when the reports are written).
func checkOutDir(dir string) error {
	d := filepath.Clean(dir)
	for {
		st, err := os.Stat(d)
		if err == nil {
			if !st.IsDir() {
				return fmt.Errorf("--out %s: %s is a file, not a folder", dir, d)
			}
			break
		}
		if errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("--out %s: %s cannot be read (%v)", dir, d, errors.Unwrap(err))
		}
		// missing, or under a file: look at the folder above
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	f, err := os.CreateTemp(d, ".momentum-write-check-*")
	if err != nil {
		return fmt.Errorf("--out %s: cannot write in %s (%v)", dir, d, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// isTerminalReader reports whether r is a terminal someone can type at.
func isTerminalReader(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// errTieCancelled is the operator's "x" at a tie-break prompt.
var errTieCancelled = errors.New("the count was cancelled at the tie-break prompt")

// askOnTerminal asks the operator to break a tie, as RCTab's command line
// does: it lists the tied candidates by number and reads a number, or x to
// cancel, asking again after anything else.
func askOnTerminal(in *bufio.Reader, out io.Writer) rctab.AskFunc {
	return func(ctx context.Context, tie rctab.Tie) (string, error) {
		verb := "eliminate"
		if tie.Winner {
			verb = "elect"
		}
		fmt.Fprintf(out, "\nTie in %s; each of these candidates has %s votes:\n", tieWhere(tie), tie.Votes)
		for i, c := range tie.Candidates {
			fmt.Fprintf(out, "  %d. %s\n", i+1, c)
		}
		for {
			if err := ctx.Err(); err != nil {
				return "", err
			}
			fmt.Fprintf(out, "Number of the candidate to %s (or x to cancel): ", verb)
			line, err := in.ReadString('\n')
			line = strings.TrimSpace(line)
			if line == "x" || line == "X" {
				return "", errTieCancelled
			}
			if n, convErr := strconv.Atoi(line); convErr == nil && n >= 1 && n <= len(tie.Candidates) {
				return tie.Candidates[n-1], nil
			}
			if err != nil { // end of input without an answer
				return "", fmt.Errorf("no answer at the tie-break prompt: %w", err)
			}
			fmt.Fprintf(out, "%q is not a number from 1 to %d.\n", line, len(tie.Candidates))
		}
	}
}

func tieWhere(tie rctab.Tie) string {
	if tie.Pass > 0 {
		return fmt.Sprintf("pass %d, round %d", tie.Pass, tie.Round)
	}
	return fmt.Sprintf("round %d", tie.Round)
}

// convertRCTab writes the cast vote records of an RCTab contest as NIST CDF
// JSON and as RCTab's CVR CSV into outDir, without counting them (issue 15:
// RCTab's conversions).
func convertRCTab(ctx context.Context, env *Env, configPath, outDir string) error {
	if err := checkOutDir(outDir); err != nil {
		return &exitError{code: 2, err: err}
	}
	if err := rctab.Convert(ctx, configPath, outDir); err != nil {
		var ce *rctab.ConfigError
		var pe *rctab.ParseError
		if errors.As(err, &ce) || errors.As(err, &pe) {
			return &exitError{code: 2, err: err}
		}
		return &exitError{code: 1, err: err}
	}
	name := rctab.ReportName(configPath)
	fmt.Fprintf(env.Stderr, "wrote %s_cdf_cvr.json and %s.csv in %s\n", name, name, filepath.Clean(outDir))
	return nil
}
