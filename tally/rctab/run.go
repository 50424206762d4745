package rctab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// ReadBallots reads every CVR source of cfg, in order, and groups
// identical records. Sources are read in parallel (up to GOMAXPROCS);
// progress, if not nil, is called after each source with (done, total).
func ReadBallots(ctx context.Context, cfg *Config, progress func(done, total int)) (*Ballots, error) {
	parts := make([]*Ballots, len(cfg.Sources))
	errs := make([]error, len(cfg.Sources))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i := range cfg.Sources {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			parts[i] = newBallotsFor(cfg)
			errs[i] = readSource(cfg, &cfg.Sources[i], parts[i])
			if errs[i] == nil {
				errs[i] = parts[i].checkMaxRank(cfg.Sources[i].Path, cfg.MaxRankings)
			}
			mu.Lock()
			done++
			if progress != nil {
				progress(done, len(cfg.Sources))
			}
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	all := parts[0]
	for _, p := range parts[1:] {
		all.merge(p)
	}
	return all, nil
}

// merge appends other's records after b's.
func (b *Ballots) merge(o *Ballots) {
	for g := 0; g < o.Groups(); g++ {
		ms := append([]mark(nil), o.group(g)...)
		var sl [numSlices]int32
		for k := range sl {
			sl[k] = -1
			if o.sliceOf[k][g] >= 0 {
				sl[k] = b.sliceIndex(k, o.sliceIDs[k][o.sliceOf[k][g]])
			}
		}
		b.addWeighted(ms, sl, o.weight[g])
	}
}

// checkMaxRank refuses records ranked beyond maxRankingsAllowed, as
// RCTab does.
func (b *Ballots) checkMaxRank(file string, maxRank int) error {
	for g := 0; g < b.Groups(); g++ {
		if ms := b.group(g); len(ms) > 0 && int(ms[len(ms)-1].rank) > maxRank {
			return &ParseError{File: file, Msg: fmt.Sprintf("a ballot has a ranking %d, but maxRankingsAllowed is %d", ms[len(ms)-1].rank, maxRank)}
		}
	}
	return nil
}

func readSource(cfg *Config, src *Source, out *Ballots) error {
	if _, err := os.Stat(src.Path); err != nil {
		return &ParseError{File: src.Path, Msg: "cast vote record source not found"}
	}
	switch src.Provider {
	case "ess":
		return readESS(cfg, src, out)
	case "cdf":
		return readCDF(cfg, src, out)
	case "dominion":
		return readDominion(cfg, src, out)
	case "clearBallot":
		return readClearBallot(cfg, src, out)
	case "genericCsv":
		return readGenericCSV(cfg, src, out)
	case "hart": // issue 15: a folder of one XML file per ballot
		return readHart(cfg, src, out)
	}
	return &ConfigError{Field: "cvrFileSources.provider", Msg: fmt.Sprintf("%q is not supported", src.Provider)}
}

// Tabulate counts ballots under cfg's rules. Multi-pass IRV runs one
// single-winner pass per seat, excluding earlier passes' winners.
func Tabulate(ctx context.Context, cfg *Config, b *Ballots) (*Result, error) {
	res := &Result{Contest: cfg.Raw.OutputSettings.ContestName, Config: cfg, Ballots: b.Len()}
	excluded := append([]bool(nil), cfg.Excluded...)
	if cfg.Mode != MultiPassIRV {
		t := newTabulator(cfg, b, cfg.NumWinners, excluded)
		if err := t.run(ctx); err != nil {
			return nil, err
		}
		res.Tabulations = append(res.Tabulations, t.result(0))
		return res, nil
	}
	for pass := 1; pass <= cfg.NumWinners; pass++ {
		t := newTabulator(cfg, b, 1, append([]bool(nil), excluded...))
		if err := t.run(ctx); err != nil {
			return nil, err
		}
		if len(t.winners) != 1 {
			return nil, tabErr("pass %d elected %d candidates, want exactly one", pass, len(t.winners))
		}
		res.Tabulations = append(res.Tabulations, t.result(pass))
		excluded[t.winners[0]] = true
	}
	return res, nil
}

// Run reads the RCTab configuration at configPath and its CVRs, counts
// them, and writes RCTab's detailed report as <name>_detailed_report.json
// and .csv into outDir (<name>_<pass>_detailed_report.* for multi-pass
// IRV; per-precinct and per-batch reports, when the config asks for them,
// go to the "Tabulate by Precinct" and "Tabulate by Batch" folders), where <name> is the configuration file's name without
// "_config.json", the same naming as RCTab's regression cases. progress,
// if not nil, is called with (done, total) steps: one per CVR source, then
// one for the count.
//
// Errors: *ConfigError for an invalid configuration, *ParseError for
// malformed CVR input, ErrTabulation (wrapped) when the count cannot
// proceed.
func Run(ctx context.Context, configPath, outDir string, progress func(done, total int)) (*Result, error) {
	cfg, err := LoadConfig(configPath)
	if err != nil {
		return nil, err
	}
	total := len(cfg.Sources) + 1
	b, err := ReadBallots(ctx, cfg, func(done, _ int) {
		if progress != nil {
			progress(done, total)
		}
	})
	if err != nil {
		return nil, err
	}
	res, err := Tabulate(ctx, cfg, b)
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress(total, total)
	}
	if outDir != "" {
		if err := WriteReports(res, outDir, ReportName(configPath)); err != nil {
			return res, err
		}
	}
	return res, nil
}

// ReportName derives the report file prefix from a configuration path.
func ReportName(configPath string) string {
	base := filepath.Base(configPath)
	base = strings.TrimSuffix(base, ".json")
	return strings.TrimSuffix(base, "_config")
}

// WriteReports writes the JSON and CSV detailed reports of every
// tabulation in res into dir.
func WriteReports(res *Result, dir, name string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("rctab: %w", err)
	}
	for _, t := range res.Tabulations {
		stem := name
		if t.Pass > 0 {
			stem = fmt.Sprintf("%s_%d", name, t.Pass)
		}
		js := res.Config.detailedJSON(t)
		if err := os.WriteFile(filepath.Join(dir, stem+"_detailed_report.json"), js, 0o644); err != nil {
			return fmt.Errorf("rctab: %w", err)
		}
		csv := res.Config.detailedCSV(t)
		if err := os.WriteFile(filepath.Join(dir, stem+"_detailed_report.csv"), csv, 0o644); err != nil {
			return fmt.Errorf("rctab: %w", err)
		}
		for _, s := range t.Slices {
			sub := filepath.Join(dir, "Tabulate by "+s.SliceKind)
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return fmt.Errorf("rctab: %w", err)
			}
			base := filepath.Join(sub, stem+"_"+SliceFileName(s)+"_detailed_report")
			if err := os.WriteFile(base+".json", res.Config.detailedJSON(s), 0o644); err != nil {
				return fmt.Errorf("rctab: %w", err)
			}
			if err := os.WriteFile(base+".csv", res.Config.detailedCSV(s), 0o644); err != nil {
				return fmt.Errorf("rctab: %w", err)
			}
		}
	}
	return nil
}
