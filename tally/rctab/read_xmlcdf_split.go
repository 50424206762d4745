package rctab

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
)

// A large CDF XML file is read in parts, one per core, each with its own
// encoding/xml decoder: tokenising is nearly all the cost of the read.
//
// A part starts at a <CVR> start tag found by a byte search, which could
// in principle sit in a comment or a CDATA section. The split is trusted
// only when it is proven: the part before it must end exactly there,
// with no token cut and only the document element open, and so the part
// after it starts at a real child of the document element. Any error in
// any part, or a part that does not end so, and the file is read again
// from the start as one stream, which gives the one true result or error.

// xmlPartMin is the least bytes per part worth a decoder of its own.
const xmlPartMin = 16 << 20

// readCDFXML reads a NIST CDF XML report for the contest named by the
// source's contestId, in parts when the file is large.
func readCDFXML(cfg *Config, src *Source, out *Ballots) error {
	f, err := os.Open(src.Path)
	if err != nil {
		return &ParseError{File: src.Path, Msg: errText(err)}
	}
	defer f.Close()
	n := 1
	if st, err := f.Stat(); err == nil {
		n = int(min(int64(runtime.GOMAXPROCS(0)), st.Size()/xmlPartMin))
	}
	return readCDFXMLParts(cfg, src, f, n, out)
}

// readCDFXMLParts reads f in up to n parts (one stream when n < 2).
func readCDFXMLParts(cfg *Config, src *Source, f *os.File, n int, out *Ballots) error {
	if n >= 2 {
		if p, ok := readXMLParts(cfg, src, f, n); ok {
			if err := p.check(); err != nil {
				return err
			}
			return p.resolve(out)
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return &ParseError{File: src.Path, Msg: errText(err)}
	}
	return parseCDFXML(cfg, src, bufio.NewReaderSize(f, 1<<16), out)
}

// readXMLParts reads f in parts and merges them into one reader, or
// reports false when the file must be read as one stream.
func readXMLParts(cfg *Config, src *Source, f *os.File, n int) (*xmlCDFReader, bool) {
	st, err := f.Stat()
	if err != nil {
		return nil, false
	}
	size := st.Size()
	root, ok := xmlRootName(f)
	if !ok {
		return nil, false
	}
	bounds := []int64{0}
	for i := 1; i < n; i++ {
		k, ok := nextCVRTag(f, size*int64(i)/int64(n))
		if !ok || k <= bounds[len(bounds)-1] {
			break
		}
		bounds = append(bounds, k)
	}
	if len(bounds) < 2 {
		return nil, false
	}
	bounds = append(bounds, size)
	parts := make([]*xmlCDFReader, len(bounds)-1)
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i := range parts {
		r := io.NewSectionReader(f, bounds[i], bounds[i+1]-bounds[i])
		p := newXMLCDFReader(cfg, src, bufio.NewReaderSize(r, 1<<16))
		p.partial = i < len(parts)-1
		if i > 0 { // it starts inside the document element
			p.root = true
			p.open = append(p.open, root)
		}
		parts[i] = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.read()
			if errs[i] == nil && p.partial && len(p.open) != 1 {
				errs[i] = errors.New("part does not end between children of the document element")
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, false
		}
	}
	m := parts[0]
	lines := m.lines()
	for _, q := range parts[1:] {
		if err := m.merge(q, lines); err != nil {
			return nil, false
		}
		lines += q.lines()
	}
	return m, true
}

// lines is how many line breaks the reader has passed.
func (p *xmlCDFReader) lines() int32 {
	l, _ := p.dec.InputPos()
	return int32(l - 1)
}

// merge appends the CVRs, election and GpUnits that q read (from the part
// of the file after p's, starting lineBase lines in) to p's.
func (p *xmlCDFReader) merge(q *xmlCDFReader, lineBase int32) error {
	remap := make([]int32, len(q.names))
	for i, name := range q.names {
		remap[i] = p.intern([]byte(name))
	}
	base := int32(len(p.entries))
	for _, c := range q.cvrs {
		if c.gp != noID {
			c.gp = remap[c.gp]
		}
		c.line += lineBase
		c.start += base
		p.cvrs = append(p.cvrs, c)
	}
	for _, e := range q.entries {
		if e.contest != noID {
			e.contest = remap[e.contest]
		}
		if e.sel >= 0 {
			e.sel = remap[e.sel]
		}
		e.line += lineBase
		p.entries = append(p.entries, e)
	}
	if q.election != nil {
		if err := p.addElection(q.election); err != nil {
			return err
		}
	}
	for id, name := range q.gpUnits {
		if _, dup := p.gpUnits[id]; dup {
			return fmt.Errorf("GpUnit %q appears twice", id)
		}
		p.gpUnits[id] = name
	}
	p.sawCVR = p.sawCVR || q.sawCVR
	return nil
}

// xmlRootName is the name of the file's document element, read with a
// decoder of its own.
func xmlRootName(f *os.File) (xml.Name, bool) {
	dec := xml.NewDecoder(bufio.NewReader(io.NewSectionReader(f, 0, 1<<20)))
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return xml.Name{}, false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name, se.Name.Local == "CastVoteRecordReport"
		}
	}
}

// nextCVRTag finds the first "<CVR" (or "<prefix:CVR") start tag at or
// after off, looking no further than a few megabytes.
func nextCVRTag(f *os.File, off int64) (int64, bool) {
	const window, limit = 1 << 16, 4 << 20
	buf := make([]byte, window+64)
	for scanned := int64(0); scanned < limit; scanned += window {
		n, err := f.ReadAt(buf, off+scanned)
		if n == 0 {
			return 0, false
		}
		b := buf[:n]
		for i := 0; ; {
			j := bytes.Index(b[i:], []byte("CVR"))
			if j < 0 || i+j >= window { // later matches are found in the next window
				break
			}
			j += i
			if k, ok := cvrTagStart(b, j); ok {
				return off + scanned + int64(k), true
			}
			i = j + 1
		}
		if err != nil { // io.EOF: the file ends within this window
			return 0, false
		}
	}
	return 0, false
}

// cvrTagStart tells whether "CVR" at b[j:] ends a start tag's name, and
// where that tag's "<" is.
func cvrTagStart(b []byte, j int) (int, bool) {
	if j+3 >= len(b) {
		return 0, false
	}
	switch b[j+3] {
	case '>', '/', ' ', '\t', '\n', '\r':
	default:
		return 0, false
	}
	if j >= 1 && b[j-1] == '<' {
		return j - 1, true
	}
	if j < 2 || b[j-1] != ':' {
		return 0, false
	}
	for k := j - 2; k >= 0; k-- { // the prefix: a run of name characters after '<'
		c := b[k]
		if c == '<' {
			return k, k < j-2
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return 0, false
		}
	}
	return 0, false
}
