package rctab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
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

// ConfigError reports an invalid configuration value, naming the field by
// its JSON path (e.g. "rules.maxRankingsAllowed", "cvrFileSources[1].filePath").
// Field is empty for a problem with the file as a whole (unreadable, empty,
// not JSON); Line and Column are set for a JSON syntax error.
type ConfigError struct {
	File   string
	Line   int
	Column int
	Field  string
	Msg    string
}

// Error implements error.
func (e *ConfigError) Error() string {
	where := "rctab config"
	if e.File != "" {
		where += " " + e.File
		if e.Line > 0 {
			where += fmt.Sprintf(":%d:%d", e.Line, e.Column)
		}
	}
	if e.Field == "" {
		return where + ": " + e.Msg
	}
	return fmt.Sprintf("%s: %s: %s", where, e.Field, e.Msg)
}

// ConfigErrors lists every problem found in one configuration, in the
// order RCTab checks them (output settings, sources, candidates, rules).
// errors.As finds its first *ConfigError.
type ConfigErrors []*ConfigError

// Error implements error: one line per problem.
func (es ConfigErrors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	var b strings.Builder
	b.WriteString("rctab config")
	if es[0].File != "" {
		b.WriteString(" " + es[0].File)
	}
	fmt.Fprintf(&b, ": %d problems:", len(es))
	for _, e := range es {
		b.WriteString("\n  ")
		if e.Field != "" {
			b.WriteString(e.Field + ": ")
		}
		b.WriteString(e.Msg)
	}
	return b.String()
}

// Unwrap gives errors.As and errors.Is each problem.
func (es ConfigErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// problems collects configuration errors so that one run reports them all.
type problems []*ConfigError

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, &ConfigError{Field: field, Msg: fmt.Sprintf(format, args...)})
}

// err is nil, the one problem, or all of them.
func (p problems) err() error {
	switch len(p) {
	case 0:
		return nil
	case 1:
		return p[0]
	}
	return ConfigErrors(p)
}

// LoadConfig reads and validates an RCTab contest configuration. Relative
// CVR paths are resolved against the configuration file's folder, as
// RCTab does (cases reference shared files as "../_shared/...").
//
// Errors: a *ConfigError, or ConfigErrors when there are several problems,
// each naming the file and the field's JSON path.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		msg := "cannot be read"
		switch {
		case errors.Is(err, fs.ErrNotExist):
			msg = "no such file"
		case errors.Is(err, fs.ErrPermission):
			msg = "permission denied"
		case isDirErr(path):
			msg = "is a folder, not a configuration file"
		}
		return nil, &ConfigError{File: path, Msg: msg}
	}
	raw, probs := decodeRawConfig(data)
	var cfg *Config
	if len(probs) == 0 || probs[0].Field != "" {
		// a file that parses is validated too, so one run names every problem
		var verr error
		cfg, verr = NewConfig(raw, filepath.Dir(path))
		var more []*ConfigError
		var ce *ConfigError
		var ces ConfigErrors
		switch {
		case errors.As(verr, &ces):
			more = ces
		case errors.As(verr, &ce):
			more = []*ConfigError{ce}
		}
		typed := map[string]bool{}
		for _, p := range probs {
			typed[p.Field] = true
		}
		for _, p := range more {
			if !underTyped(typed, p.Field) { // a value of the wrong type was read as missing: say it once
				probs = append(probs, p)
			}
		}
	}
	if len(probs) > 0 {
		for _, p := range probs {
			p.File = path
		}
		return nil, problems(probs).err()
	}
	return cfg, nil
}

// underTyped reports whether field is, or is inside, one of the fields
// whose value had the wrong type.
func underTyped(typed map[string]bool, field string) bool {
	for f := range typed {
		if field == f || strings.HasPrefix(field, f+".") || strings.HasPrefix(field, f+"[") {
			return true
		}
	}
	return false
}

func isDirErr(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// intField parses an integer setting, allowing a blank value when def is
// non-nil; a problem is recorded and ok is false when it is invalid.
func (p *problems) intField(field string, v flexString, def *int, lo, hi int) (n int, ok bool) {
	s := strings.TrimSpace(string(v))
	if s == "" {
		if def != nil {
			return *def, true
		}
		p.add(field, "is required (an integer from %d to %d)", lo, hi)
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.add(field, "%q is not an integer (want %d to %d)", s, lo, hi)
		return 0, false
	}
	if n < lo || n > hi {
		p.add(field, "%d is outside %d..%d", n, lo, hi)
		return 0, false
	}
	return n, true
}

func intp(n int) *int { return &n }
