package tally

import (
	"fmt"
	"math/big"
	"math/bits"
)

// Strength is how Schulze measures the strength of a pairwise defeat.
type Strength string

// Schulze strength measures.
const (
	// WinningVotes: the number of voters preferring the winner (Schulze's
	// recommendation).
	WinningVotes Strength = "winning"
	// Margins: winner's supporters minus loser's.
	Margins Strength = "margin"
	// Ratio: winner's supporters divided by loser's.
	Ratio Strength = "ratio"
)

// link is a defeat strength n/d compared exactly; d = 0 is infinite (a
// ratio over nobody) and n = 0 with d = 1 is no defeat at all.
type link struct{ n, d int64 }

func (a link) cmp(b link) int {
	switch {
	case a.d == 0 && b.d == 0:
		return 0
	case a.d == 0:
		return 1
	case b.d == 0:
		return -1
	}
	// n and d are pairwise counts, at most 2^63−1: compare the 128-bit
	// products, which cannot overflow.
	lh, ll := bits.Mul64(uint64(a.n), uint64(b.d))
	rh, rl := bits.Mul64(uint64(b.n), uint64(a.d))
	switch {
	case lh < rh || lh == rh && ll < rl:
		return -1
	case lh > rh || lh == rh && ll > rl:
		return 1
	}
	return 0
}

// CountSchulze ranks the candidates by the Schulze method with the given
// strength measure and elects the top Seats. Unranked candidates count as
// ranked equally below every ranked one. Result.Order lists every
// candidate, tied candidates together; Result.Pairwise holds how many
// voters prefer each candidate to each other.
func CountSchulze(e *Election, strength Strength) (*Result, error) {
	b, err := e.cleanBallots()
	if err != nil {
		return nil, err
	}
	n := len(e.Candidates)
	d := pairwise(&b, n)
	p := make([][]link, n)
	for i := range p {
		p[i] = make([]link, n)
		for j := range n {
			if i == j || d[i][j] <= d[j][i] {
				p[i][j] = link{0, 1}
				continue
			}
			switch strength {
			case Margins:
				p[i][j] = link{d[i][j] - d[j][i], 1}
			case Ratio:
				p[i][j] = link{d[i][j], d[j][i]}
			case WinningVotes, "":
				p[i][j] = link{d[i][j], 1}
			default:
				return nil, &CountError{Msg: fmt.Sprintf("unknown Schulze strength %q", strength)}
			}
		}
	}
	// Widest paths (Floyd–Warshall on max-min).
	for k := range n {
		for i := range n {
			if i == k {
				continue
			}
			for j := range n {
				if j == i || j == k {
					continue
				}
				via := p[i][k]
				if p[k][j].cmp(via) < 0 {
					via = p[k][j]
				}
				if via.cmp(p[i][j]) > 0 {
					p[i][j] = via
				}
			}
		}
	}
	beats := make([]*big.Int, n)
	for i := range n {
		var k int64
		for j := range n {
			if i != j && p[i][j].cmp(p[j][i]) > 0 {
				k++
			}
		}
		beats[i] = big.NewInt(k)
	}
	res := totalsResult(e, Schulze, "candidates beaten by stronger paths", beats, b.Total())
	res.Arithmetic = fmt.Sprintf("pairwise counts, %s strength", cmpOr(strength, WinningVotes))
	res.Pairwise = d
	for i := range res.Rounds[0].Events {
		if res.Rounds[0].Events[i].Kind == EventElected {
			res.Rounds[0].Events[i].Reason = ReasonCondorcet
		}
	}
	return res, nil
}

func cmpOr(s, def Strength) Strength {
	if s == "" {
		return def
	}
	return s
}

// pairwise returns d[i][j], the number of voters ranking i above j, an
// unranked candidate counting as below every ranked one.
//
// A ballot ranking k of n candidates touches only the k² pairs it ranks,
// not all n²: d[i][j] is the ballots ranking i above a ranked j, plus the
// ballots ranking i that leave j unranked — all ballots ranking i (ranked[i])
// less those ranking both (both[i][j]).
func pairwise(b *Ballots, n int) [][]int64 {
	above := make([]int64, n*n)
	both := make([]int64, n*n)
	ranked := make([]int64, n)
	pos := make([]int32, 0, n)   // rank position of each preference
	cands := make([]int32, 0, n) // the candidates, in ballot order
	for g := range b.Len() {
		w := b.Weight(g)
		pos, cands = pos[:0], cands[:0]
		rank := int32(-1)
		for _, p := range b.Ranking(g) {
			if p&tiedFlag == 0 {
				rank++
			}
			pos = append(pos, rank)
			cands = append(cands, p&^tiedFlag)
		}
		for x, i := range cands {
			ranked[i] += w
			row := int(i) * n
			for y, j := range cands {
				if y == x {
					continue
				}
				both[row+int(j)] += w
				if pos[x] < pos[y] {
					above[row+int(j)] += w
				}
			}
		}
	}
	d := make([][]int64, n)
	for i := range d {
		d[i] = make([]int64, n)
		for j := range n {
			if i != j {
				// Subtract first: above + ranked alone may pass 2^63.
				d[i][j] = above[i*n+j] + (ranked[i] - both[i*n+j])
			}
		}
	}
	return d
}
