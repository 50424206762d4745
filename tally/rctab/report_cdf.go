package rctab

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// NIST CDF JSON output (outputSettings.generateCdfJson, and conversions):
// every cast vote record with its rankings as read ("original" snapshot)
// and, after a count, one "interpreted" snapshot per round saying which
// candidate the ballot counted for, as RCTab's ResultsWriter writes it.

const (
	cdfContestID  = "contest-001"
	cdfElectionID = "election-001"
	cdfGpUnitID   = "gpu-election"
	cdfDeviceID   = "rd-001"
	// explicitOvervoteName is RCTab's name for the overvote label.
	explicitOvervoteName = "overvote"
)

// cdfSnapshots holds, per group of identical ballots, where its vote went
// each time the count moved it (RCTab logs a snapshot only then; later
// rounds repeat the last one).
type cdfSnapshots struct {
	byGroup [][]cdfSnap
}

type cdfSnap struct {
	round  int
	allocs []alloc // parts left with past winners, then the current recipient
}

// snapshot notes where group g's vote stands after the count moved it in
// round, when the contest asks for CDF output.
func (t *tabulator) snapshot(g, round int) {
	if !t.cfg.Raw.OutputSettings.GenerateCdfJSON {
		return
	}
	if t.snaps == nil {
		t.snaps = &cdfSnapshots{byGroup: make([][]cdfSnap, len(t.st))}
	}
	s := &t.st[g]
	var data []alloc
	if len(s.allocs) > 0 {
		// RCTab keeps winners' parts in a HashMap keyed by name
		names := make([]string, len(s.allocs))
		byName := map[string]alloc{}
		for i, a := range s.allocs {
			names[i] = t.name(a.cand)
			byName[names[i]] = a
		}
		for _, nm := range javaHashOrder(names) {
			data = append(data, byName[nm])
		}
	}
	if s.recipient >= 0 {
		data = append(data, alloc{cand: s.recipient, value: s.value})
	}
	t.snaps.byGroup[g] = append(t.snaps.byGroup[g], cdfSnap{round: round, allocs: data})
}

// sanitizeForOutput replaces what RCTab does not allow in ids and file
// names with "_".
func sanitizeForOutput(s string) string { return unsafeFileChars.ReplaceAllString(s, "_") }

func cdfSelectionID(name string) string { return "cs-" + strings.ToLower(sanitizeForOutput(name)) }
func cdfCandidateID(name string) string { return "c-" + strings.ToLower(sanitizeForOutput(name)) }

func cdfSnapshotID(id string, round int) string {
	if round > 0 {
		return fmt.Sprintf("ballot-%s-round-%d", id, round)
	}
	return "ballot-" + id
}

// markName is the name RCTab gives a mark in its outputs.
func (c *Config) markName(m mark) string {
	if m.cand == candOvervote {
		return explicitOvervoteName
	}
	return c.CandidateName(int(m.cand))
}

