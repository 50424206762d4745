package tally

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
)

// bltGroups gathers ballot lines into groups. Lines whose rankings are the
// same bytes share a group, found with one hash lookup, so each distinct
// ranking is read and checked once however often it is cast. Several
// gather a file's blocks in parallel; their groups are merged at the end.
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
	var batch [16]plainLine
	for at := 0; at < len(piece); {
		// Plain lines a batch at a time: their slots in the table are
		// looked at first, all at once, so that the memory fetches overlap
		// where one line at a time would wait for each in turn.
		n := 0
		for n < len(batch) {
			b := &batch[n]
			var ok bool
			if b.wt, b.rest, b.key, b.next, ok = scanPlain(piece, at); !ok {
				break
			}
			b.at, at = at, b.next
			n++
		}
		w.packed.touch(batch[:n])
		for _, b := range batch[:n] {
			w.line++
			if err := w.count(piece[b.at:b.next], b.wt, b.rest, b.key, true); err != nil {
				return w.line, -1, err
			}
		}
		if n > 0 {
			continue
		}
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
	if line[0] == '(' {
		// A ballot id is dropped, and the line read as if it had none,
		// when that cannot change what general would say of it.
		if i := bytes.IndexAny(line, " \t"); i > 0 && line[i-1] == ')' && oneWord(line[:i]) {
			if rest := trimLine(line[i:]); rest[0] >= '1' && rest[0] <= '9' {
				line = rest
			}
		}
	}
	wt, rest, plain := plainWeight(line)
	if !plain {
		g, wt, err := w.general(line)
		if err != nil {
			return err
		}
		return w.add(g, wt)
	}
	key, packed := pack(rest)
	return w.count(line, wt, rest, key, packed)
}

