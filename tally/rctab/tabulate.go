package rctab

import (
	"context"
	"errors"
	"fmt"
	"sort"
)

// ErrTabulation wraps failures of the count itself (as opposed to bad
// input), e.g. every declared candidate below the minimum vote threshold.
var ErrTabulation = errors.New("rctab: tabulation failed")

// uncounted and exhausted are RCTab's pseudo-candidates in transfer maps.
const (
	transferUncounted = "uncounted"
	transferExhausted = "exhausted"
	transferResidual  = "residual surplus"
)

type alloc struct {
	cand  int
	value Decimal
}

// groupState is where one group of identical ballots stands.
type groupState struct {
	recipient int // -1: none
	status    BallotStatus
	value     Decimal // fractional transfer value still free to move
	allocs    []alloc // parts left with past winners
}

// tabulator runs one RCTab tabulation (one pass of a multi-pass contest).
type tabulator struct {
	cfg        *Config
	numWinners int
	excluded   []bool
	b          *Ballots
	st         []groupState
	n          int // candidate slots (declared + UWI)
	hashNames  []int

	rounds      []*roundTally
	winnerRound []int
	elimRound   []int
	winners     []int // in order of election (insertion order)
	eliminated  []int
	transfers   transferLog
	residual    []Decimal
	rng         *javaRandom
	permutation []string
	tieBroken   map[int]string // candidate -> explanation
	progress    func(round int)
	snaps       *cdfSnapshots // report_cdf.go; nil unless the config asks for CDF output

	// for interactive tie-break modes: who to ask, and where we are
	ctx  context.Context
	ask  AskFunc
	pass int

	// per slice kind, per slice index: round tallies and transfers
	sliceRounds    [numSlices][][]*roundTally
	sliceTransfers [numSlices][]transferLog
}

func newTabulator(cfg *Config, b *Ballots, numWinners int, excluded []bool) *tabulator {
	n := cfg.NumCandidates()
	t := &tabulator{
		cfg: cfg, numWinners: numWinners, excluded: excluded, b: b, n: n,
		st:          make([]groupState, b.Groups()),
		winnerRound: make([]int, n), elimRound: make([]int, n),
		transfers: transferLog{},
		tieBroken: map[int]string{},
	}
	for i := range t.st {
		t.st[i] = groupState{recipient: -1, value: Int(1)}
	}
	// RCTab keeps candidate names in a HashSet; round tallies are filled
	// in its iteration order.
	names := make([]string, 0, n)
	byName := map[string]int{}
	for i := 0; i < n; i++ {
		names = append(names, cfg.CandidateName(i))
		byName[cfg.CandidateName(i)] = i
	}
	for _, nm := range javaHashOrder(names) {
		t.hashNames = append(t.hashNames, byName[nm])
	}
	t.permutation = append([]string(nil), cfg.Names...)
	for k := range t.sliceRounds {
		if b.bySlice[k] {
			t.sliceRounds[k] = make([][]*roundTally, len(b.sliceIDs[k]))
			t.sliceTransfers[k] = make([]transferLog, len(b.sliceIDs[k]))
			for i := range t.sliceTransfers[k] {
				t.sliceTransfers[k][i] = transferLog{}
			}
		}
	}
	return t
}

func (t *tabulator) name(c int) string { return t.cfg.CandidateName(c) }

func (t *tabulator) usesSurpluses() bool {
	return t.numWinners > 1 && t.cfg.Mode != BottomsUp && t.cfg.Mode != BottomsUpPercentage
}

func (t *tabulator) numCandidates() int {
	n := t.n
	for _, e := range t.excluded {
		if e {
			n--
		}
	}
	return n
}

func (t *tabulator) numDeclared() int { return len(t.cfg.Names) }

func (t *tabulator) continuing(c int) bool {
	if c < 0 || t.excluded[c] {
		return false
	}
	if t.winnerRound[c] > 0 {
		return t.cfg.ContinueUntilTwo
	}
	return t.elimRound[c] == 0
}

// transferLog records vote transfers: round -> from -> to -> votes.
type transferLog map[int]map[string]map[string]Decimal

func (t *tabulator) sourceName(c int) string {
	if c < 0 {
		return transferUncounted
	}
	return t.name(c)
}

func addTransfer(log transferLog, round int, from, to string, v Decimal) {
	r := log[round]
	if r == nil {
		r = map[string]map[string]Decimal{}
		log[round] = r
	}
	m := r[from]
	if m == nil {
		m = map[string]Decimal{}
		r[from] = m
	}
	m[to] = m[to].Add(v)
}