// cdfJSON renders the CDF JSON report of b's records. t is the count
// (nil for a plain conversion, which writes the original snapshots only).
func (c *Config) cdfJSON(b *Ballots, t *Tabulation) ([]byte, error) {
	if b == nil || b.recs == nil {
		return nil, fmt.Errorf("rctab: the cast vote records were not kept for CDF output")
	}
	numRounds := 0
	var snaps *cdfSnapshots
	if t != nil {
		numRounds = len(t.Rounds)
		snaps = t.snaps
	}
	byPrecinct := c.Raw.OutputSettings.TabulateByPrecinct
	gpUnits := map[string]string{}
	var precincts []string
	if byPrecinct {
		precincts = javaHashOrder(b.sliceIDs[slicePrecinct])
		for i, p := range precincts {
			gpUnits[p] = fmt.Sprintf("gpu-%d", i+1)
		}
	}
	ids := recordIDs(c, b.recs)
	cvrs := &jnode{isArr: true}
	for k, g := range b.recs.group {
		id := sanitizeForOutput(ids[k])
		ms := b.group(int(g))
		shots := &jnode{isArr: true}
		spell := b.recs.spellingOf(k)
		shots.arr = append(shots.arr, c.cdfSnapshot(id, ms, spell, 0, nil))
		var hist []cdfSnap
		if snaps != nil {
			hist = snaps.byGroup[g]
		}
		var cur []alloc
		have := false
		for r, h := 1, 0; r <= numRounds; r++ {
			for h < len(hist) && hist[h].round <= r {
				cur, have = hist[h].allocs, true
				h++
			}
			if !have {
				return nil, fmt.Errorf("rctab: CDF output: no round %d snapshot for cast vote record %s", r, id)
			}
			shots.arr = append(shots.arr, c.cdfSnapshot(id, ms, spell, r, cur))
		}
		m := map[string]*jnode{
			"@type":              jstr("CVR"),
			"BallotPrePrintedId": jstr(id),
			"CurrentSnapshotId":  jstr(cdfSnapshotID(id, numRounds)),
			"CVRSnapshot":        shots,
			"ElectionId":         jstr(cdfElectionID),
		}
		if byPrecinct {
			if gp, ok := gpUnits[b.recs.info[k].precinct]; ok {
				m["BallotStyleUnitId"] = jstr(gp)
			}
		}
		cvrs.arr = append(cvrs.arr, jobj(m))
	}
	units := &jnode{isArr: true, arr: []*jnode{jobj(map[string]*jnode{
		"@id": jstr(cdfGpUnitID), "@type": jstr("GpUnit"), "Type": jstr("other"),
		"OtherType": jstr("Election Scope Jurisdiction"), "Name": jstr(c.Raw.OutputSettings.ContestJurisdiction),
	})}}
	for _, p := range precincts {
		units.arr = append(units.arr, jobj(map[string]*jnode{
			"@id": jstr(gpUnits[p]), "@type": jstr("GpUnit"), "Type": jstr("precinct"), "Name": jstr(p),
		}))
	}
	root := jobj(map[string]*jnode{
		"@type":                     jstr("CVR.CastVoteRecordReport"),
		"CVR":                       cvrs,
		"Election":                  {isArr: true, arr: []*jnode{c.cdfElection()}},
		"GeneratedDate":             jstr(cdfNow()),
		"GpUnit":                    units,
		"ReportGeneratingDeviceIds": {isArr: true, arr: []*jnode{jstr(cdfDeviceID)}},
		"ReportingDevice": {isArr: true, arr: []*jnode{jobj(map[string]*jnode{
			"@id": jstr(cdfDeviceID), "@type": jstr("CVR.ReportingDevice"),
			"Application": jstr("RCTab"), "Manufacturer": jstr("Bright Spots"),
		})}},
		"Version": jstr("1.0.0"),
	})
	var buf bytes.Buffer
	root.write(&buf, 0)
	return buf.Bytes(), nil
}

// cdfSnapshot renders one snapshot of a record: its selections, named as
// the file spelled them (spell holds the aliases), sorted by best rank,
// then name; each with its ranks. In an interpreted snapshot (round > 0)
// a selection is allocable when the ballot counts for that candidate in
// that round (only its first rank when ranked twice).
func (c *Config) cdfSnapshot(id string, ms []mark, spell map[int16]string, round int, allocs []alloc) *jnode {
	type sel struct {
		name  string
		cand  int
		ranks []int
	}
	var sels []*sel
	byName := map[string]*sel{}
	for _, m := range ms {
		nm, ok := spell[m.cand]
		if !ok {
			nm = c.markName(m)
		}
		s := byName[nm]
		if s == nil {
			s = &sel{name: nm, cand: int(m.cand)}
			byName[nm] = s
			sels = append(sels, s)
		}
		s.ranks = append(s.ranks, int(m.rank))
	}
	sort.SliceStable(sels, func(i, j int) bool {
		if sels[i].ranks[0] != sels[j].ranks[0] {
			return sels[i].ranks[0] < sels[j].ranks[0]
		}
		return javaLess(sels[i].name, sels[j].name)
	})
	list := &jnode{isArr: true}
	for _, s := range sels {
		allocable := "unknown"
		votes := Int(1)
		if round > 0 {
			allocable = "no"
			for _, a := range allocs {
				if a.cand == s.cand && s.cand >= 0 {
					allocable, votes = "yes", a.value
					break
				}
			}
		}
		whole, frac := cdfVotes(votes)
		positions := &jnode{isArr: true}
		for _, r := range s.ranks {
			p := map[string]*jnode{
				"@type":         jstr("CVR.SelectionPosition"),
				"HasIndication": jstr("yes"),
				"IsAllocable":   jstr(allocable),
				"NumberVotes":   jnum(whole),
				"Rank":          jnum(int64(r)),
			}
			if frac != "" {
				p["FractionalVotes"] = jstr(frac)
			}
			positions.arr = append(positions.arr, jobj(p))
			if allocable == "yes" {
				allocable = "no" // only the first of duplicate rankings counts
			}
		}
		list.arr = append(list.arr, jobj(map[string]*jnode{
			"@type":              jstr("CVR.CVRContestSelection"),
			"ContestSelectionId": jstr(cdfSelectionID(s.name)),
			"SelectionPosition":  positions,
		}))
	}
	typ := "original"
	if round > 0 {
		typ = "interpreted"
	}
	return jobj(map[string]*jnode{
		"@id":   jstr(cdfSnapshotID(id, round)),
		"@type": jstr("CVR.CVRSnapshot"),
		"CVRContest": {isArr: true, arr: []*jnode{jobj(map[string]*jnode{
			"@type":               jstr("CVR.CVRContest"),
			"CVRContestSelection": list,
			"ContestId":           jstr(cdfContestID),
		})}},
		"Type": jstr(typ),
	})
}