// oneWord reports whether b holds only printable ASCII, so that no reading
// of white space could split it.
func oneWord(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// count counts a ballot line whose weight, wt, is plain digits, and whose
// ranking is the bytes rest, packed to key if packed. The ranking bytes
// alone decide whether a line is valid, so a ranking seen before is
// counted without being read again.
func (w *bltGroups) count(line []byte, wt int64, rest []byte, key packedKey, packed bool) error {
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

// scanPlain reads the commonest line at piece[at:] in one pass: a weight
// of digits alone, white space, a ranking of digits, spaces and tabs (up
// to 32 bytes, packed as pack packs them, eight bytes at a time) and the
// line's end. It returns the weight, the ranking, its key and where the
// next line starts; false for any other line, which lines reads the long
// way.
func scanPlain(piece []byte, at int) (wt int64, rest []byte, key packedKey, next int, ok bool) {
	i := at
	for ; i < len(piece) && piece[i]-'0' <= 9; i++ {
		if i-at == 13 {
			return
		}
		wt = wt*10 + int64(piece[i]-'0')
	}
	if i == at || wt < 1 || wt > 1<<40 || i == len(piece) || (piece[i] != ' ' && piece[i] != '\t') {
		return
	}
	for i < len(piece) && (piece[i] == ' ' || piece[i] == '\t') {
		i++
	}
	rs := i
	var words [4]uint32
	for c := range words {
		if i+8 > len(piece) {
			return // the last line of a piece: the long way
		}
		n, v := packWord(binary.LittleEndian.Uint64(piece[i:]))
		words[c] = v
		i += n
		if n < 8 {
			break
		}
	}
	key = packedKey{uint64(words[0]) | uint64(words[1])<<32, uint64(words[2]) | uint64(words[3])<<32}
	re := i
	if i < len(piece) && piece[i] == '\r' {
		i++
	}
	if re == rs || re-rs > 32 || i == len(piece) || piece[i] != '\n' || i+1-at > bltMaxLine {
		return 0, nil, packedKey{}, 0, false
	}
	return wt, piece[rs:re], key, i + 1, true
}

// packWord packs eight bytes, the first in the low byte of x: how many of
// them, from the first, are digits, spaces or tabs, and those bytes as
// nibbles (packNibble), the first in the low nibble. It is pack for eight
// bytes at once, with no branch on the bytes.
func packWord(x uint64) (int, uint32) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	ascii := ^x & highs
	digit := (x + 0x50*ones) &^ (x + 0x46*ones) & ascii // 0x30 <= b < 0x3a
	space := isZeroByte(x ^ 0x20*ones)
	tab := isZeroByte(x ^ 0x09*ones)
	n := bits.TrailingZeros64(^(digit|space|tab)&highs) >> 3
	v := (x&(0x0f*ones) + ones) + (space>>7)*10 + (tab>>7)*2 // digits 1-10, space 11, tab 12
	if n < 8 {
		v &= 1<<(8*n) - 1
	}
	v = (v | v>>4) & 0x00ff00ff00ff00ff
	v = (v | v>>8) & 0x0000ffff0000ffff
	v = (v | v>>16) & 0xffffffff
	return n, uint32(v)
}

// isZeroByte sets the high bit of each byte of x that is 0, and no other.
func isZeroByte(x uint64) uint64 {
	const lows, highs = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	return ^((x&lows + lows) | x) & highs
}

// pack packs the bytes of a ranking written with digits, spaces and tabs
// alone, up to 32 of them, into two words, four bits a byte: byte i in
// nibble i%8 of 32-bit word i/8. The same bytes give the same key,
// different bytes a different one (no nibble is 0). It does not read the
// numbers: that is done once, for the first line with the key.
func pack(rest []byte) (packedKey, bool) {
	var words [4]uint32
	if len(rest) > 32 {
		return packedKey{}, false
	}
	for i, c := range rest {
		v := packNibble[c]
		if v == 0 {
			return packedKey{}, false
		}
		words[i/8] |= uint32(v) << (4 * (i % 8))
	}
	return packedKey{uint64(words[0]) | uint64(words[1])<<32, uint64(words[2]) | uint64(words[3])<<32}, true
}

// packNibble numbers the bytes pack packs from 1; 0 for any other.
var packNibble = [256]uint8{'0': 1, '1': 2, '2': 3, '3': 4, '4': 5, '5': 6, '6': 7, '7': 8, '8': 9, '9': 10, ' ': 11, '\t': 12}

// reserve makes room for one more group of up to prefs preferences,
// doubling the store when it is full: append would grow a large slice by
// a quarter at a time, copying it over and over.
func (w *bltGroups) reserve(prefs int) {
	b := &w.b
	if len(b.prefs)+prefs > cap(b.prefs) {
		b.prefs = slices.Grow(b.prefs, max(prefs, cap(b.prefs), 1024))
	}
	if len(b.offsets)+2 > cap(b.offsets) {
		b.offsets = slices.Grow(b.offsets, max(cap(b.offsets), 256))
	}
	if len(b.weights) == cap(b.weights) {
		b.weights = slices.Grow(b.weights, max(cap(b.weights), 256))
	}
}

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
	seed  uint64 // random, so that no file can be made to put its rankings in one slot
	sink  int64  // see touch
}

// packedSlot is one ranking's ballots: wt is 0 in an empty slot, as no
// line weighs 0.
type packedSlot struct {
	key packedKey
	wt  int64
}

type packedKey struct{ a, b uint64 }

func (t *packedGroups) slot(k packedKey) int {
	h := (k.a^t.seed)*0x9e3779b97f4a7c15 ^ (k.b+t.seed)*0xc2b2ae3d27d4eb4f
	h ^= h >> 29
	h *= 0xff51afd7ed558ccd
	return int(h >> t.shift)
}

// plainLine is a line scanPlain read.
type plainLine struct {
	wt       int64
	rest     []byte
	key      packedKey
	at, next int
}

// touch reads the slot where each line's key would start its search, so
// that the loads are issued together.
func (t *packedGroups) touch(batch []plainLine) {
	if t.n == 0 {
		return
	}
	var sum int64
	for i := range batch {
		sum += t.slots[t.slot(batch[i].key)].wt
	}
	t.sink = sum
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
		if t.seed == 0 {
			t.seed = rand.Uint64() | 1 // where groups sit in the table never shows in the result
		}
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
