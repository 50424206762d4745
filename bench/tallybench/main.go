// Command tallybench times Momentum's tally package on a BLT file, parse
// and count apart, and prints one JSON line per method in the same shape
// as bench/peers.js, so bench/run.sh can set them side by side.
//
//	go run ./bench/tallybench -methods irv,schulze,meek,scottish-stv FILE.blt
//
// Parsing includes grouping identical rankings (the peers are handed their
// ballots grouped too). Each count runs -runs times; the fastest is
// reported, as for the peers.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
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
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	e, err := tally.ReadBLT(f, path)
	f.Close()
	if err != nil {
		return err
	}
	e.Ballots = e.Ballots.Grouped()
	parse := time.Since(start)
	if seats > 0 {
		e.Seats = seats
	}
	stvSeats := e.Seats
	for _, m := range methods {
		el := *e
		if m == "irv" || m == "schulze" { // single winner, as the peers count them
			el.Seats = 1
		} else {
			el.Seats = stvSeats
		}
		best := time.Duration(1<<63 - 1)
		var res *tally.Result
		for range max(runs, 1) {
			t := time.Now()
			res, err = tally.Count(&el, tally.Method(m))
			if err != nil {
				return fmt.Errorf("%s: %w", m, err)
			}
			best = min(best, time.Since(t))
		}
		out := line{Peer: "momentum", Method: m, Ballots: el.Ballots.Total(), Rankings: el.Ballots.Len(),
			ParseMs: ms(parse), CountMs: ms(best), Elected: res.ElectedNames()}
		if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
			return err
		}
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
