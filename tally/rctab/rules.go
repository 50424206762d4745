package rctab

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// UWIName is the name RCTab gives undeclared write-ins in its reports.
const UWIName = "Undeclared Write-ins"

// WinnerMode is RCTab's winnerElectionMode.
type WinnerMode string

// The winner election modes RCTab offers.
const (
	SingleWinnerMajority      WinnerMode = "singleWinnerMajority"
	MultiWinnerMultiplePerRnd WinnerMode = "multiWinnerAllowMultipleWinnersPerRound"
	MultiWinnerOnePerRound    WinnerMode = "multiWinnerAllowOnlyOneWinnerPerRound"
	BottomsUp                 WinnerMode = "bottomsUp"
	BottomsUpPercentage       WinnerMode = "bottomsUpUsingPercentageThreshold"
	MultiPassIRV              WinnerMode = "multiPassIrv"
)

// OvervoteRule is RCTab's overvoteRule.
type OvervoteRule string

// The overvote rules.
const (
	AlwaysSkipToNextRank        OvervoteRule = "alwaysSkipToNextRank"
	ExhaustImmediately          OvervoteRule = "exhaustImmediately"
	ExhaustIfMultipleContinuing OvervoteRule = "exhaustIfMultipleContinuing"
)

// TiebreakMode is RCTab's tiebreakMode.
type TiebreakMode string

// The tie-break modes. The interactive ones ("stopCountingAndAsk",
// "previousRoundCountsThenAsk") ask the operator only when a tie happens
// (RunOptions.Ask); without an answer source such a tie fails the count.
const (
	TiebreakRandom              TiebreakMode = "random"
	TiebreakPreviousThenRandom  TiebreakMode = "previousRoundCountsThenRandom"
	TiebreakUseCandidateOrder   TiebreakMode = "useCandidateOrder"
	TiebreakGeneratePermutation TiebreakMode = "generatePermutation"
	TiebreakStopCountingAndAsk  TiebreakMode = "stopCountingAndAsk"
	TiebreakPreviousThenAsk     TiebreakMode = "previousRoundCountsThenAsk"
)

// Config is a validated RCTab contest configuration.
type Config struct {
	Raw       RawConfig
	Dir       string   // folder the configuration was read from
	Sources   []Source // CVR sources with resolved paths
	Names     []string // declared candidate names in file order
	Excluded  []bool   // by candidate index
	UWI       bool     // whether undeclared write-ins are a candidate
	aliasToID map[string]int

	Mode                WinnerMode
	Overvote            OvervoteRule
	Tiebreak            TiebreakMode
	RandomSeed          int64
	NumWinners          int
	BottomsUpPercent    Decimal // fraction, e.g. 0.1500; zero when unset
	DecimalPlaces       int
	MinimumVotes        Decimal
	MaxSkippedRanks     int // math.MaxInt for "unlimited"
	MaxRankings         int
	NonIntegerThreshold bool
	FirstRoundThreshold bool
	HareQuota           bool
	BatchElimination    bool
	ContinueUntilTwo    bool
	StopAfterRound      int // math.MaxInt when unset
	ExhaustOnDuplicate  bool
	CutoffElimination   bool // bottoms-up: drop everyone not over the threshold at once
}

// Source is one CVR source with its path resolved.
type Source struct {
	CVRSource
	Path         string
	FirstVoteCol int // 1-based, 0 when not used
	FirstVoteRow int // 1-based, 0 when not used
	IDCol        int // 1-based, 0 when absent
	PrecinctCol  int // 1-based, 0 when absent
	BatchCol     int // 1-based, 0 when absent
}

// NumCandidates counts candidates including undeclared write-ins.
func (c *Config) NumCandidates() int {
	n := len(c.Names)
	if c.UWI {
		n++
	}
	return n
}

// CandidateName returns the report name of candidate index i.
func (c *Config) CandidateName(i int) string {
	if i == len(c.Names) {
		return UWIName
	}
	return c.Names[i]
}

// uwiIndex is the candidate index of undeclared write-ins (-1 if none).
func (c *Config) uwiIndex() int {
	if c.UWI {
		return len(c.Names)
	}
	return -1
}

// lookup maps a name or alias to a candidate index.
func (c *Config) lookup(name string) (int, bool) {
	i, ok := c.aliasToID[name]
	return i, ok
}

