package rctab

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkFuzzErr: whatever a reader refuses, it refuses with a ParseError
// that names the file, never with Go's own error text.
func checkFuzzErr(t *testing.T, err error, file string) *ParseError {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	if pe.File != file {
		t.Fatalf("error %q names %q, want %q", err, pe.File, file)
	}
	for _, raw := range []string{"xml: ", "Go value", "Go struct", "strconv."} {
		if strings.Contains(pe.Msg, raw) {
			t.Fatalf("error %q shows Go's own text %q", err, raw)
		}
	}
	return pe
}

// FuzzReadHart: one Hart CVR file never panics the reader, a refused
// file is named in the error, and what it accepts can be counted.
func FuzzReadHart(f *testing.F) {
	cfg, src := fuzzConfig(f, "hart")
	src.ContestID = "c1"
	src.UndeclaredWriteInLabel = "wi"
	const head = "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?><Cvr xmlns=\"http://tempuri.org/CVRDesign.xsd\"><Contests>"
	const tail = "</Contests><BatchNumber>3</BatchNumber><PrecinctSplit><Name>101</Name><Id>p</Id></PrecinctSplit></Cvr>"
	f.Add([]byte(head + `<Contest><Name>C</Name><Id>c1</Id><Options><Option><Name>Ash</Name><Id>Ash</Id><Value>100</Value></Option><Option><Name>Birch</Name><Id>B</Id><Value>011</Value></Option></Options></Contest>` + tail))
	f.Add([]byte(head + `<Contest><Name>C</Name><Id>c1</Id><Options><Option><Id>wi</Id><Value>1</Value><WriteInData><Text /></WriteInData></Option></Options></Contest><Contest><Id>c1</Id><Options /><Undervotes>1</Undervotes></Contest>` + tail))
	f.Add([]byte(head + `<Contest><Id>c2</Id><Options><Option><Name>Oak</Name><Id>Oak</Id><Value>1</Value></Option></Options></Contest>` + tail))
	f.Add([]byte(`<Cvr><Contests><Contest><Id>c1</Id><Options><Option><Name>Ash</Name><Id>Ash</Id><Value>` + strings.Repeat("1", 300) + `</Value></Option></Options></Contest></Contests></Cvr>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := newBallotsFor(cfg)
		h := newHartReader(cfg, src, b)
		err := h.parse("fuzz.xml", data)
		if err == nil {
			if err = h.lab.err("fuzz.xml"); err == nil {
				tabulateFuzzed(cfg, b)
				return
			}
		}
		checkFuzzErr(t, err, "fuzz.xml")
	})
}

// FuzzReadCDFXML: the CDF XML reader never panics, a refused report is
// named in the error (with a line where the XML itself is wrong), and
// what it accepts can be counted.
func FuzzReadCDFXML(f *testing.F) {
	cfg, src := fuzzConfig(f, "cdf")
	seed, err := os.ReadFile(filepath.Join("testdata", "seed_cdf.xml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`<CastVoteRecordReport><Election><Contest ObjectId="c"><Name>Seed contest</Name></Contest></Election><CVR/></CastVoteRecordReport>`))
	f.Add([]byte(`<cdf:CastVoteRecordReport xmlns:cdf="x"><cdf:CVR><cdf:CurrentSnapshotId>s</cdf:CurrentSnapshotId><cdf:CVRSnapshot ObjectId="s"><cdf:CVRContest><cdf:ContestId>c</cdf:ContestId><cdf:CVRContestSelection><cdf:ContestSelectionId>x</cdf:ContestSelectionId><cdf:Rank>0</cdf:Rank></cdf:CVRContestSelection></cdf:CVRContest></cdf:CVRSnapshot></cdf:CVR><cdf:Election><cdf:Candidate ObjectId="a"><cdf:Name>Ash</cdf:Name></cdf:Candidate><cdf:Contest ObjectId="c"><cdf:ContestSelection ObjectId="x"><cdf:CandidateIds>a</cdf:CandidateIds></cdf:ContestSelection><cdf:Name>Seed contest</cdf:Name></cdf:Contest></cdf:Election></cdf:CastVoteRecordReport>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := newBallots()
		err := parseCDFXML(cfg, src, bytesReader(data), b)
		if err == nil {
			tabulateFuzzed(cfg, b)
			return
		}
		if pe := checkFuzzErr(t, err, src.Path); strings.Contains(pe.Msg, "invalid XML") && pe.Line == 0 {
			t.Fatalf("XML error %q has no line", err)
		}
	})
}

// FuzzReadCDFXMLParts: a report read in parts gives exactly what one
// stream gives, records or error, whatever the bytes.
func FuzzReadCDFXMLParts(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seed_cdf.xml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, uint8(3))
	f.Add([]byte(strings.Replace(string(seed), "<CVR>", "<!--<CVR>--><CVR>", 2)), uint8(2))
	path := filepath.Join(f.TempDir(), "r.xml") // one per process: runs in it are sequential
	f.Fuzz(func(t *testing.T, data []byte, n uint8) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, _ := seedCDFXMLConfig(t)
		cfg.Sources[0].Path = path
		if one, parts := readXMLBoth(t, cfg, 2+int(n%6)); one != parts {
			t.Fatalf("%d parts:\n%s\none stream:\n%s", 2+int(n%6), parts, one)
		}
	})
}
