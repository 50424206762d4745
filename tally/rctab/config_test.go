package rctab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
		{"UnknownTiebreak", func(r *RawConfig) { r.Rules.TiebreakMode = "coinToss" }, "rules.tiebreakMode"},
		{"NoTiebreak", func(r *RawConfig) { r.Rules.TiebreakMode = "" }, "rules.tiebreakMode"},
		{"MissingSeed", func(r *RawConfig) { r.Rules.RandomSeed = "" }, "rules.randomSeed"},
		{"BadWinners", func(r *RawConfig) { r.Rules.NumberOfWinners = "two" }, "rules.numberOfWinners"},
		{"ZeroDecimalPlaces", func(r *RawConfig) { r.Rules.DecimalPlacesForVoteArithmetic = "0" }, "rules.decimalPlacesForVoteArithmetic"},
		{"NegativeMinimum", func(r *RawConfig) { r.Rules.MinimumVoteThreshold = "-3" }, "rules.minimumVoteThreshold"},
		{"BadMaxRankings", func(r *RawConfig) { r.Rules.MaxRankingsAllowed = "lots" }, "rules.maxRankingsAllowed"},
		{"DuplicateAlias", func(r *RawConfig) { r.Candidates[2].Aliases = []string{"B"} }, "candidates[2].name"},
		{"NoFirstVoteColumn", func(r *RawConfig) { r.CVRFileSources[0].FirstVoteColumnIndex = "" }, "cvrFileSources[0].firstVoteColumnIndex"},
		{"UnknownProvider", func(r *RawConfig) { r.CVRFileSources[0].Provider = "punchCard" }, "cvrFileSources[0].provider"},
		{"MissingCVRFile", func(r *RawConfig) { r.CVRFileSources[0].FilePath = "gone.csv" }, "cvrFileSources[0].filePath"},
		{"SameFileTwice", func(r *RawConfig) { r.CVRFileSources = append(r.CVRFileSources, r.CVRFileSources[0]) }, "cvrFileSources[1].filePath"},
		{"AllExcluded", func(r *RawConfig) {
			for i := range r.Candidates {
				r.Candidates[i].Excluded = true
			}
		}, "candidates"},
		{"TwoSeatsSingleWinner", func(r *RawConfig) { r.Rules.NumberOfWinners = "2" }, "rules.numberOfWinners"},
		{"OneSeatMultiWinner", func(r *RawConfig) { r.Rules.WinnerElectionMode = string(MultiWinnerMultiplePerRnd) }, "rules.numberOfWinners"},
		{"BatchEliminationMultiSeat", func(r *RawConfig) {
			r.Rules.WinnerElectionMode, r.Rules.NumberOfWinners, r.Rules.BatchElimination = string(MultiWinnerOnePerRound), "2", true
		}, "rules.batchElimination"},
		{"HareQuotaOneSeat", func(r *RawConfig) { r.Rules.HareQuota = true }, "rules.hareQuota"},
		{"DominionWithoutContest", func(r *RawConfig) {
			r.CVRFileSources[0].Provider, r.CVRFileSources[0].FirstVoteColumnIndex, r.CVRFileSources[0].FirstVoteRowIndex = "dominion", "", ""
		}, "cvrFileSources[0].contestId"},
		{"OvervoteLabelExhaustIfMultiple", func(r *RawConfig) {
			r.Rules.OvervoteRule, r.CVRFileSources[0].OvervoteLabel = string(ExhaustIfMultipleContinuing), "OVER"
		}, "cvrFileSources[0].overvoteLabel"},
		{"OutputInWindowsUserFolder", func(r *RawConfig) { r.OutputSettings.OutputDirectory = `c:\users\clerk\Desktop` }, "outputSettings.outputDirectory"},
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