// NewConfig validates raw, resolving relative paths against dir. Like
// RCTab's validate(), it checks everything and reports every problem: the
// error is a *ConfigError when there is one, ConfigErrors when several.
func NewConfig(raw RawConfig, dir string) (*Config, error) {
	c := &Config{Raw: raw, Dir: dir, aliasToID: map[string]int{}}
	var p problems
	c.checkOutputSettings(raw.OutputSettings, &p)
	if len(raw.CVRFileSources) == 0 {
		p.add("cvrFileSources", "at least one cast vote record source is required")
	}
	seen := map[string]int{}
	for i, s := range raw.CVRFileSources {
		src := c.newSource(i, s, dir, &p)
		if strings.TrimSpace(s.FilePath) != "" {
			if j, dup := seen[src.Path]; dup {
				p.add(fmt.Sprintf("cvrFileSources[%d].filePath", i), "%q is already cvrFileSources[%d]; each file may be read once", s.FilePath, j)
			}
			seen[src.Path] = i
		}
		if s.UndeclaredWriteInLabel != "" || s.TreatBlankAsUndeclaredWriteIn {
			c.UWI = true
		}
		c.Sources = append(c.Sources, src)
	}
	c.checkCandidates(raw.Candidates, &p)
	if c.UWI {
		c.aliasToID[UWIName] = len(c.Names)
		c.Excluded = append(c.Excluded, false)
	}
	c.parseRules(raw.Rules, &p)
	if err := p.err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) checkOutputSettings(o OutputSettings, p *problems) {
	if strings.TrimSpace(o.ContestName) == "" {
		p.add("outputSettings.contestName", "is required")
	}
	if inWindowsUserFolder(o.OutputDirectory) {
		// RCTab refuses this (its issue 757): files written there cannot be
		// made read-only for the account that ran the count.
		p.add("outputSettings.outputDirectory", "%q is in a Windows user account folder (C:\\Users\\…), where RCTab's output cannot be kept read-only; choose a folder outside it, e.g. C:\\RCTab", o.OutputDirectory)
	}
}

