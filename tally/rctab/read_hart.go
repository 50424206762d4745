package rctab

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Hart Verity exports one XML file per ballot sheet (<Cvr>, namespace
// http://tempuri.org/CVRDesign.xsd); only the parts a ranked count needs.
type hartCVR struct {
	Contests      []hartContest `xml:"Contests>Contest"`
	BatchNumber   string        `xml:"BatchNumber"`
	CvrGUID       string        `xml:"CvrGuid"`
	PrecinctSplit *struct {
		Name string `xml:"Name"`
		ID   string `xml:"Id"`
	} `xml:"PrecinctSplit"`
}

type hartContest struct {
	Name    string       `xml:"Name"`
	ID      string       `xml:"Id"`
	Options []hartOption `xml:"Options>Option"`
}

// hartOption is one candidate of a contest with the ranks given to it:
// Value is read left to right, one digit per rank, "1" where that rank is
// marked ("0100" is rank 2; "0101" marks ranks 2 and 4).
type hartOption struct {
	Name  string `xml:"Name"`
	ID    string `xml:"Id"`
	Value string `xml:"Value"`
}

// utf8BOM starts Hart's files; encoding/xml does not skip it.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readHart reads a Hart folder: every *.xml file in it (not *.sig.xml) is
// one cast vote record, as RCTab reads them. Candidates appear by their
// Hart id (a GUID), which the config maps to names through aliases.
//
// Where a CVR has a detached signature beside it (<file>.sig.xml), the
// signature must verify against Hart's public key before the CVR is
// counted (RCTab, in its certified builds, demands one for every CVR; a
// folder without signatures is read as its test builds read it).
func readHart(cfg *Config, src *Source, out *Ballots) error {
	return readHartWithKey(cfg, src, out, hartPublicKey)
}

func readHartWithKey(cfg *Config, src *Source, out *Ballots, key rsaKeyValue) error {
	entries, err := os.ReadDir(src.Path)
	if err != nil {
		return &ParseError{File: src.Path, Msg: "not a readable Hart CVR folder: " + errText(err)}
	}
	var files []string
	for _, e := range entries {
		lower := strings.ToLower(e.Name())
		if e.IsDir() || !strings.HasSuffix(lower, "xml") || strings.HasSuffix(lower, ".sig.xml") {
			continue
		}
		files = append(files, filepath.Join(src.Path, e.Name()))
	}
	if len(files) == 0 {
		return &ParseError{File: src.Path, Msg: "no Hart CVR files (*.xml) in the folder"}
	}
	sort.Strings(files) // RCTab takes the folder's order; ours is stable
	h := newHartReader(cfg, src, out)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return &ParseError{File: f, Msg: errText(err)}
		}
		if _, err := os.Stat(f + ".sig.xml"); err == nil {
			if err := verifyHart(data, f, f+".sig.xml", key); err != nil {
				return err
			}
		}
		if err := h.parse(f, data); err != nil {
			return err
		}
	}
	return h.lab.err(src.Path)
}

// hartReader keeps what must agree across a folder's files.
type hartReader struct {
	cfg   *Config
	src   *Source
	out   *Ballots
	lab   *labels
	names map[string]string // candidate id -> name first seen, as RCTab checks
	ms    []mark
}

func newHartReader(cfg *Config, src *Source, out *Ballots) *hartReader {
	return &hartReader{cfg: cfg, src: src, out: out, lab: newLabels(cfg, src), names: map[string]string{}}
}

// parse reads one Hart CVR file and adds a record for each Contest
// element of the source's contest.
func (h *hartReader) parse(file string, data []byte) error {
	var cvr hartCVR
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	if err := decodeRoot(dec, "Cvr", &cvr); err != nil {
		return xmlErr(file, dec, err)
	}
	for ci, ct := range cvr.Contests {
		if ct.ID != h.src.ContestID {
			continue
		}
		h.ms = h.ms[:0]
		for oi, opt := range ct.Options {
			where := fmt.Sprintf("Cvr/Contests/Contest[%d]/Options/Option[%d]", ci+1, oi+1)
			if opt.ID == "" {
				return &ParseError{File: file, Msg: where + ": no Id"}
			}
			if opt.ID != h.src.UndeclaredWriteInLabel {
				if first, ok := h.names[opt.ID]; !ok {
					h.names[opt.ID] = opt.Name
				} else if first != opt.Name {
					return &ParseError{File: file, Msg: fmt.Sprintf("%s: candidate id %s is named %q here but %q in an earlier file", where, opt.ID, opt.Name, first)}
				}
			}
			if len(opt.Value) > 65535 {
				return &ParseError{File: file, Msg: fmt.Sprintf("%s: Value has %d ranks, more than 65535", where, len(opt.Value))}
			}
			for i := 0; i < len(opt.Value); i++ {
				if opt.Value[i] != '1' {
					continue
				}
				// resolved only when ranked: an unranked option is no vote
				if c, ok := h.lab.resolve(opt.ID); ok {
					h.ms = append(h.ms, mark{rank: uint16(i + 1), cand: c})
				}
			}
		}
		precinct := ""
		if cvr.PrecinctSplit != nil {
			precinct = cvr.PrecinctSplit.Name
		}
		h.out.addSliced(h.ms, precinct, cvr.BatchNumber)
	}
	return nil
}

// decodeRoot decodes the document element into v, refusing a document
// whose root is not named root.
func decodeRoot(dec *xml.Decoder, root string, v any) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("no <%s> element", root)
			}
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != root {
				return fmt.Errorf("the document element is <%s>, want <%s>", se.Name.Local, root)
			}
			return dec.DecodeElement(v, &se)
		}
	}
}

// xmlErr turns a decoding error into a ParseError naming the file and
// line.
func xmlErr(file string, dec *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if se.Msg == "unexpected EOF" {
			return &ParseError{File: file, Line: se.Line, Msg: "invalid XML: the file ends inside an element"}
		}
		return &ParseError{File: file, Line: se.Line, Msg: "invalid XML: " + se.Msg}
	}
	line, _ := dec.InputPos()
	return &ParseError{File: file, Line: line, Msg: errText(err)}
}

// errText is an error's message without Go's package prefixes.
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return strings.TrimPrefix(err.Error(), "xml: ")
}
