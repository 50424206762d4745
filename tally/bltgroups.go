package tally

import (
	"bytes"
	"fmt"
	"math/bits"
	"strconv"
)

// bltGroups gathers ballot lines into groups. Lines whose rankings are the
// same share a group, found with one hash lookup, so each distinct ranking
// is checked once however often it is cast. Several gather a file's blocks in parallel; their groups are
// merged at the end.
type bltGroups struct {
	name  string         // the file, for errors
	line  int            // the line being read: in the file, or in a block's piece
	n     int            // candidates
	nick  map[string]int // [nick] names; read only
	limit int64          // the most ballots the file may hold
	total int64          // ballots so far (see bltParser.block)

	b      Ballots
	packed packedGroups     // packed rankings (see pack) → group in b
	keys   map[string]int32 // rankings too long to pack, as bytes → group in b
	seen   []uint32         // seen[c] == stamp: ranked on the line being read
	stamp  uint32
	nums   []int
	ranks  [][]int
}

func newBLTGroups(p *bltParser) *bltGroups {
	n := len(p.e.Candidates)
	return &bltGroups{name: p.name, n: n, nick: p.nick, limit: p.opt.maxTotal,
		keys: make(map[string]int32), seen: make([]uint32, n)}
}

func (w *bltGroups) errf(format string, args ...any) error {
	return &InputError{File: w.name, Line: w.line, Msg: fmt.Sprintf(format, args...)}
}

// lines reads the ballot lines of piece, counting lines from 1 at its
// start, up to a line "0". It returns how many lines it read (up to and
// including a bad one, not counting the "0") and where the "0" starts, or
// -1.
func (w *bltGroups) lines(piece []byte) (int, int, error) {
	w.line = 0
	for at := 0; at < len(piece); {
		line := piece[at:]
		next := len(piece)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, next = line[:i], at+i+1
		}
		w.line++
		if len(line) > bltMaxLine {
			return w.line, -1, w.errf("%s", errLineTooLong)
		}
		if line = trimLine(line); len(line) == 1 && line[0] == '0' {
			return w.line - 1, at, nil
		}
		if len(line) > 0 {
			if err := w.ballot(line); err != nil {
				return w.line, -1, err
			}
		}
		at = next
	}
	return w.line, -1, nil
}

// ballot reads one trimmed ballot line.
func (w *bltGroups) ballot(line []byte) error {
	if line[0] == '[' {
		return w.errf("option %q must come before the first ballot", line)
	}
	wt, rest, plain := plainWeight(line)
	if !plain {
		g, wt, err := w.general(line)
		if err != nil {
			return err
		}
		return w.add(g, wt)
	}
	// The ranking bytes alone decide whether a line is valid, so a ranking
	// seen before is counted without being read again.
	key, packed := pack(rest)
	if packed {
		if s := w.packed.find(key); s != nil {
			if wt > w.limit-w.total {
				return w.errf("%s", overflowMsg(w.limit))
			}
			s.wt += wt
			w.total += wt
			return nil
		}
	} else if g, ok := w.keys[string(rest)]; ok {
		return w.add(g, wt)
	}
	// A ranking not seen before: checked, then counted (a bad line is
	// reported as such even where the total would overflow too).
	g, ok, err := w.plainRanking(rest)
	if err != nil {
		return err
	}
	if !ok {
		if g, _, err = w.general(line); err != nil {
			return err
		}
	}
	if !packed {
		w.keys[string(rest)] = g
		return w.add(g, wt)
	}
	if wt > w.limit-w.total {
		return w.errf("%s", overflowMsg(w.limit))
	}
	w.packed.put(key, g, wt)
	w.total += wt
	return nil
}

// pack packs the bytes of a ranking written with digits, spaces and tabs
// alone, up to 32 of them, into two words, four bits a byte: the same key
// for the same bytes, a different one for different bytes. It does not
// read the numbers: that is done once, for the first line with the key.
func pack(rest []byte) (packedKey, bool) {
	var k packedKey
	if len(rest) > 32 {
		return k, false
	}
	n := min(len(rest), 16)
	for _, c := range rest[:n] {
		v := packNibble[c]
		if v == 0 {
			return k, false
		}
		k.a = k.a<<4 | uint64(v)
	}
	for _, c := range rest[n:] {
		v := packNibble[c]
		if v == 0 {
			return k, false
		}
		k.b = k.b<<4 | uint64(v)
	}
	return k, true
}

