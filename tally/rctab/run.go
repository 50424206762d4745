package rctab

import (
	"context"
	"errors"
	"fmt"
	"math"
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
			parts[i].recs.setSource(i) // records.go: which source each record came from
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
	remap := make([]int32, o.Groups()) // o's group -> b's, for the record log
	for g := 0; g < o.Groups(); g++ {
		ms := append([]mark(nil), o.group(g)...)
		var sl [numSlices]int32
		for k := range sl {
			sl[k] = -1
			if o.sliceOf[k][g] >= 0 {
				sl[k] = b.sliceIndex(k, o.sliceIDs[k][o.sliceOf[k][g]])
			}
		}
		remap[g] = b.addWeighted(ms, sl, o.weight[g])
	}
	b.recs.appendFrom(o.recs, remap)
}

// checkMaxRank refuses records ranked beyond maxRankingsAllowed, as
// RCTab does.
func (b *Ballots) checkMaxRank(file string, maxRank int) error {
	for g := 0; g < b.Groups(); g++ {
		if ms := b.group(g); len(ms) > 0 && int(ms[len(ms)-1].rank) > maxRank {
			return &ParseError{File: file, Msg: fmt.Sprintf("a ballot has a ranking %d, but the configuration's rules.maxRankingsAllowed is %d", ms[len(ms)-1].rank, maxRank)}
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
	return tabulate(ctx, cfg, b, nil)
}

// tabulate is Tabulate with an operator to ask about ties (ask.go).
func tabulate(ctx context.Context, cfg *Config, b *Ballots, ask AskFunc) (*Result, error) {
	if err := checkSliceData(cfg, b); err != nil {
		return nil, err
	}
	if err := checkArithmeticRange(cfg, b.Len()); err != nil {
		return nil, err
	}
	res := &Result{Contest: cfg.Raw.OutputSettings.ContestName, Config: cfg, Ballots: b.Len()}
	if b.recs != nil {
		res.records = b // for the CDF JSON output (report_cdf.go)
	}
	excluded := append([]bool(nil), cfg.Excluded...)
	if cfg.Mode != MultiPassIRV {
		t := newTabulator(cfg, b, cfg.NumWinners, excluded)
		t.ask = ask
		if err := t.run(ctx); err != nil {
			return nil, err
		}
		res.Tabulations = append(res.Tabulations, t.result(0))
		return res, nil
	}
	for pass := 1; pass <= cfg.NumWinners; pass++ {
		t := newTabulator(cfg, b, 1, append([]bool(nil), excluded...))
		t.ask, t.pass = ask, pass
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

// RunWith reads the RCTab configuration at configPath and its CVRs, counts
// them, and writes RCTab's detailed report as <name>_detailed_report.json
// and .csv into outDir (<name>_<pass>_detailed_report.* for multi-pass
// IRV; per-precinct and per-batch reports, when the config asks for them,
// go to the "Tabulate by Precinct" and "Tabulate by Batch" folders, and
// the CVRs as CDF JSON to <name>_cdf_cvr.json with generateCdfJson), where
// <name> is the configuration file's name without "_config.json", the same
// naming as RCTab's regression cases. See RunOptions for progress reports
// and for asking an operator about ties.
//
// Errors: *ConfigError (or ConfigErrors, one per problem) for an invalid
// configuration, *ParseError for malformed CVR input, ErrTabulation
// (wrapped) when the count cannot proceed, *TieError for a tie that needs
// an operator when RunOptions.Ask is nil.
func RunWith(ctx context.Context, configPath, outDir string, opts RunOptions) (*Result, error) {
	progress := opts.Progress // RunOptions (ask.go)
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
	res, err := tabulate(ctx, cfg, b, opts.Ask)
	if err != nil {
		var ce *ConfigError
		if errors.As(err, &ce) && ce.File == "" {
			ce.File = configPath
		}
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
// tabulation in res into dir, the per-precinct and per-batch reports
// when the config asks for them, and the cast vote records as NIST CDF
// JSON (<stem>_cdf_cvr.json) when outputSettings.generateCdfJson is set.
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
		if res.Config.Raw.OutputSettings.GenerateCdfJSON {
			if err := res.Config.writeCDF(res.records, t, dir, stem); err != nil {
				return err
			}
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

// checkArithmeticRange refuses a contest whose vote totals could not be
// held in Decimal's 64-bit units at the configured places: no tally can
// exceed the number of ballots, so that bound is enough. At 8 places (the
// most we allow) it is 92,233,720,368 ballots, far beyond any real CVR
// export, but a count must never wrap silently (issue 15).
func checkArithmeticRange(cfg *Config, ballots int64) error {
	limit := int64(math.MaxInt64) / pow10[cfg.DecimalPlaces]
	if ballots > limit {
		return fmt.Errorf("%w: with rules.decimalPlacesForVoteArithmetic %d the count holds at most %d ballots; this contest has %d",
			ErrTabulation, cfg.DecimalPlaces, limit, ballots)
	}
	return nil
}
