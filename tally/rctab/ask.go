package rctab

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Tie is a tie the count cannot break by itself: tiebreakMode
// stopCountingAndAsk, or previousRoundCountsThenAsk once earlier rounds do
// not separate the candidates. RCTab stops and asks its operator; so do we,
// through RunOptions.Ask.
type Tie struct {
	Contest    string
	Pass       int      // the pass of a multi-pass IRV contest (from 1); 0 otherwise
	Round      int      // from 1
	Winner     bool     // choosing who is elected (true) or who is eliminated (false)
	Candidates []string // the tied candidates, sorted by name as RCTab lists them
	Votes      string   // what each of them has this round
}

// String describes the tie in a line, e.g. `round 3: "Yinka Dare" and
// "George Gervin" are tied for elimination with 2 votes each`.
func (t Tie) String() string {
	var b strings.Builder
	if t.Pass > 0 {
		fmt.Fprintf(&b, "pass %d, ", t.Pass)
	}
	what := "for elimination"
	if t.Winner {
		what = "to be elected"
	}
	fmt.Fprintf(&b, "round %d: %s are tied %s with %s votes each", t.Round, quotedList(t.Candidates), what, t.Votes)
	return b.String()
}

// quotedList writes "A", "B" and "C".
func quotedList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// AskFunc asks the operator to break tie and returns the chosen
// candidate's name, one of tie.Candidates. An error stops the count.
type AskFunc func(ctx context.Context, tie Tie) (string, error)

// TieError is returned when a tie needs the operator and there is no one
// to ask (RunOptions.Ask is nil: no terminal). It wraps ErrTabulation.
type TieError struct {
	Tie  Tie
	Mode TiebreakMode
}

// Error implements error.
func (e *TieError) Error() string {
	return fmt.Sprintf("%s: %s; tiebreakMode %s needs an operator to choose, and there is none to ask (run the count on a terminal)",
		ErrTabulation, e.Tie, e.Mode)
}

// Unwrap makes errors.Is(err, ErrTabulation) hold.
func (e *TieError) Unwrap() error { return ErrTabulation }

// askOperator breaks a tie among tied (sorted by name) by asking.
func (t *tabulator) askOperator(winner bool, tied []int, round int, votes Decimal) (int, string, error) {
	tie := Tie{Contest: t.cfg.Raw.OutputSettings.ContestName, Pass: t.pass, Round: round, Winner: winner, Votes: votes.String()}
	for _, c := range tied {
		tie.Candidates = append(tie.Candidates, t.name(c))
	}
	if t.ask == nil {
		return 0, "", &TieError{Tie: tie, Mode: t.cfg.Tiebreak}
	}
	ctx := t.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	choice, err := t.ask(ctx, tie)
	if err != nil {
		return 0, "", fmt.Errorf("%w: %s: %w", ErrTabulation, tie, err)
	}
	i := slices.Index(tie.Candidates, choice)
	if i < 0 {
		return 0, "", fmt.Errorf("%w: %s: the answer %q is not one of the tied candidates", ErrTabulation, tie, choice)
	}
	return tied[i], "The selected candidate was supplied by the operator.", nil
}

// RunOptions are RunWith's optional settings.
type RunOptions struct {
	// Progress, if not nil, is called with (done, total) steps: one per CVR
	// source, then one for the count.
	Progress func(done, total int)
	// Ask, if not nil, breaks the ties that tiebreakMode stopCountingAndAsk
	// (or previousRoundCountsThenAsk) leaves to the operator. Contests
	// without such a tie never call it. When it is nil such a tie fails
	// the count with a *TieError naming the tied candidates.
	Ask AskFunc
}

// Run is RunWith with only a progress callback: a tie that needs an
// operator fails the count with a *TieError.
func Run(ctx context.Context, configPath, outDir string, progress func(done, total int)) (*Result, error) {
	return RunWith(ctx, configPath, outDir, RunOptions{Progress: progress})
}

// checkSliceData refuses what RCTab aborts on before counting: reports by
// precinct asked for, but no cast vote record names a precinct.
func checkSliceData(cfg *Config, b *Ballots) error {
	if b.bySlice[slicePrecinct] && len(b.sliceIDs[slicePrecinct]) == 0 && b.Len() > 0 {
		return &ConfigError{Field: "outputSettings.tabulateByPrecinct",
			Msg: "is true, but no cast vote record names a precinct; set it to false, or give each source's precinct data"}
	}
	return nil
}
