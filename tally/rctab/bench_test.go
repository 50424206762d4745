package rctab

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkMinneapolisScale measures the 1,041,313-ballot Minneapolis
// mayor case (rebuilt from the mayor workbook) and reports parsing and
// counting separately: parse-ms reads and groups the 13 workbooks,
// count-ms runs all 33 rounds.
func BenchmarkMinneapolisScale(b *testing.B) {
	requireRefdata(b)
	dir := buildScaleCase(b)
	cfg, err := LoadConfig(filepath.Join(dir, "2013_minneapolis_mayor_scale_config.json"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var parse, count time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ballots, err := ReadBallots(ctx, cfg, nil)
		if err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		res, err := Tabulate(ctx, cfg, ballots)
		if err != nil {
			b.Fatal(err)
		}
		end := time.Now()
		parse += mid.Sub(start)
		count += end.Sub(mid)
		if ballots.Len() != 1041313 || res.Winners()[0] != "BETSY HODGES" || len(res.Tabulations[0].Rounds) != 33 {
			b.Fatalf("got %d ballots, winners %v, %d rounds", ballots.Len(), res.Winners(), len(res.Tabulations[0].Rounds))
		}
	}
	b.ReportMetric(float64(parse.Milliseconds())/float64(b.N), "parse-ms")
	b.ReportMetric(float64(count.Microseconds())/1000/float64(b.N), "count-ms")
}

// BenchmarkMinneapolisScaleCount times the count alone on ballots read
// once, so the per-op figure is the count time.
func BenchmarkMinneapolisScaleCount(b *testing.B) {
	requireRefdata(b)
	dir := buildScaleCase(b)
	cfg, err := LoadConfig(filepath.Join(dir, "2013_minneapolis_mayor_scale_config.json"))
	if err != nil {
		b.Fatal(err)
	}
	ballots, err := ReadBallots(context.Background(), cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Tabulate(context.Background(), cfg, ballots); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(ballots.Groups()), "distinct-ballots")
}
