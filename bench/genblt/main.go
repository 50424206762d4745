// Command genblt writes a generated election in BLT format, the same one
// every time for the same flags, for benchmarking the tally package
// against its peers (see bench/README.md).
//
// Voters fall into four factions, each with its own order of the
// candidates; a voter ranks their faction's order with a few preferences
// swapped and stops after a handful of preferences, as real voters do. So
// there are many repeated rankings, but far from all ballots are alike.
//
//	go run ./bench/genblt -ballots 1000000 -candidates 15 -seats 5 > /tmp/bench.blt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

func main() {
	ballots := flag.Int("ballots", 1_000_000, "how many ballots")
	cands := flag.Int("candidates", 15, "how many candidates")
	seats := flag.Int("seats", 5, "how many seats")
	seed := flag.Uint64("seed", 2026, "random seed")
	flag.Parse()
	if *cands < 2 || *seats < 1 || *seats >= *cands || *ballots < 1 {
		fmt.Fprintln(os.Stderr, "genblt: need -ballots ≥ 1, -candidates ≥ 2 and 1 ≤ -seats < -candidates")
		os.Exit(2)
	}
	if err := write(bufio.NewWriterSize(os.Stdout, 1<<20), *ballots, *cands, *seats, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "genblt:", err)
		os.Exit(1)
	}
}

func write(w *bufio.Writer, n, c, seats int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const factions = 4
	orders := make([][]int, factions)
	for f := range orders {
		orders[f] = r.Perm(c)
	}
	share := []int{40, 30, 20, 10} // percent of voters per faction
	fmt.Fprintf(w, "%d %d\n", c, seats)
	ranking := make([]int, c)
	for i := 0; i < n; i++ {
		p, f := r.IntN(100), 0
		for p >= share[f] {
			p -= share[f]
			f++
		}
		copy(ranking, orders[f])
		for s := r.IntN(7); s > 0; s-- { // a few preferences swapped, mostly near each other
			j := r.IntN(c - 1)
			k := min(c-1, j+1+r.IntN(3))
			ranking[j], ranking[k] = ranking[k], ranking[j]
		}
		length := 1 + min(r.IntN(3)+r.IntN(4)+r.IntN(4), c-1) // 1 to 10, mostly 4–6
		w.WriteString("1")
		for _, k := range ranking[:length] {
			fmt.Fprintf(w, " %d", k+1)
		}
		w.WriteString(" 0\n")
	}
	w.WriteString("0\n")
	for k := 0; k < c; k++ {
		fmt.Fprintf(w, "\"Candidate %c\"\n", 'A'+k)
	}
	fmt.Fprintf(w, "\"Generated: %d ballots, %d candidates, %d seats, seed %d\"\n", n, c, seats, seed)
	return w.Flush()
}
