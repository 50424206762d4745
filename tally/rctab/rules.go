package rctab

import (
	"fmt"
	"math"
	"path/filepath"
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
// "previousRoundCountsThenAsk") need an operator and are refused.
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

// NewConfig validates raw, resolving relative paths against dir.
func NewConfig(raw RawConfig, dir string) (*Config, error) {
	c := &Config{Raw: raw, Dir: dir, aliasToID: map[string]int{}}
	if strings.TrimSpace(raw.OutputSettings.ContestName) == "" {
		return nil, &ConfigError{Field: "outputSettings.contestName", Msg: "is required"}
	}
	if len(raw.Candidates) == 0 {
		return nil, &ConfigError{Field: "candidates", Msg: "at least one candidate is required"}
	}
	for i, cand := range raw.Candidates {
		field := fmt.Sprintf("candidates[%d].name", i)
		if strings.TrimSpace(cand.Name) == "" {
			return nil, &ConfigError{Field: field, Msg: "is required"}
		}
		for _, n := range append([]string{cand.Name}, cand.Aliases...) {
			if _, dup := c.aliasToID[n]; dup {
				return nil, &ConfigError{Field: field, Msg: fmt.Sprintf("name or alias %q is used twice", n)}
			}
			c.aliasToID[n] = i
		}
		c.Names = append(c.Names, cand.Name)
		c.Excluded = append(c.Excluded, cand.Excluded)
	}
	if len(raw.CVRFileSources) == 0 {
		return nil, &ConfigError{Field: "cvrFileSources", Msg: "at least one source is required"}
	}
	for i, s := range raw.CVRFileSources {
		src, err := newSource(i, s, dir)
		if err != nil {
			return nil, err
		}
		if s.UndeclaredWriteInLabel != "" || s.TreatBlankAsUndeclaredWriteIn {
			c.UWI = true
		}
		c.Sources = append(c.Sources, src)
	}
	if c.UWI {
		c.aliasToID[UWIName] = len(c.Names)
		c.Excluded = append(c.Excluded, false)
	}
	if err := c.parseRules(raw.Rules); err != nil {
		return nil, err
	}
	return c, nil
}

func newSource(i int, s CVRSource, dir string) (Source, error) {
	field := func(f string) string { return fmt.Sprintf("cvrFileSources[%d].%s", i, f) }
	if strings.TrimSpace(s.FilePath) == "" {
		return Source{}, &ConfigError{Field: field("filePath"), Msg: "is required"}
	}
	src := Source{CVRSource: s, Path: s.FilePath}
	if !filepath.IsAbs(src.Path) {
		src.Path = filepath.Join(dir, filepath.FromSlash(s.FilePath))
	}
	var err error
	switch s.Provider {
	case "ess", "genericCsv":
		if src.FirstVoteCol, err = parseIntField(field("firstVoteColumnIndex"), s.FirstVoteColumnIndex, nil, 1, 1000); err != nil {
			return src, err
		}
		if src.FirstVoteRow, err = parseIntField(field("firstVoteRowIndex"), s.FirstVoteRowIndex, nil, 1, 100000); err != nil {
			return src, err
		}
		if src.IDCol, err = parseIntField(field("idColumnIndex"), s.IDColumnIndex, intp(0), 1, 1000); err != nil {
			return src, err
		}
		if src.PrecinctCol, err = parseIntField(field("precinctColumnIndex"), s.PrecinctColumnIndex, intp(0), 1, 1000); err != nil {
			return src, err
		}
		if src.BatchCol, err = parseIntField(field("batchColumnIndex"), s.BatchColumnIndex, intp(0), 1, 1000); err != nil {
			return src, err
		}
	case "cdf", "dominion", "clearBallot", "hart": // hart: issue 15, read_hart.go
	case "":
		return src, &ConfigError{Field: field("provider"), Msg: "is required"}
	default:
		return src, &ConfigError{Field: field("provider"), Msg: fmt.Sprintf("%q is not supported (want ess, cdf, dominion, clearBallot, hart or genericCsv)", s.Provider)}
	}
	return src, nil
}

func (c *Config) parseRules(r RawRules) error {
	var err error
	c.Mode = WinnerMode(r.WinnerElectionMode)
	switch c.Mode {
	case SingleWinnerMajority, MultiWinnerMultiplePerRnd, MultiWinnerOnePerRound, BottomsUp, BottomsUpPercentage, MultiPassIRV:
	default:
		return &ConfigError{Field: "rules.winnerElectionMode", Msg: fmt.Sprintf("%q is not a winner election mode", r.WinnerElectionMode)}
	}
	c.Overvote = OvervoteRule(r.OvervoteRule)
	switch c.Overvote {
	case AlwaysSkipToNextRank, ExhaustImmediately, ExhaustIfMultipleContinuing:
	default:
		return &ConfigError{Field: "rules.overvoteRule", Msg: fmt.Sprintf("%q is not an overvote rule", r.OvervoteRule)}
	}
	c.Tiebreak = TiebreakMode(r.TiebreakMode)
	switch c.Tiebreak {
	case TiebreakRandom, TiebreakPreviousThenRandom, TiebreakUseCandidateOrder, TiebreakGeneratePermutation:
	case TiebreakStopCountingAndAsk, TiebreakPreviousThenAsk:
		return &ConfigError{Field: "rules.tiebreakMode", Msg: fmt.Sprintf("%q needs an operator at the keyboard; choose a non-interactive mode", r.TiebreakMode)}
	default:
		return &ConfigError{Field: "rules.tiebreakMode", Msg: fmt.Sprintf("%q is not a tie-break mode", r.TiebreakMode)}
	}
	if c.Tiebreak == TiebreakRandom || c.Tiebreak == TiebreakPreviousThenRandom || c.Tiebreak == TiebreakGeneratePermutation {
		s := strings.TrimSpace(string(r.RandomSeed))
		if s == "" {
			return &ConfigError{Field: "rules.randomSeed", Msg: "is required for tie-break mode " + r.TiebreakMode}
		}
		if c.RandomSeed, err = strconv.ParseInt(s, 10, 64); err != nil || c.RandomSeed < -140737488355328 || c.RandomSeed > 140737488355327 {
			return &ConfigError{Field: "rules.randomSeed", Msg: fmt.Sprintf("%q must be an integer from -140737488355328 to 140737488355327", s)}
		}
	}
	if c.NumWinners, err = parseIntField("rules.numberOfWinners", r.NumberOfWinners, nil, 0, 1000); err != nil {
		return err
	}
	if c.NumWinners == 0 && c.Mode != BottomsUpPercentage {
		return &ConfigError{Field: "rules.numberOfWinners", Msg: "can be zero only with bottomsUpUsingPercentageThreshold"}
	}
	if c.DecimalPlaces, err = parseIntField("rules.decimalPlacesForVoteArithmetic", r.DecimalPlacesForVoteArithmetic, nil, 1, 8); err != nil {
		return err
	}
	if c.Mode == BottomsUpPercentage {
		pct, err := parseIntField("rules.multiSeatBottomsUpPercentageThreshold", r.MultiSeatBottomsUpPercentageThreshold, nil, 1, 100)
		if err != nil {
			return err
		}
		// BigDecimal's exact divide: 15/100 is 0.15, not 0.1500
		u, sc := int64(pct), int32(2)
		for sc > 0 && u%10 == 0 {
			u /= 10
			sc--
		}
		c.BottomsUpPercent = Decimal{unscaled: u, scale: sc}
	}
	if s := strings.TrimSpace(string(r.MinimumVoteThreshold)); s != "" {
		if c.MinimumVotes, err = ParseDecimal(s); err != nil || c.MinimumVotes.Sign() < 0 {
			return &ConfigError{Field: "rules.minimumVoteThreshold", Msg: fmt.Sprintf("%q must be a non-negative number", s)}
		}
	}
	if strings.EqualFold(strings.TrimSpace(string(r.MaxSkippedRanksAllowed)), "unlimited") {
		c.MaxSkippedRanks = math.MaxInt
	} else if c.MaxSkippedRanks, err = parseIntField("rules.maxSkippedRanksAllowed", r.MaxSkippedRanksAllowed, nil, 0, 1000); err != nil {
		return err
	}
	declared := len(c.Names)
	if strings.EqualFold(strings.TrimSpace(string(r.MaxRankingsAllowed)), "max") {
		c.MaxRankings = declared
	} else if c.MaxRankings, err = parseIntField("rules.maxRankingsAllowed", r.MaxRankingsAllowed, nil, 1, 1000); err != nil {
		return err
	}
	c.StopAfterRound = math.MaxInt
	if s := strings.TrimSpace(string(r.StopTabulationEarlyAfterRound)); s != "" {
		if c.StopAfterRound, err = parseIntField("rules.stopTabulationEarlyAfterRound", r.StopTabulationEarlyAfterRound, nil, 1, 1000000); err != nil {
			return err
		}
	}
	c.NonIntegerThreshold = r.NonIntegerWinningThreshold
	c.FirstRoundThreshold = r.DoesFirstRoundDetermineThreshold
	c.HareQuota = r.HareQuota
	c.BatchElimination = r.BatchElimination
	c.ContinueUntilTwo = r.ContinueUntilTwoCandidatesRemain
	c.ExhaustOnDuplicate = r.ExhaustOnDuplicateCandidate
	c.CutoffElimination = r.CutoffElimination && c.Mode == BottomsUpPercentage
	return nil
}