// TestConfigFileErrorsNameTheField checks what a person sees for a broken
// configuration file: the JSON path of a value of the wrong type, the line
// and column of a syntax error, and never Go's own text.
func TestConfigFileErrorsNameTheField(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seed_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(string(seed), old) {
			t.Fatalf("seed config lacks %q", old)
		}
		return strings.Replace(string(seed), old, new, 1)
	}
	tests := []struct {
		name      string
		text      string
		field     string
		line, col int    // for syntax errors
		msg       string // part of the message
	}{
		{"StringForBool", edit(`"maxRankingsAllowed" : "max"`, `"maxRankingsAllowed" : "max", "batchElimination": "yes"`), "rules.batchElimination", 0, 0, `want true or false, got "yes"`},
		{"BoolForNumber", edit(`"numberOfWinners" : "1"`, `"numberOfWinners" : true`), "rules.numberOfWinners", 0, 0, "want a number or a string, got true"},
		{"StringForList", edit(`"aliases" : [ "B" ]`, `"aliases" : "B"`), "candidates[1].aliases", 0, 0, `want a list, got "B"`},
		{"NumberInList", edit(`"aliases" : [ "B" ]`, `"aliases" : [ "B", 7 ]`), "", 0, 0, ""}, // a number is a string to Jackson: accepted
		{"ObjectForString", edit(`"contestName" : "Seed contest"`, `"contestName" : {"en": "Seed"}`), "outputSettings.contestName", 0, 0, "want a string, got an object"},
		{"ListForObject", edit(`"rules" : {`, `"rules" : [ ], "rulesX" : {`), "rules", 0, 0, "want an object, got a list"},
		{"UnknownEnum", edit(`"overvoteRule" : "exhaustImmediately"`, `"overvoteRule" : "exhaustSometimes"`), "rules.overvoteRule", 0, 0, `"exhaustSometimes" is not an overvote rule`},
		{"Empty", "", "", 0, 0, "the file is empty"},
		{"Blank", " \n\t\n", "", 0, 0, "the file is empty"},
		{"NotAnObject", `[1, 2]`, "", 0, 0, "want a JSON object"},
		{"MissingComma", edit(`"contestName" : "Seed contest",`, `"contestName" : "Seed contest"`), "", 3, 55, "not valid JSON: invalid character '\"' after object key:value pair"},
		{"Truncated", string(seed[:len(seed)/2]), "", 9, 0, "ends inside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			copyFile(t, filepath.Join("testdata", "seed_cvr.csv"), filepath.Join(dir, "seed_cvr.csv"))
			path := filepath.Join(dir, "seed_config.json")
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *ConfigError", err)
			}
			if ce.Field != tt.field || ce.File != path || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("got field %q in %s, message %q; want field %q, a message with %q", ce.Field, ce.File, ce.Msg, tt.field, tt.msg)
			}
			if tt.line > 0 && (ce.Line != tt.line || tt.col > 0 && ce.Column != tt.col) {
				t.Errorf("got line %d column %d, want %d:%d (%v)", ce.Line, ce.Column, tt.line, tt.col, err)
			}
			if isGoText(err.Error()) || strings.Count(err.Error(), "\n") != 0 {
				t.Errorf("message %q: want one line for a person, not Go's text", err)
			}
		})
	}
}

// TestConfigAcceptsWhatRCTabAccepts: Jackson reads "True" as a boolean and
// a number where a string is wanted, and ignores unknown keys.
func TestConfigAcceptsWhatRCTabAccepts(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seed_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(seed), `"maxRankingsAllowed" : "max"`,
		`"maxRankingsAllowed" : 2, "batchElimination": "True", "hareQuota": "false", "RandomSeed": "x", "someNewSetting": [1]`, 1)
	text = strings.Replace(text, `"contestOffice" : "Chair"`, `"contestOffice" : 7`, 1)
	dir := t.TempDir()
	copyFile(t, filepath.Join("testdata", "seed_cvr.csv"), filepath.Join(dir, "seed_cvr.csv"))
	path := filepath.Join(dir, "seed_config.json")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.BatchElimination || cfg.HareQuota || cfg.MaxRankings != 2 || cfg.RandomSeed != 7 || cfg.Raw.OutputSettings.ContestOffice != "7" {
		t.Errorf("batch %v, hare %v, max rankings %d, seed %d, office %q; want true, false, 2, 7, \"7\"",
			cfg.BatchElimination, cfg.HareQuota, cfg.MaxRankings, cfg.RandomSeed, cfg.Raw.OutputSettings.ContestOffice)
	}
}

