package rctab

import (
	"math"
	"sort"
	"unicode/utf16"
)

// javaRandom reproduces java.util.Random bit for bit, so a contest with
// tiebreakMode "random" and a seed breaks ties exactly as RCTab does.
type javaRandom struct{ seed int64 }

const (
	javaRandMultiplier = 0x5DEECE66D
	javaRandMask       = (1 << 48) - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ javaRandMultiplier) & javaRandMask}
}

func (r *javaRandom) next(bitsWanted uint) int32 {
	r.seed = (r.seed*javaRandMultiplier + 0xB) & javaRandMask
	return int32(uint64(r.seed) >> (48 - bitsWanted))
}

// nextInt is Random.nextInt(bound), including its rejection loop.
func (r *javaRandom) nextInt(bound int32) int32 {
	if bound <= 0 {
		panic("rctab: bound must be positive")
	}
	if bound&(-bound) == bound {
		return int32((int64(bound) * int64(r.next(31))) >> 31)
	}
	for {
		b := r.next(31)
		val := b % bound
		if b-val+(bound-1) >= 0 { // int32 overflow is the rejection signal
			return val
		}
	}
}

// nextDouble is Random.nextDouble.
func (r *javaRandom) nextDouble() float64 {
	hi := int64(r.next(26))
	lo := int64(r.next(27))
	return float64(hi<<27+lo) * (1.0 / (1 << 53))
}

// randomIndex picks an index below n the way RCTab's Tiebreak.doRandom
// does: floor(nextDouble() * n) in double arithmetic. The double is only
// a coin toss here, never a vote value.
func (r *javaRandom) randomIndex(n int) int {
	return int(math.Floor(r.nextDouble() * float64(n)))
}

// shuffle is Collections.shuffle(list, rnd) for a random-access list.
func (r *javaRandom) shuffle(list []string) {
	for i := len(list); i > 1; i-- {
		j := int(r.nextInt(int32(i)))
		list[i-1], list[j] = list[j], list[i-1]
	}
}

// javaStringHash is String.hashCode over UTF-16 code units.
func javaStringHash(s string) int32 {
	var h int32
	for _, u := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(u)
	}
	return h
}

// javaCompare orders strings as String.compareTo does (UTF-16 code
// units), which RCTab uses to sort tied candidates and report keys.
func javaCompare(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return len(ua) - len(ub)
}

func javaLess(a, b string) bool { return javaCompare(a, b) < 0 }

// javaHashOrder returns keys (given in insertion order, no removals) in the
// order a java.util.HashMap or HashSet built from them iterates. RCTab
// prints several lists in that order (who was eliminated together, the
// candidate rows of the CSV among equal tallies), so matching its reports
// byte for byte needs it.
func javaHashOrder(keys []string) []string {
	capacity := 16
	for len(keys) > capacity*3/4 {
		capacity *= 2
	}
	type slot struct {
		bucket int
		seq    int
		key    string
	}
	slots := make([]slot, len(keys))
	for i, k := range keys {
		h := uint32(javaStringHash(k))
		h ^= h >> 16
		slots[i] = slot{bucket: int(h & uint32(capacity-1)), seq: i, key: k}
	}
	sort.SliceStable(slots, func(i, j int) bool {
		if slots[i].bucket != slots[j].bucket {
			return slots[i].bucket < slots[j].bucket
		}
		return slots[i].seq < slots[j].seq
	})
	out := make([]string, len(keys))
	for i, s := range slots {
		out[i] = s.key
	}
	return out
}
