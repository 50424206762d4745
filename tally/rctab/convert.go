package rctab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Convert reads the CVR sources of the contest configured at configPath
// and writes them in the two interchange formats RCTab converts to: NIST
// CDF JSON (<name>_cdf_cvr.json) and RCTab's CSV of cast vote records
// (<name>.csv), where <name> is ReportName(configPath). Nothing is
// counted: the CDF JSON holds each record's rankings as read (RCTab's
// "original" snapshot).
//
// Errors: *ConfigError for an invalid configuration, *ParseError for
// malformed CVR input.
func Convert(ctx context.Context, configPath, outDir string) error {
	cfg, err := LoadConfig(configPath)
	if err != nil {
		return err
	}
	// keep every record in order with its ids (records.go)
	cfg.Raw.OutputSettings.GenerateCdfJSON = true
	b, err := ReadBallots(ctx, cfg, nil)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fmt.Errorf("rctab: %w", err)
	}
	name := ReportName(configPath)
	if err := cfg.writeCDF(b, nil, outDir, name); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(outDir, name+".csv"), cfg.cvrCSV(b), 0o644); err != nil {
		return fmt.Errorf("rctab: %w", err)
	}
	return nil
}

// cvrCSV renders RCTab's CSV of cast vote records: one row per record with
// its source, ids, precinct, and at each rank the candidates marked there
// (one per line in the cell) or "undervote".
func (c *Config) cvrCSV(b *Ballots) []byte {
	w := &csvWriter{first: true}
	for _, h := range []string{"Source Filepath", "CVR Provider", "Contest Id", "RCTab CVR Id", "Tabulator Id",
		"Batch Id", "Vendor Id", "Precinct", "Precinct Portion"} {
		w.field(h)
	}
	for r := 1; r <= c.MaxRankings; r++ {
		w.field(fmt.Sprintf("Rank %d", r))
	}
	w.end()
	ids := recordIDs(c, b.recs)
	var names []string
	for k, g := range b.recs.group {
		src := c.Sources[b.recs.source[k]]
		in := b.recs.info[k]
		for _, f := range []string{src.FilePath, src.Provider, in.contestID, ids[k], in.tabulator,
			in.batch, in.vendorID, in.precinct, in.portion} {
			w.field(f)
		}
		ms := b.group(int(g))
		i := 0
		for r := 1; r <= c.MaxRankings; r++ {
			names = names[:0]
			for ; i < len(ms) && int(ms[i].rank) <= r; i++ {
				if int(ms[i].rank) == r {
					names = append(names, c.csvMarkName(ms[i], &src))
				}
			}
			if len(names) == 0 {
				w.field("undervote")
			} else {
				w.field(strings.Join(names, "\n"))
			}
		}
		w.end()
	}
	return w.buf.Bytes()
}

// csvMarkName is a mark as RCTab's CVR CSV writes it: undeclared
// write-ins under the source's own label, so the file reads back alike.
func (c *Config) csvMarkName(m mark, src *Source) string {
	if int(m.cand) == c.uwiIndex() && src.UndeclaredWriteInLabel != "" {
		return src.UndeclaredWriteInLabel
	}
	return c.markName(m)
}
