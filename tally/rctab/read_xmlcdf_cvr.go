package rctab

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
)

// Token-level reading of a CDF XML report: the checked raw token stream,
// small elements decoded through it, and one <CVR> read into entries.

// next is the decoder's next raw token. RawToken is used, not Token: it
// skips namespace bookkeeping this reader does not need (names are
// matched by local name, as RCTab's reader does) and allocates about a
// quarter less; next checks instead that every end tag closes the element open.
func (p *xmlCDFReader) next() (xml.Token, error) {
	tok, err := p.dec.RawToken()
	if err != nil {
		if errors.Is(err, io.EOF) && len(p.open) > 0 && !(p.partial && len(p.open) == 1) {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		p.open = append(p.open, t.Name)
	case xml.EndElement:
		n := len(p.open)
		if n == 0 {
			return nil, p.fail(int(p.line()), "invalid XML: unexpected end element </%s>", qname(t.Name))
		}
		if open := p.open[n-1]; open != t.Name {
			return nil, p.fail(int(p.line()), "invalid XML: element <%s> closed by </%s>", qname(open), qname(t.Name))
		}
		p.open = p.open[:n-1]
	}
	return tok, nil
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// subtree feeds one element's tokens (its start already read) to a
// token decoder, so that small parts (<Election>, <GpUnit>) decode into
// structs while the stream is read with RawToken.
type subtree struct {
	p     *xmlCDFReader
	start *xml.StartElement
	depth int
	done  bool
}

// Token implements xml.TokenReader.
func (s *subtree) Token() (xml.Token, error) {
	if s.start != nil {
		se := *s.start
		s.start = nil
		s.depth = 1
		return se, nil
	}
	if s.done {
		return nil, io.EOF
	}
	tok, err := s.p.next()
	if err != nil {
		return nil, err
	}
	switch tok.(type) {
	case xml.StartElement:
		s.depth++
	case xml.EndElement:
		s.depth--
		s.done = s.depth == 0
	}
	return tok, nil
}

// decodeElement decodes the element se starts into v.
func (p *xmlCDFReader) decodeElement(v any, se xml.StartElement) error {
	if err := xml.NewTokenDecoder(&subtree{p: p, start: &se}).Decode(v); err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return err
		}
		return p.decodeErr(err)
	}
	return nil
}

