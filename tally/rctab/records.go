package rctab

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Records one by one. The count groups identical ballots, but RCTab's CDF
// JSON output and its conversions list every cast vote record in the
// order read, with the identifiers it read them with. When the contest
// asks for CDF output (or for a conversion) Ballots keeps this log beside
// its groups: one entry per record, naming its group.

// cvrInfo is what RCTab keeps of one cast vote record beside its rankings.
type cvrInfo struct {
	id        string // RCTab's own id ("cvr.xlsx-3", "42-1-7", "cvr.json(2)"); derived when empty
	vendorID  string // the id the vendor's file gave the record, if any
	contestID string
	tabulator string
	batch     string
	precinct  string
	portion   string // Dominion's precinct portion
	// spell holds the spelling the file used for a candidate when it was
	// an alias (a Dominion code, another file's name); RCTab's CDF output
	// names selections by it.
	spell map[int16]string
}

// recordLog lists records in the order read.
type recordLog struct {
	group  []int32
	source []int32 // index into Config.Sources
	info   []cvrInfo
	// spellings are interned: most files spell every candidate one way
	spelling  []int32 // per record, index into spellSets, -1 for none
	spellSets []map[int16]string
	spellIdx  map[string]int32
}

// noteSpelling remembers that the record being read names candidate c as
// name, when that is an alias.
func (l *labels) noteSpelling(c int16, name string) {
	if !l.cfg.Raw.OutputSettings.GenerateCdfJSON || name == l.cfg.CandidateName(int(c)) {
		return // only the CDF output uses spellings
	}
	if l.spell == nil {
		l.spell = map[int16]string{}
	}
	if _, ok := l.spell[c]; !ok {
		l.spell[c] = name
	}
}

// takeSpellings returns the aliases noted since the last call.
func (l *labels) takeSpellings() map[int16]string {
	sp := l.spell
	l.spell = nil
	return sp
}

// internSpelling returns the index of sp in l.spellSets (-1 when empty).
func (l *recordLog) internSpelling(sp map[int16]string) int32 {
	if len(sp) == 0 {
		return -1
	}
	keys := make([]int, 0, len(sp))
	for c := range sp {
		keys = append(keys, int(c))
	}
	sort.Ints(keys)
	var kb strings.Builder
	for _, c := range keys {
		fmt.Fprintf(&kb, "%d=%s\x00", c, sp[int16(c)])
	}
	if l.spellIdx == nil {
		l.spellIdx = map[string]int32{}
	}
	if i, ok := l.spellIdx[kb.String()]; ok {
		return i
	}
	i := int32(len(l.spellSets))
	l.spellSets = append(l.spellSets, sp)
	l.spellIdx[kb.String()] = i
	return i
}

// spellingOf returns the aliases record k used (nil for none).
func (l *recordLog) spellingOf(k int) map[int16]string {
	if i := l.spelling[k]; i >= 0 {
		return l.spellSets[i]
	}
	return nil
}

// addRecord adds one cast vote record with what is known of it.
func (b *Ballots) addRecord(ms []mark, info cvrInfo) {
	g := b.addWeighted(ms, [numSlices]int32{b.sliceIndex(slicePrecinct, info.precinct), b.sliceIndex(sliceBatch, info.batch)}, 1)
	if b.recs != nil {
		b.recs.group = append(b.recs.group, g)
		b.recs.source = append(b.recs.source, 0)
		b.recs.spelling = append(b.recs.spelling, b.recs.internSpelling(info.spell))
		info.spell = nil
		b.recs.info = append(b.recs.info, info)
	}
}

// setSource marks every record logged so far as read from source i.
func (l *recordLog) setSource(i int) {
	if l == nil {
		return
	}
	for k := range l.source {
		l.source[k] = int32(i)
	}
}

// appendFrom appends o's records, whose groups are remap[g] in l's Ballots.
func (l *recordLog) appendFrom(o *recordLog, remap []int32) {
	if l == nil || o == nil {
		return
	}
	for k, g := range o.group {
		l.group = append(l.group, remap[g])
		l.source = append(l.source, o.source[k])
		l.info = append(l.info, o.info[k])
		l.spelling = append(l.spelling, l.internSpelling(o.spellingOf(k)))
	}
}

// recordIDs returns RCTab's id of every record: the reader's, or, when it
// gave none, "<file name>-<n>" with n counting the source's records from 1
// (RCTab's computed id for a spreadsheet row).
func recordIDs(cfg *Config, l *recordLog) []string {
	ids := make([]string, len(l.info))
	n := map[int32]int{}
	for k, in := range l.info {
		src := l.source[k]
		n[src]++
		if in.id != "" {
			ids[k] = in.id
			continue
		}
		ids[k] = fmt.Sprintf("%s-%d", sanitizeForOutput(filepath.Base(cfg.Sources[src].Path)), n[src])
	}
	return ids
}