// run tabulates until RCTab would stop and returns the winners.
func (t *tabulator) run(ctx context.Context) error {
	t.ctx = ctx
	switch t.cfg.Tiebreak {
	case TiebreakRandom, TiebreakPreviousThenRandom:
		t.rng = newJavaRandom(t.cfg.RandomSeed)
	case TiebreakGeneratePermutation:
		t.rng = newJavaRandom(t.cfg.RandomSeed)
		sort.Slice(t.permutation, func(i, j int) bool { return javaLess(t.permutation[i], t.permutation[j]) })
		t.rng.shuffle(t.permutation)
	}
	for t.shouldContinue() {
		if err := ctx.Err(); err != nil {
			return err
		}
		round := len(t.rounds) + 1
		rt, err := t.countRound(round)
		if err != nil {
			return err
		}
		t.rounds = append(t.rounds, rt)
		prevResidual := Decimal{}
		if round > 1 {
			prevResidual = t.residual[round-2]
		}
		t.residual = append(t.residual, prevResidual)
		recompute := round == 1
		if t.numWinners <= 1 {
			// RCTab 2.0 freezes the threshold once the seat is filled
			// (continueUntilTwoCandidatesRemain keeps counting after that).
			recompute = (!t.cfg.FirstRoundThreshold && len(t.winners) == 0) || round == 1
		}
		if recompute {
			rt.threshold = t.threshold(rt)
		} else {
			rt.threshold = t.rounds[round-2].threshold
		}
		t.setSliceThresholds(round, rt.threshold)
		groups := rt.byTally(t.mapOrder(rt))
		winners, err := t.identifyWinners(rt, groups)
		if err != nil {
			return err
		}
		if len(winners) > 0 {
			for _, w := range winners {
				t.winnerRound[w] = round
				t.winners = append(t.winners, w)
			}
			if t.usesSurpluses() {
				for _, w := range winners {
					t.recordWinnerSurplus(rt, w)
				}
			}
		} else if len(t.winners) < t.numWinners ||
			(t.cfg.ContinueUntilTwo && len(t.eliminated) < t.numCandidates()-2) ||
			t.cfg.Mode == BottomsUpPercentage {
			losers, err := t.eliminate(rt, groups)
			if err != nil {
				return err
			}
			for _, l := range losers {
				t.elimRound[l] = round
				t.eliminated = append(t.eliminated, l)
			}
		}
		if t.numWinners > 1 {
			t.updateWinnerTallies(round)
		}
		if t.progress != nil {
			t.progress(round)
		}
	}
	return nil
}

// mapOrder lists the candidates of a round tally in Java HashMap order.
func (t *tabulator) mapOrder(rt *roundTally) []int {
	names := make([]string, len(rt.inserted))
	for i, c := range rt.inserted {
		names[i] = t.name(c)
	}
	pos := map[string]int{}
	for i, nm := range names {
		pos[nm] = rt.inserted[i]
	}
	out := make([]int, 0, len(names))
	for _, nm := range javaHashOrder(names) {
		out = append(out, pos[nm])
	}
	return out
}

func (t *tabulator) shouldContinue() bool {
	round := len(t.rounds)
	nWin, nElim := len(t.winners), len(t.eliminated)
	switch {
	case round >= t.cfg.StopAfterRound:
		return false
	case nWin == t.numDeclared() && t.numWinners > t.numCandidates():
		return false
	case t.cfg.ContinueUntilTwo:
		lastElim := false
		for _, c := range t.eliminated {
			if t.elimRound[c] == round {
				lastElim = true
			}
		}
		return nElim+nWin+1 < t.numCandidates() || lastElim
	case t.cfg.Mode == BottomsUpPercentage:
		return nWin == 0
	}
	wonNow := false
	for _, c := range t.winners {
		if t.winnerRound[c] == round {
			wonNow = true
		}
	}
	return nWin < t.numWinners || (t.usesSurpluses() && wonNow)
}

// javaOrder lists candidates (given in insertion order) in HashMap order.
func (t *tabulator) javaOrder(cands []int) []int {
	names := make([]string, len(cands))
	pos := map[string]int{}
	for i, c := range cands {
		names[i] = t.name(c)
		pos[names[i]] = c
	}
	out := make([]int, 0, len(cands))
	for _, nm := range javaHashOrder(names) {
		out = append(out, pos[nm])
	}
	return out
}

func tabErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrTabulation, fmt.Sprintf(format, args...))
}
