package rctab

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// The NIST SP 1500-103 cast vote record report in its XML encoding (CDF
// 1.0, as NIST's samples and Unisyn OVCS write it), read the way RCTab's
// CommonDataFormatReader reads it.
//
// The file is streamed: each <CVR> is read token by token into a few
// integers per mark, never into a tree, so a million-ballot report costs
// memory for its marks only. Reports usually put their CVRs before the
// <Election> that names the contests and candidates, so marks are kept
// in that compact form (ids interned) until the end of the file, then
// resolved; once the contest is known, marks of other contests are
// dropped as each CVR ends.

// xmlElection is the report's election: candidates and contests, small
// enough to decode whole.
type xmlElection struct {
	Candidate []struct {
		ID   string `xml:"ObjectId,attr"`
		Name string `xml:"Name"`
	} `xml:"Candidate"`
	Contest []struct {
		ID               string `xml:"ObjectId,attr"`
		Name             string `xml:"Name"`
		ContestSelection []struct {
			ID           string   `xml:"ObjectId,attr"`
			CandidateIDs []string `xml:"CandidateIds"`
			IsWriteIn    string   `xml:"IsWriteIn"`
		} `xml:"ContestSelection"`
	} `xml:"Contest"`
}

type xmlGpUnit struct {
	ID   string `xml:"ObjectId,attr"`
	Name string `xml:"Name"`
}

// xent is one mark of a CVR as read, before the election is known. A
// CVRContest starts with a marker entry (sel == selMarker) that carries
// its contest.
type xent struct {
	contest int32 // interned ContestId
	sel     int32 // interned ContestSelectionId, noID when absent
	rank    int32 // rankMissing, rankBad, or the rank
	line    int32
	flags   uint8
}

// xcvr is one CVR's place in the buffered entries.
type xcvr struct {
	line  int32
	gp    int32 // interned BallotStyleUnitId, noID when absent
	start int32 // entries[start:next.start]
}

const (
	noID        = -1
	selMarker   = -2
	rankMissing = -1
	rankBad     = -2

	fWriteIn = 1 // a CVRWriteIn at this position or an earlier one
	fNoMark  = 2 // a selection with no allocable position: checked, not counted
)

type xmlCDFReader struct {
	cfg  *Config
	src  *Source
	dec  *xml.Decoder
	open []xml.Name // elements open, checked against their ends (RawToken does not)
	text []byte     // character data of the innermost element

	ids   map[string]int32
	names []string

	cvrs    []xcvr
	entries []xent
	tmp     []xent // the CVR being read, all snapshots
	snaps   []xsnap

	election  *xmlElection
	contestID int32 // interned id of the contest, noID until known
	gpUnits   map[string]string
	sawCVR    bool
	root      bool // the document element has been read

	// partial: this reader reads a part of the file that ends between two
	// children of the document element (read_xmlcdf_split.go).
	partial bool
}

// xsnap is one CVRSnapshot of the CVR being read: its id and entries.
type xsnap struct {
	id       string
	from, to int
}

// parseCDFXML reads a CDF XML report from r as one stream.
func parseCDFXML(cfg *Config, src *Source, r io.Reader, out *Ballots) error {
	p := newXMLCDFReader(cfg, src, r)
	if err := p.read(); err != nil {
		return err
	}
	if err := p.check(); err != nil {
		return err
	}
	return p.resolve(out)
}

func newXMLCDFReader(cfg *Config, src *Source, r io.Reader) *xmlCDFReader {
	return &xmlCDFReader{cfg: cfg, src: src, dec: xml.NewDecoder(r), ids: map[string]int32{}, contestID: noID, gpUnits: map[string]string{}}
}

func (p *xmlCDFReader) fail(line int, format string, a ...any) error {
	return &ParseError{File: p.src.Path, Line: line, Msg: fmt.Sprintf(format, a...)}
}

func (p *xmlCDFReader) decodeErr(err error) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		line, _ := p.dec.InputPos()
		return p.fail(line, "invalid XML: the file ends inside an element")
	}
	return xmlErr(p.src.Path, p.dec, err)
}

func (p *xmlCDFReader) intern(b []byte) int32 {
	if id, ok := p.ids[string(b)]; ok {
		return id
	}
	id := int32(len(p.names))
	s := string(b)
	p.ids[s] = id
	p.names = append(p.names, s)
	return id
}

func (p *xmlCDFReader) line() int32 {
	l, _ := p.dec.InputPos()
	return int32(l)
}

