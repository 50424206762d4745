package tally

import "slices"

// ballotTrie holds grouped rankings as a prefix tree in preorder, so that
// Meek's per-iteration distribution visits each shared prefix once instead
// of once per ballot: every ballot through a node receives the same weight
// there, so the node's vote is its weight times the ballots through it.
type ballotTrie struct {
	cand  []int32 // candidate at the node
	count []int64 // ballots whose ranking passes through the node
	next  []int32 // index just past the node's subtree
	depth []int32 // 0 for first preferences
	maxD  int
}

func buildTrie(b Ballots) ballotTrie {
	// Sort groups by ranking so that shared prefixes are adjacent.
	order := make([]int32, b.Len())
	for i := range order {
		order[i] = int32(i)
	}
	cmp := func(x, y int32) int { return slices.Compare(b.Ranking(int(x)), b.Ranking(int(y))) }
	if !slices.IsSortedFunc(order, cmp) { // Grouped ballots already are
		slices.SortFunc(order, cmp)
	}
	var t ballotTrie
	var path []int32 // node index at each depth of the current prefix
	for _, g := range order {
		r := b.Ranking(int(g))
		w := b.weights[g]
		// Keep the common prefix with the path.
		d := 0
		for d < len(path) && d < len(r) && t.cand[path[d]] == r[d] {
			t.count[path[d]] += w
			d++
		}
		for _, open := range path[d:] {
			t.next[open] = int32(len(t.cand))
		}
		path = path[:d]
		for ; d < len(r); d++ {
			path = append(path, int32(len(t.cand)))
			t.cand = append(t.cand, r[d])
			t.count = append(t.count, w)
			t.next = append(t.next, 0)
			t.depth = append(t.depth, int32(d))
			t.maxD = max(t.maxD, d+1)
		}
	}
	for _, open := range path {
		t.next[open] = int32(len(t.cand))
	}
	return t
}

// distribute passes every ballot down its ranking: each candidate keeps
// weight × keep factor and passes on weight × (1 − keep factor), as
// Droop's OpenSTV-style Meek does, until the weight left is nil.
func (m *meek) distribute() {
	for i, s := range m.status {
		if s == Hopeful || s == Elected {
			m.vote[i] = u128{}
		}
	}
	t := &m.trie
	one := u128Scale
	m.wstack[0] = one
	for i := 0; i < len(t.cand); {
		c := t.cand[i]
		d := t.depth[i]
		w := m.wstack[d]
		kf := m.kf[c]
		if kf.isZero() {
			m.wstack[d+1] = w
			i++
			continue
		}
		keep := gmulTrunc(w, kf)
		m.vote[c] = m.vote[c].add(keep.mulSmall(uint64(t.count[i])))
		nw := gmulTrunc(w, one.sub(kf))
		if nw.belowGeps() {
			i = int(t.next[i])
			continue
		}
		m.wstack[d+1] = nw
		i++
	}
	for _, eb := range m.equal {
		m.distributeEqual(eb, 0, one)
	}
}

// equalBallot is a ballot group with at least one rank shared by several
// candidates.
type equalBallot struct {
	ranks [][]int
	count int64
}

// distributeEqual passes weight w into rank i of eb as Droop does: the
// weight is split equally among the rank's continuing candidates, each
// keeps its share × keep factor and passes the rest to the next rank. A
// rank with no continuing candidate passes nothing on: Droop drops that
// weight, and its reports show it in the residual.
func (m *meek) distributeEqual(eb equalBallot, i int, w u128) {
	var cids []int
	for _, c := range eb.ranks[i] {
		if s := m.status[c]; s == Hopeful || s == Elected {
			cids = append(cids, c)
		}
	}
	if len(cids) == 0 {
		return
	}
	share := w.divSmall(uint64(len(cids)))
	for _, c := range cids {
		keep := gmulTrunc(share, m.kf[c])
		m.vote[c] = m.vote[c].add(keep.mulSmall(uint64(eb.count)))
		rest := gmulTrunc(share, u128Scale.sub(m.kf[c]))
		if !rest.isZero() && i+1 < len(eb.ranks) {
			m.distributeEqual(eb, i+1, rest)
		}
	}
}

func int32sToInts(r []int32) []int {
	out := make([]int, len(r))
	for i, p := range r {
		out[i] = int(p)
	}
	return out
}
