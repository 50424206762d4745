package tally

import (
	"cmp"
	"math/bits"
	"slices"
)

// Grouped returns the ballots with identical rankings merged into one group
// whose weight is their sum, ordered by ranking (candidate indexes
// compared preference by preference, a ranking before its extensions).
// Counting grouped ballots gives the same result with less work: every
// rule here treats identical ballots identically, and none depends on the
// order of ballots.
func (b *Ballots) Grouped() Ballots { return b.grouped(false) }

// grouped merges identical rankings, dropping empty ones if dropEmpty.
//
// Rankings that fit are packed into a uint64 (first preference in the top
// bits, 0 padding after the last, so numeric order is ranking order) and
// radix-sorted: a million ballots group in a few tens of milliseconds,
// where a hash map spends most of its time on cache misses. Longer
// rankings are sorted by comparison and placed after.
func (b *Ballots) grouped(dropEmpty bool) Ballots {
	if b.merged && (b.noEmpty || !dropEmpty) {
		return *b // already grouped: the slices are shared, and no count writes to them
	}
	maxPref := int32(0)
	for _, p := range b.prefs {
		maxPref = max(maxPref, p&^tiedFlag)
	}
	width := bits.Len32(uint32(2*maxPref + 2))
	items := make([]groupItem, 0, b.Len())
	var long []int32
	for i := range b.Len() {
		r := b.Ranking(i)
		if len(r) == 0 && dropEmpty {
			continue
		}
		if len(r)*width > 64 {
			long = append(long, int32(i))
			continue
		}
		var k uint64
		shift := 64
		for _, p := range r {
			v := uint64(2*(p&^tiedFlag) + 1)
			if p&tiedFlag != 0 {
				v++
			}
			shift -= width
			k |= v << shift
		}
		items = append(items, groupItem{k, int32(i)})
	}
	if len(items) < 1024 {
		// A few keys sort faster by comparison than by clearing the
		// radix counts (a small BLT file is grouped this way).
		slices.SortFunc(items, func(x, y groupItem) int { return cmp.Compare(x.key, y.key) })
	} else {
		items = radixSort(items)
	}
	// Sized exactly, counting the distinct rankings first: growing by
	// appending would copy the groups over and over when few merge.
	groups, prefs := len(long), 0
	for _, i := range long {
		prefs += len(b.Ranking(int(i)))
	}
	for j, it := range items {
		if j == 0 || it.key != items[j-1].key {
			groups++
			prefs += int(b.offsets[it.i+1] - b.offsets[it.i])
		}
	}
	var out Ballots
	out.Grow(groups, prefs)
	out.offsets = append(out.offsets, 0)
	for j, it := range items {
		if j > 0 && it.key == items[j-1].key {
			out.weights[len(out.weights)-1] += b.weights[it.i]
			continue
		}
		out.prefs = append(out.prefs, b.Ranking(int(it.i))...)
		out.offsets = append(out.offsets, int32(len(out.prefs)))
		out.weights = append(out.weights, b.weights[it.i])
	}
	slices.SortStableFunc(long, func(x, y int32) int { return slices.Compare(b.Ranking(int(x)), b.Ranking(int(y))) })
	for j, i := range long {
		if j > 0 && slices.Equal(b.Ranking(int(i)), b.Ranking(int(long[j-1]))) {
			out.weights[len(out.weights)-1] += b.weights[i]
			continue
		}
		out.prefs = append(out.prefs, b.Ranking(int(i))...)
		out.offsets = append(out.offsets, int32(len(out.prefs)))
		out.weights = append(out.weights, b.weights[i])
	}
	if out.Len() == 0 {
		out.offsets = nil
	}
	out.merged = true
	out.noEmpty = dropEmpty || out.Len() == 0 || out.offsets[1] > 0 // an empty ranking sorts first
	return out
}

// groupItem is a ballot group's packed ranking and index.
type groupItem struct {
	key uint64
	i   int32
}

// radixSort sorts items by key: LSD radix sort on 16-bit digits, skipping
// digits all keys share.
func radixSort(items []groupItem) []groupItem {
	tmp := make([]groupItem, len(items))
	var count [1 << 16]int
	for d := 0; d < 64; d += 16 {
		clear(count[:])
		for _, it := range items {
			count[(it.key>>d)&0xffff]++
		}
		if len(items) == 0 || count[(items[0].key>>d)&0xffff] == len(items) {
			continue
		}
		sum := 0
		for j, c := range count {
			count[j] = sum
			sum += c
		}
		for _, it := range items {
			dg := (it.key >> d) & 0xffff
			tmp[count[dg]] = it
			count[dg]++
		}
		items, tmp = tmp, items
	}
	return items
}