// read walks the report's top level: <CVR>, <Election> and <GpUnit>
// elements; everything else is skipped.
func (p *xmlCDFReader) read() error {
	for {
		tok, err := p.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return p.decodeErr(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if p.root && len(p.open) == 1 { // a second document element
			return p.fail(int(p.line()), "invalid XML: <%s> after the end of <CastVoteRecordReport>", se.Name.Local)
		}
		if !p.root {
			if se.Name.Local != "CastVoteRecordReport" {
				return p.fail(int(p.line()), "the document element is <%s>, want <CastVoteRecordReport>", se.Name.Local)
			}
			p.root = true
			continue
		}
		switch se.Name.Local {
		case "CVR":
			p.sawCVR = true
			if err := p.readCVR(); err != nil {
				return err
			}
		case "Election":
			var el xmlElection
			if err := p.decodeElement(&el, se); err != nil {
				return err
			}
			if err := p.addElection(&el); err != nil {
				return err
			}
		case "GpUnit":
			var u xmlGpUnit
			if err := p.decodeElement(&u, se); err != nil {
				return err
			}
			if _, dup := p.gpUnits[u.ID]; dup {
				return p.fail(int(p.line()), "GpUnit %q appears twice", u.ID)
			}
			p.gpUnits[u.ID] = u.Name
		default:
			if err := p.skip(); err != nil {
				return p.decodeErr(err)
			}
		}
	}
	return nil
}

// check refuses a report without the parts RCTab needs, once it is read.
func (p *xmlCDFReader) check() error {
	if !p.root {
		return p.fail(0, "not an XML cast vote record report (no <CastVoteRecordReport>)")
	}
	if p.election == nil {
		return p.fail(0, "not a CDF cast vote record report (no <Election>)")
	}
	if !p.sawCVR {
		return p.fail(0, "not a CDF cast vote record report (no <CVR>)")
	}
	return nil
}

// addElection merges an <Election>'s candidates and, the first time the
// source's contest is found, its selections.
func (p *xmlCDFReader) addElection(el *xmlElection) error {
	if p.election == nil {
		p.election = &xmlElection{}
	}
	seen := map[string]bool{}
	for _, c := range p.election.Candidate {
		seen[c.ID] = true
	}
	for _, c := range el.Candidate {
		if seen[c.ID] {
			return p.fail(int(p.line()), "Candidate %q appears twice", c.ID)
		}
		seen[c.ID] = true
	}
	p.election.Candidate = append(p.election.Candidate, el.Candidate...)
	for _, ct := range el.Contest {
		if ct.Name == p.src.ContestID && p.contestID == noID {
			p.election.Contest = append(p.election.Contest, ct)
			p.contestID = p.intern([]byte(ct.ID))
		}
	}
	return nil
}

// resolve turns the buffered entries into ballots now that the election
// is known.
func (p *xmlCDFReader) resolve(out *Ballots) error {
	if p.contestID == noID {
		return p.fail(0, "contest %q (cvrFileSources contestId) not found", p.src.ContestID)
	}
	candidates := map[string]string{}
	for _, c := range p.election.Candidate {
		candidates[c.ID] = c.Name
	}
	// What each selection of the contest means, by interned id.
	type selection struct {
		known, write, overvote bool
		name                   string
	}
	sels := make([]selection, len(p.names))
	ct := p.election.Contest[0]
	for _, cs := range ct.ContestSelection {
		id, ok := p.ids[cs.ID]
		if !ok {
			continue // no CVR names it
		}
		if sels[id].known {
			return p.fail(0, "Contest %q: ContestSelection %q appears twice", ct.Name, cs.ID)
		}
		s := selection{known: true}
		switch {
		case cs.IsWriteIn == "true":
			s.write = true
		case len(cs.CandidateIDs) == 0:
			return p.fail(0, "ContestSelection %q has no CandidateIds", cs.ID)
		default:
			name, ok := candidates[cs.CandidateIDs[0]]
			if !ok {
				return p.fail(0, "ContestSelection %q names unknown candidate %q", cs.ID, cs.CandidateIDs[0])
			}
			s.name = name
			s.overvote = p.src.OvervoteLabel != "" && name == p.src.OvervoteLabel
		}
		sels[id] = s
	}
	lab := newLabels(p.cfg, p.src)
	uwi := int16(p.cfg.uwiIndex())
	var ms []mark
	for i, c := range p.cvrs {
		end := len(p.entries)
		if i+1 < len(p.cvrs) {
			end = int(p.cvrs[i+1].start)
		}
		ms = ms[:0]
		inContest, found := false, false
		for _, e := range p.entries[c.start:end] {
			if e.sel == selMarker {
				if inContest { // RCTab reads the first CVRContest of the contest
					break
				}
				inContest = e.contest == p.contestID
				found = found || inContest
				continue
			}
			if !inContest {
				continue
			}
			where := fmt.Sprintf("CVR at line %d", c.line)
			if e.sel < 0 || !sels[e.sel].known {
				id := ""
				if e.sel >= 0 {
					id = p.names[e.sel]
				}
				return p.fail(int(e.line), "%s: ContestSelection %q is not a selection of contest %q", where, id, p.src.ContestID)
			}
			if e.flags&fNoMark != 0 {
				continue
			}
			switch {
			case e.rank == rankMissing:
				return p.fail(int(e.line), "%s: SelectionPosition has no Rank", where)
			case e.rank == rankBad || e.rank < 1 || e.rank > 65535:
				return p.fail(int(e.line), "%s: Rank is not a number from 1 to 65535", where)
			}
			s := sels[e.sel]
			var cand int16
			var ok bool
			switch {
			case s.write || e.flags&fWriteIn != 0:
				cand, ok = uwi, true
				if uwi < 0 { // no write-in label configured
					cand, ok = lab.resolve(UWIName)
				}
			case s.overvote:
				cand, ok = candOvervote, true
			default:
				cand, ok = lab.resolve(s.name)
			}
			if ok {
				ms = append(ms, mark{rank: uint16(e.rank), cand: cand})
			}
		}
		if !found { // a CVR without the contest is not its ballot
			continue
		}
		precinct := ""
		if c.gp != noID {
			name, ok := p.gpUnits[p.names[c.gp]]
			if !ok {
				return p.fail(int(c.line), "CVR at line %d: GpUnit %q (BallotStyleUnitId) not found", c.line, p.names[c.gp])
			}
			precinct = name
		}
		out.addSliced(ms, precinct, "")
	}
	return lab.err(p.src.Path)
}