// TestConfigReportsEveryProblem: like RCTab's validate(), one run names
// every problem of RCTab's invalid configuration cases, one line each.
func TestConfigReportsEveryProblem(t *testing.T) {
	requireRefdata(t)
	tests := []struct {
		name   string
		fields []string
	}{
		{"invalid_params_test", []string{"cvrFileSources", "candidates", "rules.winnerElectionMode", "rules.overvoteRule",
			"rules.tiebreakMode", "rules.decimalPlacesForVoteArithmetic", "rules.maxSkippedRanksAllowed", "rules.maxRankingsAllowed"}},
		{"invalid_sources_test", []string{"cvrFileSources[0].filePath", "cvrFileSources[1].filePath",
			"cvrFileSources[1].firstVoteColumnIndex", "cvrFileSources[1].firstVoteRowIndex", "cvrFileSources[1].precinctColumnIndex",
			"cvrFileSources[2].filePath", "cvrFileSources[2].firstVoteRowIndex", "cvrFileSources[3].firstVoteRowIndex",
			"cvrFileSources[3].precinctColumnIndex", "rules.winnerElectionMode", "rules.randomSeed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(suiteRoot, "more_test_data", tt.name, tt.name+"_config.json")
			_, err := LoadConfig(path)
			var ces ConfigErrors
			if !errors.As(err, &ces) {
				t.Fatalf("got %v, want ConfigErrors", err)
			}
			var got []string
			for _, ce := range ces {
				got = append(got, ce.Field)
			}
			if strings.Join(got, " ") != strings.Join(tt.fields, " ") {
				t.Errorf("problems with\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.fields, "\n  "))
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.fields)+1 || !strings.HasSuffix(lines[0], fmt.Sprintf("%d problems:", len(tt.fields))) {
				t.Errorf("want a heading and one line per problem:\n%s", err)
			}
			for i, f := range tt.fields {
				if i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "  "+f+": ") {
					t.Errorf("line %d %q does not start with %s", i+2, lines[i+1], f)
				}
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

// FuzzLoadConfig: whatever the configuration file holds, LoadConfig
// returns a configuration or a *ConfigError for a person, never a panic or
// Go's own text.
func FuzzLoadConfig(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seed_config.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"rules": {"batchElimination": "True", "numberOfWinners": [1]}, "candidates": "x"}`))
	f.Add([]byte(`{"cvrFileSources": [null, 3, {"filePath": {}}], "outputSettings": []}`))
	f.Add([]byte("\xef\xbb\xbf{\"rules\": nul"))
	f.Add([]byte(`[]`))
	dir := f.TempDir()
	copyFile(f, filepath.Join("testdata", "seed_cvr.csv"), filepath.Join(dir, "seed_cvr.csv"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// beside seed_cvr.csv, so the seed's source resolves
		fh, err := os.CreateTemp(dir, "fuzz_*_config.json")
		if err != nil {
			t.Fatal(err)
		}
		path := fh.Name()
		defer os.Remove(path)
		if _, err := fh.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := fh.Close(); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path)
		if bytes.Equal(data, seed) && err != nil {
			t.Fatalf("the seed configuration is refused: %v", err)
		}
		if err == nil {
			if cfg == nil {
				t.Fatal("no configuration and no error")
			}
			return
		}
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("got %T %v, want a *ConfigError", err, err)
		}
		if isGoText(err.Error()) {
			t.Fatalf("Go's text: %v", err)
		}
	})
}
