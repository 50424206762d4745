package rctab

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedRaw loads the hand-written seed configuration as a raw struct.
func seedRaw(t testing.TB) RawConfig {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "seed_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw RawConfig
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestConfigErrorsNameTheField checks that each invalid setting is
// refused with an error naming the field.
func TestConfigErrorsNameTheField(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*RawConfig)
		field string
	}{
		{"NoContestName", func(r *RawConfig) { r.OutputSettings.ContestName = "" }, "outputSettings.contestName"},
		{"UnknownMode", func(r *RawConfig) { r.Rules.WinnerElectionMode = "mostVotes" }, "rules.winnerElectionMode"},
		{"UnknownOvervoteRule", func(r *RawConfig) { r.Rules.OvervoteRule = "ignore" }, "rules.overvoteRule"},
		{"InteractiveTiebreak", func(r *RawConfig) { r.Rules.TiebreakMode = "stopCountingAndAsk" }, "rules.tiebreakMode"},
		{"MissingSeed", func(r *RawConfig) { r.Rules.RandomSeed = "" }, "rules.randomSeed"},
		{"BadWinners", func(r *RawConfig) { r.Rules.NumberOfWinners = "two" }, "rules.numberOfWinners"},
		{"ZeroDecimalPlaces", func(r *RawConfig) { r.Rules.DecimalPlacesForVoteArithmetic = "0" }, "rules.decimalPlacesForVoteArithmetic"},
		{"NegativeMinimum", func(r *RawConfig) { r.Rules.MinimumVoteThreshold = "-3" }, "rules.minimumVoteThreshold"},
		{"BadMaxRankings", func(r *RawConfig) { r.Rules.MaxRankingsAllowed = "lots" }, "rules.maxRankingsAllowed"},
		{"DuplicateAlias", func(r *RawConfig) { r.Candidates[2].Aliases = []string{"B"} }, "candidates[2].name"},
		{"NoFirstVoteColumn", func(r *RawConfig) { r.CVRFileSources[0].FirstVoteColumnIndex = "" }, "cvrFileSources[0].firstVoteColumnIndex"},
		{"UnknownProvider", func(r *RawConfig) { r.CVRFileSources[0].Provider = "sequoia" }, "cvrFileSources[0].provider"}, // not "hart": read since issue 15
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := seedRaw(t)
			tt.edit(&raw)
			_, err := NewConfig(raw, "testdata")
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *ConfigError", err)
			}
			if ce.Field != tt.field {
				t.Errorf("error names %q, want %q (%v)", ce.Field, tt.field, err)
			}
		})
	}
}

// TestSeedContest counts the hand-written seed case end to end.
func TestSeedContest(t *testing.T) {
	out := t.TempDir()
	res, err := Run(context.Background(), filepath.Join("testdata", "seed_config.json"), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Winners(); len(got) != 1 || got[0] != "Ash" {
		t.Errorf("winners %v, want [Ash]", got)
	}
	tab := res.Tabulations[0]
	if tab.Undervotes != 1 || tab.TotalBallots.String() != "8" {
		t.Errorf("undervotes %d, total %s; want 1 and 8", tab.Undervotes, tab.TotalBallots)
	}
	r1 := tab.Rounds[0]
	if len(r1.Eliminated) != 1 || r1.Eliminated[0].Candidate != UWIName {
		t.Errorf("round 1 eliminated %+v, want undeclared write-ins", r1.Eliminated)
	}
	for _, f := range []string{"seed_detailed_report.json", "seed_detailed_report.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("report %s not written: %v", f, err)
		}
	}
	var text strings.Builder
	if err := WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Round 1 (threshold 4)", "Eliminated: Undeclared Write-ins", "Elected: Ash"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
}

// TestMalformedInputNamesFileAndLine checks readers' error locations.
func TestMalformedInputNamesFileAndLine(t *testing.T) {
	raw := seedRaw(t)
	cfg, err := NewConfig(raw, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data string
		parse      func(*Config, *Source, string) error
		wantLine   int
		wantMsg    string
	}{
		{"CSVRankNotNumber", "ID,Ash,B\n1,1,2\n2,x,1\n", parseCSVString, 3, "want a rank number"},
		{"CSVUnknownCandidate", "ID,Ash,Oak\n1,1,2\n", parseCSVString, 0, `"Oak"`},
		{"CSVBadQuote", "ID,Ash,B\n1,\"1,2\n", parseCSVString, 2, ""},
		{"CDFNotJSON", "{\n  \"CVR\": [,]\n}", parseCDFString, 2, "invalid JSON"},
		{"CDFNoContest", `{"CVR":[],"Election":[{"Candidate":[],"Contest":[]}]}`, parseCDFString, 0, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := cfg.Sources[0]
			src.Path = "input"
			err := tt.parse(cfg, &src, tt.data)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if pe.File != "input" || pe.Line != tt.wantLine || !strings.Contains(pe.Msg, tt.wantMsg) {
				t.Errorf("got %q (line %d), want line %d mentioning %q", err, pe.Line, tt.wantLine, tt.wantMsg)
			}
		})
	}
}

func parseCSVString(cfg *Config, src *Source, data string) error {
	return parseGenericCSV(cfg, src, strings.NewReader(data), newBallots())
}

func parseCDFString(cfg *Config, src *Source, data string) error {
	return parseCDF(cfg, src, strings.NewReader(data), []byte(data), newBallots())
}
