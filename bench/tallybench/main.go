// Command tallybench times Momentum's tally package on a BLT file and
// prints one JSON line per method in the same shape as bench/peers.js, so
// bench/run.sh can set them side by side.
//
//	go run ./bench/tallybench -methods irv,schulze,meek,scottish-stv FILE.blt
//
// Each method is run -runs times end to end: open the file, read it with
// tally.ReadBLT, group identical rankings (the peers are handed their
// ballots grouped too) and count. The fastest run end to end is reported,
// and the fastest parse and count of the runs apart, as for the peers.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/tally"
)

type line struct {
	Peer     string   `json:"peer"`
	Method   string   `json:"method"`
	Ballots  int64    `json:"ballots"`
	Rankings int      `json:"rankings"`
	ParseMs  float64  `json:"parse_ms"`
	CountMs  float64  `json:"count_ms"`
	TotalMs  float64  `json:"end_to_end_ms"` // parse and count in one run
	Elected  []string `json:"elected"`
}

func main() {
	methods := flag.String("methods", "irv,schulze,meek,scottish-stv", "comma-separated methods to count")
	runs := flag.Int("runs", 3, "counts per method; the fastest is reported")
	seats := flag.Int("seats", 0, "seats for STV methods (default: the file's)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: tallybench [-methods irv,schulze,meek,scottish-stv] [-runs 3] FILE.blt")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), strings.Split(*methods, ","), *runs, *seats); err != nil {
		fmt.Fprintln(os.Stderr, "tallybench:", err)
		os.Exit(1)
	}
}

func run(path string, methods []string, runs, seats int) error {
	for _, m := range methods {
		best := line{Peer: "momentum", Method: m, ParseMs: math.Inf(1), CountMs: math.Inf(1), TotalMs: math.Inf(1)}
		for range max(runs, 1) {
			start := time.Now()
			e, err := read(path)
			if err != nil {
				return err
			}
			parsed := time.Now()
			if seats > 0 {
				e.Seats = seats
			}
			if m == "irv" || m == "schulze" { // single winner, as the peers count them
				e.Seats = 1
			}
			res, err := tally.Count(e, tally.Method(m))
			if err != nil {
				return fmt.Errorf("%s: %w", m, err)
			}
			done := time.Now()
			best.ParseMs = min(best.ParseMs, ms(parsed.Sub(start)))
			best.CountMs = min(best.CountMs, ms(done.Sub(parsed)))
			best.TotalMs = min(best.TotalMs, ms(done.Sub(start)))
			best.Ballots, best.Rankings, best.Elected = e.Ballots.Total(), e.Ballots.Len(), res.ElectedNames()
		}
		if err := json.NewEncoder(os.Stdout).Encode(best); err != nil {
			return err
		}
	}
	return nil
}

// read reads the BLT file and groups its ballots, as a count would.
func read(path string) (*tally.Election, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	e, err := tally.ReadBLT(f, path)
	if err != nil {
		return nil, err
	}
	e.Ballots = e.Ballots.Grouped()
	return e, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
