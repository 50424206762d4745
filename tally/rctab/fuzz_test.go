package rctab

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// fuzzConfig is the seed configuration; the fuzzers feed arbitrary input
// through its source.
func fuzzConfig(f *testing.F, provider string) (*Config, *Source) {
	raw := seedRaw(f)
	raw.CVRFileSources[0].Provider = provider
	if provider == "cdf" || provider == "hart" { // providers that name a contest, not columns
		raw.CVRFileSources[0].FirstVoteColumnIndex = ""
		raw.CVRFileSources[0].FirstVoteRowIndex = ""
		raw.CVRFileSources[0].ContestID = "Seed contest"
	}
	cfg, err := NewConfig(raw, "testdata")
	if err != nil {
		f.Fatal(err)
	}
	return cfg, &cfg.Sources[0]
}

// tabulateFuzzed counts whatever a reader accepted: a reader that lets
// through something the count cannot take must fail, not panic.
func tabulateFuzzed(cfg *Config, b *Ballots) {
	_, _ = Tabulate(context.Background(), cfg, b)
}

// FuzzReadGenericCSV: the generic CSV reader never panics, and what it
// accepts can be counted.
func FuzzReadGenericCSV(f *testing.F) {
	cfg, src := fuzzConfig(f, "genericCsv")
	seed, err := os.ReadFile(filepath.Join("testdata", "seed_cvr.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("ID,Ash,B,Cedar,Write-In\n1,1,1,,\n2,3,,1,\n"))
	f.Add([]byte("ID,Ash\n1,65535\n2,0\n"))
	f.Add([]byte("\"ID\",\"Ash\"\n\"1\",\"1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := newBallots()
		if err := parseGenericCSV(cfg, src, bytesReader(data), b); err != nil {
			return
		}
		tabulateFuzzed(cfg, b)
	})
}

// FuzzReadCDF: the NIST CDF JSON reader never panics, and what it accepts
// can be counted.
func FuzzReadCDF(f *testing.F) {
	cfg, src := fuzzConfig(f, "cdf")
	seed, err := os.ReadFile(filepath.Join("testdata", "seed_cdf.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"CVR":[],"Election":[]}`))
	f.Add([]byte(`{"CVR":[{"CurrentSnapshotId":"s","CVRSnapshot":[{"@id":"s","CVRContest":[{"ContestId":"c","CVRContestSelection":[{"ContestSelectionId":"x","Rank":0}]}]}]}],"Election":[{"Candidate":[{"@id":"a","Name":"Ash"}],"Contest":[{"@id":"c","Name":"Seed contest","ContestSelection":[{"@id":"x","CandidateIds":["a"]}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := newBallots()
		if err := parseCDF(cfg, src, bytesReader(data), data, b); err != nil {
			return
		}
		tabulateFuzzed(cfg, b)
	})
}

func bytesReader(b []byte) *bytesReaderT { return &bytesReaderT{b: b} }

type bytesReaderT struct {
	b []byte
	i int
}

func (r *bytesReaderT) Read(p []byte) (int, error) {
	if r.i >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.i:])
	r.i += n
	return n, nil
}
