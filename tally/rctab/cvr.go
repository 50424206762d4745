package rctab

import (
	"fmt"
	"sort"
	"strings"
	"unsafe"
)

// candOvervote marks an explicit overvote label at a rank (ES&S
// "overvote", or a CDF candidate named like the overvote label).
const candOvervote = -1

// mark is one candidate at one rank of a cast vote record. A rank holding
// several marks is an overvote; a rank number missing between two marks
// is a skipped rank.
type mark struct {
	rank uint16
	cand int16
}

// Ballots holds cast vote records compactly: identical records (same
// marks in the same order) are stored once with a weight, which is what
// makes a million-ballot count fast. Every RCTab rule treats identical
// records identically, so grouping never changes a result.
type Ballots struct {
	marks  []mark
	off    []int32 // group g's marks are marks[off[g]:off[g+1]]
	weight []int64
	index  map[string]int32
	total  int64
	empty  int64 // records with no marks at all

	// Slices (precinct, batch) are kept only when the contest reports by
	// them; records then group by slice too.
	bySlice  [numSlices]bool
	sliceOf  [numSlices][]int32 // per group; -1 when the record has none
	sliceIDs [numSlices][]string
	sliceIdx [numSlices]map[string]int32
	keyBuf   []byte

	recs *recordLog // every record in order, for CDF output and conversions (records.go); nil unless asked
}

// Slice kinds RCTab can report by.
const (
	slicePrecinct = iota
	sliceBatch
	numSlices
)

var sliceNames = [numSlices]string{"Precinct", "Batch"}

func newBallots() *Ballots {
	return &Ballots{off: []int32{0}, index: map[string]int32{}}
}

// newBallotsFor keeps the slices cfg reports by.
func newBallotsFor(cfg *Config) *Ballots {
	b := newBallots()
	b.bySlice[slicePrecinct] = cfg.Raw.OutputSettings.TabulateByPrecinct
	b.bySlice[sliceBatch] = cfg.Raw.OutputSettings.TabulateByBatch
	for k := range b.sliceIdx {
		b.sliceIdx[k] = map[string]int32{}
	}
	if cfg.Raw.OutputSettings.GenerateCdfJSON { // CDF output needs each record (records.go)
		b.recs = &recordLog{}
	}
	return b
}

func (b *Ballots) slicing() bool { return b.bySlice[slicePrecinct] || b.bySlice[sliceBatch] }

func (b *Ballots) sliceIndex(k int, id string) int32 {
	if !b.bySlice[k] || id == "" {
		return -1
	}
	if i, ok := b.sliceIdx[k][id]; ok {
		return i
	}
	i := int32(len(b.sliceIDs[k]))
	b.sliceIdx[k][id] = i
	b.sliceIDs[k] = append(b.sliceIDs[k], id)
	return i
}

// Len is the number of cast vote records read.
func (b *Ballots) Len() int64 { return b.total }

// Groups is the number of distinct records.
func (b *Ballots) Groups() int { return len(b.weight) }

// add records one cast vote record. marks may be reordered.
func (b *Ballots) add(ms []mark) { b.addSliced(ms, "", "") }

// addSliced records one cast vote record with its precinct and batch.
func (b *Ballots) addSliced(ms []mark, precinct, batch string) {
	b.addRecord(ms, cvrInfo{precinct: precinct, batch: batch}) // records.go
}

// addWeighted adds w identical records and returns their group.
func (b *Ballots) addWeighted(ms []mark, slices [numSlices]int32, w int64) int32 {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].rank < ms[j].rank })
	b.total += w
	if len(ms) == 0 {
		b.empty += w
	}
	key := markKey(ms)
	if b.slicing() {
		b.keyBuf = append(b.keyBuf[:0], key...)
		for _, s := range slices {
			b.keyBuf = append(b.keyBuf, byte(s), byte(s>>8), byte(s>>16), byte(s>>24))
		}
		key = unsafe.String(unsafe.SliceData(b.keyBuf), len(b.keyBuf))
	}
	if g, ok := b.index[key]; ok {
		b.weight[g] += w
		return g
	}
	g := int32(len(b.weight))
	b.index[strings.Clone(key)] = g
	b.marks = append(b.marks, ms...)
	b.off = append(b.off, int32(len(b.marks)))
	b.weight = append(b.weight, w)
	for k := range slices {
		b.sliceOf[k] = append(b.sliceOf[k], slices[k])
	}
	return g
}

func (b *Ballots) group(g int) []mark { return b.marks[b.off[g]:b.off[g+1]] }

// labels turns the text of one cell into marks for a source, applying its
// overvote, skipped-rank and write-in labels and the config's aliases.
type labels struct {
	cfg          *Config
	src          *Source
	unrecognized map[string]int
	spell        map[int16]string // aliases used by the record being read (records.go)
}

func newLabels(cfg *Config, src *Source) *labels {
	return &labels{cfg: cfg, src: src, unrecognized: map[string]int{}}
}

// resolve returns the candidate for a name, reporting false for a
// skipped-rank label. Unknown names are counted, as RCTab lists them all
// before refusing the file.
func (l *labels) resolve(name string) (int16, bool) {
	switch {
	case l.src.SkippedRankLabel != "" && name == l.src.SkippedRankLabel:
		return 0, false
	case l.src.OvervoteLabel != "" && name == l.src.OvervoteLabel:
		return candOvervote, true
	case l.src.UndeclaredWriteInLabel != "" && name == l.src.UndeclaredWriteInLabel:
		return int16(l.cfg.uwiIndex()), true
	}
	if i, ok := l.cfg.lookup(name); ok {
		l.noteSpelling(int16(i), name) // records.go
		return int16(i), true
	}
	l.unrecognized[name]++
	return 0, false
}

func (l *labels) err(file string) error {
	if len(l.unrecognized) == 0 {
		return nil
	}
	names := make([]string, 0, len(l.unrecognized))
	for n := range l.unrecognized {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%q (%d)", n, l.unrecognized[n])
	}
	return &ParseError{File: file, Msg: "candidates not in the config: " + strings.Join(parts, ", ")}
}

// ParseError reports malformed cast vote record input with its location.
type ParseError struct {
	File string
	Line int // 1-based line or row; 0 when not applicable
	Msg  string
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// markKey views a record's marks as a map key without copying.
func markKey(ms []mark) string {
	return unsafe.String((*byte)(unsafe.Pointer(unsafe.SliceData(ms))), len(ms)*int(unsafe.Sizeof(mark{})))
}
