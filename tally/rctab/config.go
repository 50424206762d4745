package rctab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// flexString accepts a JSON string or number: RCTab writes most numeric
// settings as strings ("4") but older configs use bare numbers (4).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string or a number, got %s", b)
	}
	*f = flexString(n.String())
	return nil
}

// RawConfig mirrors RCTab's contest configuration file field by field
// (see config_file_documentation.txt in RCTab's distribution).
type RawConfig struct {
	TabulatorVersion string         `json:"tabulatorVersion"`
	OutputSettings   OutputSettings `json:"outputSettings"`
	CVRFileSources   []CVRSource    `json:"cvrFileSources"`
	Candidates       []Candidate    `json:"candidates"`
	Rules            RawRules       `json:"rules"`
}

// OutputSettings names the contest and the report options.
type OutputSettings struct {
	ContestName         string `json:"contestName"`
	OutputDirectory     string `json:"outputDirectory"`
	ContestDate         string `json:"contestDate"`
	ContestJurisdiction string `json:"contestJurisdiction"`
	ContestOffice       string `json:"contestOffice"`
	TabulateByBatch     bool   `json:"tabulateByBatch"`
	TabulateByPrecinct  bool   `json:"tabulateByPrecinct"`
	GenerateCdfJSON     bool   `json:"generateCdfJson"`
}

// CVRSource describes one cast vote record file (or Dominion folder).
type CVRSource struct {
	FilePath                      string     `json:"filePath"`
	ContestID                     string     `json:"contestId"`
	FirstVoteColumnIndex          flexString `json:"firstVoteColumnIndex"`
	FirstVoteRowIndex             flexString `json:"firstVoteRowIndex"`
	IDColumnIndex                 flexString `json:"idColumnIndex"`
	BatchColumnIndex              flexString `json:"batchColumnIndex"`
	PrecinctColumnIndex           flexString `json:"precinctColumnIndex"`
	OvervoteDelimiter             string     `json:"overvoteDelimiter"`
	Provider                      string     `json:"provider"`
	OvervoteLabel                 string     `json:"overvoteLabel"`
	SkippedRankLabel              string     `json:"skippedRankLabel"`
	UndeclaredWriteInLabel        string     `json:"undeclaredWriteInLabel"`
	TreatBlankAsUndeclaredWriteIn bool       `json:"treatBlankAsUndeclaredWriteIn"`
}

// Candidate is one declared candidate with the other spellings (aliases)
// the cast vote records may use for them.
type Candidate struct {
	Name     string   `json:"name"`
	Code     string   `json:"code"`
	Excluded bool     `json:"excluded"`
	Aliases  []string `json:"aliases"`
}

// RawRules holds the tabulation rules as written in the file.
type RawRules struct {
	TiebreakMode                          string     `json:"tiebreakMode"`
	OvervoteRule                          string     `json:"overvoteRule"`
	WinnerElectionMode                    string     `json:"winnerElectionMode"`
	RandomSeed                            flexString `json:"randomSeed"`
	NumberOfWinners                       flexString `json:"numberOfWinners"`
	MultiSeatBottomsUpPercentageThreshold flexString `json:"multiSeatBottomsUpPercentageThreshold"`
	DecimalPlacesForVoteArithmetic        flexString `json:"decimalPlacesForVoteArithmetic"`
	MinimumVoteThreshold                  flexString `json:"minimumVoteThreshold"`
	MaxSkippedRanksAllowed                flexString `json:"maxSkippedRanksAllowed"`
	MaxRankingsAllowed                    flexString `json:"maxRankingsAllowed"`
	NonIntegerWinningThreshold            bool       `json:"nonIntegerWinningThreshold"`
	DoesFirstRoundDetermineThreshold      bool       `json:"doesFirstRoundDetermineThreshold"`
	HareQuota                             bool       `json:"hareQuota"`
	BatchElimination                      bool       `json:"batchElimination"`
	ContinueUntilTwoCandidatesRemain      bool       `json:"continueUntilTwoCandidatesRemain"`
	StopTabulationEarlyAfterRound         flexString `json:"stopTabulationEarlyAfterRound"`
	ExhaustOnDuplicateCandidate           bool       `json:"exhaustOnDuplicateCandidate"`
	RulesDescription                      string     `json:"rulesDescription"`
	TreatBlankAsUndeclaredWriteIn         bool       `json:"treatBlankAsUndeclaredWriteIn"`
	CutoffElimination                     bool       `json:"cutoffElimination"`
}

// ConfigError reports an invalid configuration value, naming the field.
type ConfigError struct {
	File  string
	Field string
	Msg   string
}

// Error implements error.
func (e *ConfigError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("rctab config: %s: %s", e.Field, e.Msg)
	}
	return fmt.Sprintf("rctab config %s: %s: %s", e.File, e.Field, e.Msg)
}

// LoadConfig reads and validates an RCTab contest configuration. Relative
// CVR paths are resolved against the configuration file's folder, as
// RCTab does (cases reference shared files as "../_shared/...").
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("rctab config: %w", err)
	}
	var raw RawConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := lineCol(data, se.Offset)
			return nil, fmt.Errorf("rctab config %s:%d:%d: %w", path, line, col, err)
		}
		return nil, fmt.Errorf("rctab config %s: %w", path, err)
	}
	cfg, err := NewConfig(raw, filepath.Dir(path))
	if err != nil {
		var ce *ConfigError
		if errors.As(err, &ce) {
			ce.File = path
		}
		return nil, err
	}
	return cfg, nil
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// parseIntField parses an integer setting, allowing a blank value when
// def is non-nil.
func parseIntField(field string, v flexString, def *int, lo, hi int) (int, error) {
	s := strings.TrimSpace(string(v))
	if s == "" {
		if def != nil {
			return *def, nil
		}
		return 0, &ConfigError{Field: field, Msg: "is required"}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, &ConfigError{Field: field, Msg: fmt.Sprintf("%q is not an integer", s)}
	}
	if n < lo || n > hi {
		return 0, &ConfigError{Field: field, Msg: fmt.Sprintf("%d is outside %d..%d", n, lo, hi)}
	}
	return n, nil
}

func intp(n int) *int { return &n }