// inWindowsUserFolder reports whether dir is on a drive's Users folder,
// written with either slash, in any case.
func inWindowsUserFolder(dir string) bool {
	d := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(dir), `\`, "/"))
	if len(d) < 3 || d[1] != ':' || d[0] < 'a' || d[0] > 'z' {
		return false
	}
	rest := strings.TrimLeft(d[2:], "/")
	return rest == "users" || strings.HasPrefix(rest, "users/")
}

func (c *Config) checkCandidates(cands []Candidate, p *problems) {
	if len(cands) == 0 {
		p.add("candidates", "at least one candidate is required")
		return
	}
	excluded := 0
	for i, cand := range cands {
		field := fmt.Sprintf("candidates[%d].name", i)
		if strings.TrimSpace(cand.Name) == "" {
			p.add(field, "is required")
		}
		for _, n := range append([]string{cand.Name}, cand.Aliases...) {
			if strings.TrimSpace(n) == "" {
				continue
			}
			if j, dup := c.aliasToID[n]; dup {
				p.add(field, "name or alias %q is already used by candidates[%d]", n, j)
				continue
			}
			c.aliasToID[n] = i
		}
		if cand.Excluded {
			excluded++
		}
		c.Names = append(c.Names, cand.Name)
		c.Excluded = append(c.Excluded, cand.Excluded)
	}
	if excluded == len(cands) {
		p.add("candidates", "every candidate is excluded; at least one must stand")
	}
}

func (c *Config) newSource(i int, s CVRSource, dir string, p *problems) Source {
	field := func(f string) string { return fmt.Sprintf("cvrFileSources[%d].%s", i, f) }
	src := Source{CVRSource: s, Path: s.FilePath}
	if strings.TrimSpace(s.FilePath) == "" {
		p.add(field("filePath"), "is required")
	} else {
		if !filepath.IsAbs(src.Path) {
			src.Path = filepath.Join(dir, filepath.FromSlash(s.FilePath))
		}
		if _, err := os.Stat(src.Path); err != nil {
			p.add(field("filePath"), "%q not found (looked for %s)", s.FilePath, src.Path)
		}
	}
	var ok bool
	switch s.Provider {
	case "ess", "genericCsv":
		src.FirstVoteCol, _ = p.intField(field("firstVoteColumnIndex"), s.FirstVoteColumnIndex, nil, 1, 1000)
		src.FirstVoteRow, _ = p.intField(field("firstVoteRowIndex"), s.FirstVoteRowIndex, nil, 1, 100000)
		src.IDCol, _ = p.intField(field("idColumnIndex"), s.IDColumnIndex, intp(0), 1, 1000)
		if src.PrecinctCol, ok = p.intField(field("precinctColumnIndex"), s.PrecinctColumnIndex, intp(0), 1, 1000); ok && src.PrecinctCol == 0 &&
			s.Provider == "ess" && c.Raw.OutputSettings.TabulateByPrecinct {
			p.add(field("precinctColumnIndex"), "is required when outputSettings.tabulateByPrecinct is true")
		}
		src.BatchCol, _ = p.intField(field("batchColumnIndex"), s.BatchColumnIndex, intp(0), 1, 1000)
	case "cdf", "dominion", "clearBallot", "hart": // hart: issue 15, read_hart.go
	case "":
		p.add(field("provider"), "is required (ess, cdf, dominion, clearBallot, hart or genericCsv)")
		return src
	default:
		p.add(field("provider"), "%q is not supported (want ess, cdf, dominion, clearBallot, hart or genericCsv)", s.Provider)
	}
	switch s.Provider {
	case "cdf", "clearBallot", "dominion", "hart":
		if strings.TrimSpace(s.ContestID) == "" {
			p.add(field("contestId"), "is required for provider %s: the ID of the contest to count, as the cast vote records name it", s.Provider)
		}
	}
	if s.OvervoteLabel != "" && s.OvervoteDelimiter != "" {
		p.add(field("overvoteDelimiter"), "must be blank when overvoteLabel is given")
	}
	if s.OvervoteLabel != "" && c.Raw.Rules.OvervoteRule == string(ExhaustIfMultipleContinuing) {
		p.add(field("overvoteLabel"), "cannot be used with rules.overvoteRule exhaustIfMultipleContinuing, which needs to know the candidates of each overvote")
	}
	return src
}

// checkSeats checks the rules that depend on the number of seats, as
// RCTab's documentation states them.
func (c *Config) checkSeats(p *problems) {
	n := c.NumWinners
	switch c.Mode {
	case SingleWinnerMajority:
		if n != 1 {
			p.add("rules.numberOfWinners", "%d does not fit winnerElectionMode singleWinnerMajority, which elects 1", n)
		}
	case MultiWinnerOnePerRound, MultiWinnerMultiplePerRnd, BottomsUp, MultiPassIRV:
		if n < 2 {
			p.add("rules.numberOfWinners", "%d does not fit winnerElectionMode %s, which needs 2 seats or more", n, c.Mode)
		}
	case BottomsUpPercentage:
		if n != 0 {
			p.add("rules.numberOfWinners", "must be 0 with winnerElectionMode bottomsUpUsingPercentageThreshold (the threshold decides who wins), not %d", n)
		}
	}
	multi := n > 1 && c.Mode != MultiPassIRV // multi-pass IRV counts one seat at a time
	if multi && c.BatchElimination {
		p.add("rules.batchElimination", "is only for single-winner contests (and multiPassIrv)")
	}
	if multi && c.ContinueUntilTwo {
		p.add("rules.continueUntilTwoCandidatesRemain", "is only for single-winner contests (and multiPassIrv)")
	}
	if n == 1 && c.HareQuota {
		p.add("rules.hareQuota", "is only for multi-seat contests")
	}
}

func (c *Config) parseRules(r RawRules, p *problems) {
	c.Mode = WinnerMode(r.WinnerElectionMode)
	switch c.Mode {
	case SingleWinnerMajority, MultiWinnerMultiplePerRnd, MultiWinnerOnePerRound, BottomsUp, BottomsUpPercentage, MultiPassIRV:
	case "":
		p.add("rules.winnerElectionMode", "is required (%s)", strings.Join(winnerModes, ", "))
	default:
		p.add("rules.winnerElectionMode", "%q is not a winner election mode (want %s)", r.WinnerElectionMode, strings.Join(winnerModes, ", "))
	}
	c.Overvote = OvervoteRule(r.OvervoteRule)
	switch c.Overvote {
	case AlwaysSkipToNextRank, ExhaustImmediately, ExhaustIfMultipleContinuing:
	case "":
		p.add("rules.overvoteRule", "is required (alwaysSkipToNextRank, exhaustImmediately or exhaustIfMultipleContinuing)")
	default:
		p.add("rules.overvoteRule", "%q is not an overvote rule (want alwaysSkipToNextRank, exhaustImmediately or exhaustIfMultipleContinuing)", r.OvervoteRule)
	}
	c.Tiebreak = TiebreakMode(r.TiebreakMode)
	switch c.Tiebreak {
	case TiebreakRandom, TiebreakPreviousThenRandom, TiebreakUseCandidateOrder, TiebreakGeneratePermutation,
		TiebreakStopCountingAndAsk, TiebreakPreviousThenAsk:
	case "":
		p.add("rules.tiebreakMode", "is required (%s)", strings.Join(tiebreakModes, ", "))
	default:
		p.add("rules.tiebreakMode", "%q is not a tie-break mode (want %s)", r.TiebreakMode, strings.Join(tiebreakModes, ", "))
	}
	if c.Tiebreak == TiebreakRandom || c.Tiebreak == TiebreakPreviousThenRandom || c.Tiebreak == TiebreakGeneratePermutation {
		s := strings.TrimSpace(string(r.RandomSeed))
		var err error
		if s == "" {
			p.add("rules.randomSeed", "is required for tie-break mode %s", r.TiebreakMode)
		} else if c.RandomSeed, err = strconv.ParseInt(s, 10, 64); err != nil || c.RandomSeed < -140737488355328 || c.RandomSeed > 140737488355327 {
			p.add("rules.randomSeed", "%q must be an integer from -140737488355328 to 140737488355327", s)
		}
	}
	var numOK bool
	c.NumWinners, numOK = p.intField("rules.numberOfWinners", r.NumberOfWinners, nil, 0, 1000)
	if n, err := strconv.Atoi(strings.TrimSpace(string(r.DecimalPlacesForVoteArithmetic))); err == nil && n > 8 && n <= 20 {
		p.add("rules.decimalPlacesForVoteArithmetic", "%d: RCTab allows up to 20, but this tabulator keeps votes in 64-bit fixed point with at most 8", n)
	} else {
		c.DecimalPlaces, _ = p.intField("rules.decimalPlacesForVoteArithmetic", r.DecimalPlacesForVoteArithmetic, nil, 1, 8)
	}
	if c.Mode == BottomsUpPercentage {
		if pct, ok := p.intField("rules.multiSeatBottomsUpPercentageThreshold", r.MultiSeatBottomsUpPercentageThreshold, nil, 1, 100); ok {
			// BigDecimal's exact divide: 15/100 is 0.15, not 0.1500
			u, sc := int64(pct), int32(2)
			for sc > 0 && u%10 == 0 {
				u /= 10
				sc--
			}
			c.BottomsUpPercent = Decimal{unscaled: u, scale: sc}
		}
	}
	if s := strings.TrimSpace(string(r.MinimumVoteThreshold)); s != "" {
		var err error
		if c.MinimumVotes, err = ParseDecimal(s); err != nil || c.MinimumVotes.Sign() < 0 {
			p.add("rules.minimumVoteThreshold", "%q must be a non-negative number", s)
		}
	}
	if strings.EqualFold(strings.TrimSpace(string(r.MaxSkippedRanksAllowed)), "unlimited") {
		c.MaxSkippedRanks = math.MaxInt
	} else {
		c.MaxSkippedRanks, _ = p.intField("rules.maxSkippedRanksAllowed", r.MaxSkippedRanksAllowed, nil, 0, 1000000)
	}
	if strings.EqualFold(strings.TrimSpace(string(r.MaxRankingsAllowed)), "max") {
		c.MaxRankings = len(c.Names)
	} else {
		c.MaxRankings, _ = p.intField("rules.maxRankingsAllowed", r.MaxRankingsAllowed, nil, 1, 1000000)
	}
	c.StopAfterRound = math.MaxInt
	if s := strings.TrimSpace(string(r.StopTabulationEarlyAfterRound)); s != "" {
		c.StopAfterRound, _ = p.intField("rules.stopTabulationEarlyAfterRound", r.StopTabulationEarlyAfterRound, nil, 1, 1000000)
	}
	c.NonIntegerThreshold = r.NonIntegerWinningThreshold
	c.FirstRoundThreshold = r.DoesFirstRoundDetermineThreshold
	c.HareQuota = r.HareQuota
	c.BatchElimination = r.BatchElimination
	c.ContinueUntilTwo = r.ContinueUntilTwoCandidatesRemain
	c.ExhaustOnDuplicate = r.ExhaustOnDuplicateCandidate
	c.CutoffElimination = r.CutoffElimination && c.Mode == BottomsUpPercentage
	if numOK && validMode(c.Mode) {
		c.checkSeats(p)
	}
}

func validMode(m WinnerMode) bool { return slices.Contains(winnerModes, string(m)) }

// The values error messages offer.
var (
	winnerModes = []string{string(SingleWinnerMajority), string(MultiWinnerOnePerRound), string(MultiWinnerMultiplePerRnd),
		string(BottomsUp), string(BottomsUpPercentage), string(MultiPassIRV)}
	tiebreakModes = []string{string(TiebreakRandom), string(TiebreakStopCountingAndAsk), string(TiebreakPreviousThenRandom),
		string(TiebreakPreviousThenAsk), string(TiebreakUseCandidateOrder), string(TiebreakGeneratePermutation)}
)
