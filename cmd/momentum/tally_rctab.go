package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/momentum-movement/momentum/tally/rctab"
)

// tallyRCTab counts an RCTab contest: the configuration names the CVR files
// and the rules; RCTab's detailed reports (JSON and CSV) are written into
// outDir and a readable account of the count printed.
func tallyRCTab(ctx context.Context, env *Env, configPath, outDir string) error {
	bar := newProgressBar(env.Stderr, "steps")
	res, err := rctab.Run(ctx, configPath, outDir, bar.update)
	bar.done()
	if err != nil {
		var ce *rctab.ConfigError
		var pe *rctab.ParseError
		if errors.As(err, &ce) || errors.As(err, &pe) {
			return &exitError{code: 2, err: err}
		}
		return &exitError{code: 1, err: err}
	}
	if err := rctab.WriteText(env.Stdout, res); err != nil {
		return err
	}
	name := rctab.ReportName(configPath)
	fmt.Fprintf(env.Stderr, "wrote %s_detailed_report.json and .csv in %s\n", name, filepath.Clean(outDir))
	return nil
}

// convertRCTab writes the cast vote records of an RCTab contest as NIST CDF
// JSON and as RCTab's CVR CSV into outDir, without counting them (issue 15:
// RCTab's conversions).
func convertRCTab(ctx context.Context, env *Env, configPath, outDir string) error {
	if err := rctab.Convert(ctx, configPath, outDir); err != nil {
		var ce *rctab.ConfigError
		var pe *rctab.ParseError
		if errors.As(err, &ce) || errors.As(err, &pe) {
			return &exitError{code: 2, err: err}
		}
		return &exitError{code: 1, err: err}
	}
	name := rctab.ReportName(configPath)
	fmt.Fprintf(env.Stderr, "wrote %s_cdf_cvr.json and %s.csv in %s\n", name, name, filepath.Clean(outDir))
	return nil
}