// packNibble numbers the bytes pack packs from 1; 0 for any other.
var packNibble = [256]uint8{'0': 1, '1': 2, '2': 3, '3': 4, '4': 5, '5': 6, '6': 7, '7': 8, '8': 9, '9': 10, ' ': 11, '\t': 12}

func (w *bltGroups) add(g int32, wt int64) error {
	if wt > w.limit-w.total {
		return w.errf("%s", overflowMsg(w.limit))
	}
	w.total += wt
	w.b.weights[g] += wt
	return nil
}

func overflowMsg(limit int64) string {
	return fmt.Sprintf("the ballots' weights add up to more than %d, more than a count can hold", limit)
}

// plainWeight reads a leading weight of digits alone, followed by white
// space, and returns it and the ranking after it.
func plainWeight(line []byte) (int64, []byte, bool) {
	var v int64
	i := 0
	for ; i < len(line) && line[i] >= '0' && line[i] <= '9'; i++ {
		if i == 13 {
			return 0, nil, false
		}
		v = v*10 + int64(line[i]-'0')
	}
	if i == 0 || i == len(line) || (line[i] != ' ' && line[i] != '\t') || v < 1 || v > 1<<40 {
		return 0, nil, false
	}
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return v, line[i:], true
}

// lineWeight returns the weight of a ballot line already read.
func lineWeight(line []byte) int64 {
	if wt, _, ok := plainWeight(line); ok {
		return wt
	}
	f := bytes.Fields(line)
	if f[0][0] == '(' {
		f = f[1:]
	}
	wt, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return wt
}

// packedGroups is a hash table from packed rankings to groups, open
// addressing with linear probing. A slot holds the key and the weight
// gathered so far, so that counting a line is a multiply and, mostly, one
// cache line; finish adds the weights to the groups.
type packedGroups struct {
	slots []packedSlot
	group []int32 // group of each used slot
	n     int
	shift uint
}

// packedSlot is one ranking's ballots: wt is 0 in an empty slot, as no
// line weighs 0.
type packedSlot struct {
	key packedKey
	wt  int64
}

type packedKey struct{ a, b uint64 }

func (t *packedGroups) slot(k packedKey) int {
	h := k.a*0x9e3779b97f4a7c15 ^ k.b*0xc2b2ae3d27d4eb4f
	h ^= h >> 29
	h *= 0xff51afd7ed558ccd
	return int(h >> t.shift)
}

// find returns k's slot, or nil.
func (t *packedGroups) find(k packedKey) *packedSlot {
	if t.n == 0 {
		return nil
	}
	mask := len(t.slots) - 1
	for i := t.slot(k); t.slots[i].wt != 0; i = (i + 1) & mask {
		if t.slots[i].key == k {
			return &t.slots[i]
		}
	}
	return nil
}

// put adds a key that find did not find, with its first line's weight.
func (t *packedGroups) put(k packedKey, g int32, wt int64) {
	if 2*(t.n+1) > len(t.slots) {
		old, oldGroup := t.slots, t.group
		size := max(2*len(old), 1024)
		t.slots, t.group = make([]packedSlot, size), make([]int32, size)
		t.shift = uint(64 - bits.Len(uint(size-1)))
		t.n = 0
		for i, s := range old {
			if s.wt != 0 {
				t.put(s.key, oldGroup[i], s.wt)
			}
		}
	}
	mask := len(t.slots) - 1
	i := t.slot(k)
	for t.slots[i].wt != 0 {
		i = (i + 1) & mask
	}
	t.slots[i], t.group[i] = packedSlot{k, wt}, g
	t.n++
}

// finish adds the ballots gathered in the table to their groups in b.
func (t *packedGroups) finish(b *Ballots) {
	for i, s := range t.slots {
		if s.wt != 0 {
			b.weights[t.group[i]] += s.wt
		}
	}
}