// cdfElection lists the contest's candidates (and the overvote label when
// a source has one), sorted by name.
func (c *Config) cdfElection() *jnode {
	names := append([]string(nil), c.Names...)
	if c.UWI {
		names = append(names, UWIName)
	}
	for _, s := range c.Raw.CVRFileSources {
		if strings.TrimSpace(s.OvervoteLabel) != "" {
			names = append(names, explicitOvervoteName)
			break
		}
	}
	sort.SliceStable(names, func(i, j int) bool { return javaLess(names[i], names[j]) })
	cands := &jnode{isArr: true}
	sels := &jnode{isArr: true}
	for _, nm := range names {
		cands.arr = append(cands.arr, jobj(map[string]*jnode{"@id": jstr(cdfCandidateID(nm)), "Name": jstr(nm)}))
		sels.arr = append(sels.arr, jobj(map[string]*jnode{
			"@id": jstr(cdfSelectionID(nm)), "@type": jstr("ContestSelection"),
			"CandidateIds": {isArr: true, arr: []*jnode{jstr(cdfCandidateID(nm))}},
		}))
	}
	return jobj(map[string]*jnode{
		"@id":       jstr(cdfElectionID),
		"@type":     jstr("Election"),
		"Candidate": cands,
		"Contest": {isArr: true, arr: []*jnode{jobj(map[string]*jnode{
			"@id": jstr(cdfContestID), "@type": jstr("CandidateContest"),
			"ContestSelection": sels, "Name": jstr(c.Raw.OutputSettings.ContestName),
		})}},
		"ElectionScopeId": jstr(cdfGpUnitID),
	})
}

// writeCDF writes <stem>_cdf_cvr.json into dir.
func (c *Config) writeCDF(b *Ballots, t *Tabulation, dir, stem string) error {
	js, err := c.cdfJSON(b, t)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, stem+"_cdf_cvr.json"), js, 0o644); err != nil {
		return fmt.Errorf("rctab: %w", err)
	}
	return nil
}

// cdfVotes splits a vote value as RCTab does: NumberVotes is its integer
// part and FractionalVotes, when the value has a positive fractional
// part, that part as BigDecimal prints it without the leading zero
// (".5000").
func cdfVotes(v Decimal) (int64, string) {
	str := v.String()
	intPart, frac, _ := strings.Cut(str, ".")
	whole, _ := strconv.ParseInt(intPart, 10, 64)
	if v.Sign() <= 0 || strings.Trim(frac, "0") == "" {
		return whole, ""
	}
	return whole, "." + frac
}

// cdfNow is the report's GeneratedDate, in the form RCTab writes it
// (comparisons with RCTab's files skip this line).
func cdfNow() string { return time.Now().Format("2006-01-02T15:04:05Z07:00") }
