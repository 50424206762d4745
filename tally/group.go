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
func (b *Ballots) grouped(dropEmpty bool) Ballots {
	if b.merged && (b.noEmpty || !dropEmpty) {
		return *b // already grouped: the slices are shared, and no count writes to them
	}
	return groupParts([]*Ballots{b}, dropEmpty)
}

// groupParts groups the ballots of several parts as one (the BLT reader's
// workers each gather a part), dropping empty rankings if dropEmpty.
//
// Rankings that fit are packed into a uint64 (first preference in the top
// bits, 0 padding after the last, so numeric order is ranking order) and
// radix-sorted: a million ballots group in a few tens of milliseconds,
// where a hash map spends most of its time on cache misses. Longer
// rankings are sorted by comparison and placed after.
func groupParts(parts []*Ballots, dropEmpty bool) Ballots {
	maxPref, n := int32(0), 0
	for _, b := range parts {
		for _, p := range b.prefs {
			maxPref = max(maxPref, p&^tiedFlag)
		}
		n += b.Len()
	}
	width := bits.Len32(uint32(2*maxPref + 2))
	items := make([]groupItem, 0, n)
	var long []groupItem
	for part, b := range parts {
		for i := range b.Len() {
			r := b.Ranking(i)
			if len(r) == 0 && dropEmpty {
				continue
			}
			if len(r)*width > 64 {
				long = append(long, groupItem{0, int32(i), int32(part)})
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
			items = append(items, groupItem{k, int32(i), int32(part)})
		}
	}
	if len(items) < 1024 {
		// A few keys sort faster by comparison than by clearing the
		// radix counts (a small BLT file is grouped this way).
		slices.SortFunc(items, func(x, y groupItem) int { return cmp.Compare(x.key, y.key) })
	} else {
		items = radixSort(items)
	}
	ranking := func(it groupItem) []int32 { return parts[it.part].Ranking(int(it.i)) }
	weight := func(it groupItem) int64 { return parts[it.part].weights[it.i] }
	slices.SortStableFunc(long, func(x, y groupItem) int { return slices.Compare(ranking(x), ranking(y)) })
	// Sized exactly, counting the distinct rankings first: growing by
	// appending would copy the groups over and over when few merge.
	groups, prefs := 0, 0
	for j, it := range items {
		if j == 0 || it.key != items[j-1].key {
			groups++
			prefs += len(ranking(it))
		}
	}
	for j, it := range long {
		if j == 0 || !slices.Equal(ranking(it), ranking(long[j-1])) {
			groups++
			prefs += len(ranking(it))
		}
	}
	var out Ballots
	out.Grow(groups, prefs)
	out.offsets = append(out.offsets, 0)
	for j, it := range items {
		if j > 0 && it.key == items[j-1].key {
			out.weights[len(out.weights)-1] += weight(it)
			continue
		}
		out.prefs = append(out.prefs, ranking(it)...)
		out.offsets = append(out.offsets, int32(len(out.prefs)))
		out.weights = append(out.weights, weight(it))
	}
	for j, it := range long {
		if j > 0 && slices.Equal(ranking(it), ranking(long[j-1])) {
			out.weights[len(out.weights)-1] += weight(it)
			continue
		}
		out.prefs = append(out.prefs, ranking(it)...)
		out.offsets = append(out.offsets, int32(len(out.prefs)))
		out.weights = append(out.weights, weight(it))
	}
	if out.Len() == 0 {
		out.offsets = nil
	}
	out.merged = true
	out.noEmpty = dropEmpty || out.Len() == 0 || out.offsets[1] > 0 // an empty ranking sorts first
	return out
}

// groupItem is a ballot group's packed ranking, and where it is: group i
// of parts[part].
type groupItem struct {
	key     uint64
	i, part int32
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