// skip reads past the element whose start was just read.
func (p *xmlCDFReader) skip() error {
	for depth := 1; depth > 0; {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// readCVR reads one <CVR> (its start already read) into p.tmp, then keeps
// the current snapshot's entries.
func (p *xmlCDFReader) readCVR() error {
	cvrLine := p.line()
	p.tmp, p.snaps = p.tmp[:0], p.snaps[:0]
	var (
		stack    [8]string // element names below <CVR>, as deep as we look
		depth    int
		gp       int32 = noID
		current  []byte
		snapFrom int
		snapID   string
		contest  = -1 // index in tmp of the open CVRContest's marker
		sel      selState
		pos      posState
	)
	for {
		tok, err := p.next()
		if err != nil {
			return p.decodeErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.text = p.text[:0]
			if depth < len(stack) {
				stack[depth] = t.Name.Local
			}
			depth++
			switch {
			case depth == 1 && t.Name.Local == "CVRSnapshot":
				snapFrom, snapID = len(p.tmp), ""
				for _, a := range t.Attr {
					if a.Name.Local == "ObjectId" {
						snapID = a.Value
					}
				}
			case depth == 2 && stack[0] == "CVRSnapshot" && t.Name.Local == "CVRContest":
				contest = len(p.tmp)
				p.tmp = append(p.tmp, xent{contest: noID, sel: selMarker, line: p.line()})
			case depth == 3 && contest >= 0 && t.Name.Local == "CVRContestSelection":
				sel = selState{id: noID, rank: rankMissing, line: p.line(), positions: sel.positions[:0]}
			case depth == 4 && stack[2] == "CVRContestSelection" && t.Name.Local == "SelectionPosition":
				pos = posState{rank: rankMissing, line: p.line()}
			case depth == 5 && stack[3] == "SelectionPosition" && t.Name.Local == "CVRWriteIn":
				pos.writeIn = true
			}
		case xml.CharData:
			p.text = append(p.text, t...)
		case xml.EndElement:
			if depth == 0 {
				return p.endCVR(cvrLine, gp, current)
			}
			depth--
			name := t.Name.Local
			v := bytes.TrimSpace(p.text)
			switch depth {
			case 0:
				switch name {
				case "BallotStyleUnitId":
					gp = p.intern(v)
				case "CurrentSnapshotId":
					current = append(current[:0], v...)
				case "CVRSnapshot":
					p.snaps = append(p.snaps, xsnap{id: snapID, from: snapFrom, to: len(p.tmp)})
				}
			case 1:
				if name == "CVRContest" && contest >= 0 {
					for i := contest + 1; i < len(p.tmp); i++ {
						p.tmp[i].contest = p.tmp[contest].contest
					}
					contest = -1
				}
			case 2:
				if contest < 0 {
					break
				}
				switch name {
				case "ContestId":
					p.tmp[contest].contest = p.intern(v)
				case "CVRContestSelection":
					p.endSelection(&sel)
				}
			case 3:
				if stack[2] != "CVRContestSelection" || contest < 0 {
					break
				}
				switch name {
				case "ContestSelectionId":
					sel.id = p.intern(v)
				case "Rank":
					sel.rank = parseRank(v)
				case "Status":
					if string(v) == "needs-adjudication" {
						sel.adjudicate = true
					}
				case "SelectionPosition":
					sel.positions = append(sel.positions, pos)
				}
			case 4:
				if stack[3] != "SelectionPosition" || contest < 0 {
					break
				}
				switch name {
				case "HasIndication":
					pos.noIndication = string(v) == "no"
				case "IsAllocable":
					pos.notAllocable = string(v) == "no"
				case "Rank":
					pos.rank = parseRank(v)
				}
			}
			p.text = p.text[:0]
		}
	}
}

type selState struct {
	id         int32
	rank       int32
	line       int32
	adjudicate bool
	positions  []posState
}

type posState struct {
	rank                       int32
	line                       int32
	writeIn                    bool
	noIndication, notAllocable bool
}

func parseRank(v []byte) int32 {
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 0 || n > 1<<30 {
		return rankBad
	}
	return int32(n)
}

// endSelection turns a CVRContestSelection into entries as RCTab reads
// it: one mark at the selection's Rank, or one per allocable position; a
// CVRWriteIn at a position makes that and later positions write-ins.
// Selections awaiting adjudication are left out.
func (p *xmlCDFReader) endSelection(s *selState) {
	if s.adjudicate {
		return
	}
	if s.rank != rankMissing {
		p.tmp = append(p.tmp, xent{sel: s.id, rank: s.rank, line: s.line})
		return
	}
	var flags uint8
	n := 0
	for _, ps := range s.positions {
		if ps.writeIn {
			flags |= fWriteIn
		}
		if ps.noIndication || ps.notAllocable {
			continue
		}
		p.tmp = append(p.tmp, xent{sel: s.id, rank: ps.rank, line: ps.line, flags: flags})
		n++
	}
	if n == 0 { // the selection id must still name one of the contest's
		p.tmp = append(p.tmp, xent{sel: s.id, line: s.line, flags: fNoMark})
	}
}

// endCVR keeps the current snapshot's entries of the CVR just read (of
// the source's contest only, once that is known).
func (p *xmlCDFReader) endCVR(line, gp int32, current []byte) error {
	start := len(p.entries)
	for _, s := range p.snaps {
		if s.id != string(current) {
			continue
		}
		keep := false
		for _, e := range p.tmp[s.from:s.to] {
			if e.sel == selMarker {
				keep = p.contestID == noID || e.contest == p.contestID
			}
			if keep {
				p.entries = append(p.entries, e)
			}
		}
		break
	}
	if len(p.entries) > start { // a CVR without the contest is not its ballot
		p.cvrs = append(p.cvrs, xcvr{line: line, gp: gp, start: int32(start)})
	}
	return nil
}
