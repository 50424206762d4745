package rctab

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// dominionSplit writes the first n sessions of the dominion_alaska case's
// CvrExport.json into dir, cut into files named by nums with sizes, plus
// the manifests, and returns the case's config pointed at dir.
func dominionSplit(t *testing.T, dir string, names []string, sizes []int) *Config {
	t.Helper()
	suite := testenv.Refdata(t, "rctab", "test_data")
	src := filepath.Join(suite, "_shared", "dominion_alaska", "alaska_input_data")
	manifests, _ := filepath.Glob(filepath.Join(src, "*Manifest.json"))
	for _, m := range manifests {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(m)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(src, "CvrExport.json"))
	if err != nil {
		t.Fatal(err)
	}
	var export map[string]json.RawMessage
	if err := json.Unmarshal(raw, &export); err != nil {
		t.Fatal(err)
	}
	var sessions []json.RawMessage
	if err := json.Unmarshal(export["Sessions"], &sessions); err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		part, err := json.Marshal(sessions[:sizes[i]])
		if err != nil {
			t.Fatal(err)
		}
		sessions = sessions[sizes[i]:]
		export["Sessions"] = part
		b, err := json.Marshal(export)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := LoadConfig(filepath.Join(suite, "dominion_alaska", "dominion_alaska_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Sources[0].Path = dir
	return cfg
}

// ballotDump lists a Ballots' distinct records with their weights, in a
// stable order, to compare two reads.
func ballotDump(b *Ballots) []string {
	var out []string
	for g := 0; g < b.Groups(); g++ {
		out = append(out, fmt.Sprintf("%v x%d", b.group(g), b.weight[g]))
	}
	sort.Strings(out)
	return out
}

// TestReadDominionAllExports: a Dominion folder is read as RCTab reads
// it, every CvrExport*.json in it, whatever the numbers: files 1, 2, 3
// and 6 hold 25 ballots between them and all 25 are counted, the same
// records as the same sessions in one CvrExport.json.
func TestReadDominionAllExports(t *testing.T) {
	read := func(t *testing.T, names []string, sizes []int) *Ballots {
		t.Helper()
		cfg := dominionSplit(t, t.TempDir(), names, sizes)
		b, err := ReadBallots(context.Background(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one := read(t, []string{"CvrExport.json"}, []int{25})
	if one.Len() != 25 {
		t.Fatalf("one file: %d ballots, want 25", one.Len())
	}
	for _, tc := range []struct {
		name  string
		files []string
		sizes []int
	}{
		{"Gap", []string{"CvrExport_1.json", "CvrExport_2.json", "CvrExport_3.json", "CvrExport_6.json"}, []int{10, 5, 5, 5}},
		{"StartsAt1730", []string{"CvrExport_1730.json", "CvrExport_1731.json"}, []int{20, 5}},
		{"TenAfterTwo", []string{"CvrExport_2.json", "CvrExport_10.json"}, []int{24, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := read(t, tc.files, tc.sizes)
			if b.Len() != 25 {
				t.Fatalf("%v: %d ballots, want 25", tc.files, b.Len())
			}
			if got, want := strings.Join(ballotDump(b), "\n"), strings.Join(ballotDump(one), "\n"); got != want {
				t.Errorf("records differ from the one-file read:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	t.Run("NoExports", func(t *testing.T) {
		cfg := dominionSplit(t, t.TempDir(), nil, nil)
		_, err := ReadBallots(context.Background(), cfg, nil)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "CvrExport") {
			t.Fatalf("got %v, want a ParseError naming CvrExport", err)
		}
	})
}

func TestDominionExportOrder(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"CvrExport_10.json", "CvrExport_2.json", "CvrExport.json", "CvrExport_b.json", "CvrExport_1730.json", "Other.json", "CvrExport_3.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := dominionExports(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, filepath.Base(f))
	}
	want := "CvrExport.json CvrExport_2.json CvrExport_10.json CvrExport_1730.json CvrExport_b.json"
	if strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}

// TestReadCDFXMLMatchesJSON: the same 2,000 generated ballots read from
// CDF XML and from CDF JSON give the same records and precincts.
func TestReadCDFXMLMatchesJSON(t *testing.T) {
	dir := t.TempDir()
	read := func(path string) *Ballots {
		cfg := cdfBenchConfig(t, path)
		cfg.Raw.OutputSettings.TabulateByPrecinct = true
		b, err := ReadBallots(context.Background(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	x := read(writeCDFFile(t, dir, "b.xml", 2000, writeCDFXML))
	j := read(writeCDFFile(t, dir, "b.json", 2000, writeCDFJSON))
	if x.Len() != 2000 || j.Len() != 2000 {
		t.Fatalf("read %d (XML) and %d (JSON) ballots, want 2000", x.Len(), j.Len())
	}
	dump := func(b *Ballots) string {
		var out []string
		for g := 0; g < b.Groups(); g++ {
			out = append(out, fmt.Sprintf("%v %s x%d", b.group(g), b.sliceIDs[slicePrecinct][b.sliceOf[slicePrecinct][g]], b.weight[g]))
		}
		sort.Strings(out)
		return strings.Join(out, "\n")
	}
	if dump(x) != dump(j) {
		t.Errorf("XML and JSON reads differ")
	}
}

// seedCDFXMLConfig is the seed configuration reading a CDF XML report.
func seedCDFXMLConfig(t testing.TB) (*Config, *Source) {
	t.Helper()
	raw := seedRaw(t)
	raw.CVRFileSources[0] = CVRSource{FilePath: "seed_cdf.xml", Provider: "cdf", ContestID: "Seed contest", UndeclaredWriteInLabel: "Write-In"}
	cfg, err := NewConfig(raw, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	return cfg, &cfg.Sources[0]
}

// TestReadCDFXMLSeed reads testdata/seed_cdf.xml: ranks on positions and
// on selections, a write-in selection and a CVRWriteIn, a position
// without indication, a selection awaiting adjudication, a superseded
// snapshot and a CVR without the contest, each as RCTab reads them.
func TestReadCDFXMLSeed(t *testing.T) {
	cfg, src := seedCDFXMLConfig(t)
	b := newBallots()
	if err := readCDFXML(cfg, src, b); err != nil {
		t.Fatal(err)
	}
	uwi := int16(cfg.uwiIndex())
	want := []string{
		fmt.Sprint([]mark{{1, 0}, {2, 1}}, " x1"),     // Ash, then B (Birch's alias); rank 3 has no indication
		fmt.Sprint([]mark{{1, uwi}, {2, uwi}}, " x1"), // write-in selection, then a CVRWriteIn on Cedar's
	}
	sort.Strings(want)
	if got := ballotDump(b); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if b.Len() != 2 {
		t.Errorf("%d ballots, want 2 (the third CVR has no vote in the contest)", b.Len())
	}
}

// TestReadCDFXMLErrors: malformed or inconsistent reports are refused
// with the file, the line and what is wrong.
func TestReadCDFXMLErrors(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seed_cdf.xml"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(string(seed), old) {
			t.Fatalf("seed has no %q", old)
		}
		return strings.Replace(string(seed), old, new, 1)
	}
	tests := []struct {
		name, doc string
		line      int
		want      string
	}{
		{"NotXML", `{"CVR":[]}`, 0, "no <CastVoteRecordReport>"},
		{"Truncated", string(seed[:len(seed)/2]), 35, "the file ends inside an element"},
		{"Unclosed", edit("</CVRContestSelection>", ""), 0, "invalid XML"},
		{"OtherRoot", `<Cvr></Cvr>`, 1, "want <CastVoteRecordReport>"},
		{"TwoRoots", string(seed) + "<CastVoteRecordReport/>", 65, "after the end of <CastVoteRecordReport>"},
		{"WrongEnd", edit("</CVRSnapshot>", "</CVRSnap>"), 19, "element <CVRSnapshot> closed by </CVRSnap>"},
		{"NoElection", `<CastVoteRecordReport><CVR/></CastVoteRecordReport>`, 0, "no <Election>"},
		{"UnknownContest", edit("<Name>Seed contest</Name>", "<Name>Renamed</Name>"), 0, `contest "Seed contest"`},
		{"UnknownSelection", edit("<ContestSelectionId>cs-ash</ContestSelectionId>", "<ContestSelectionId>cs-oak</ContestSelectionId>"), 11, `ContestSelection "cs-oak" is not a selection`},
		{"NoRank", edit("<IsAllocable>yes</IsAllocable><Rank>1</Rank>", "<IsAllocable>yes</IsAllocable>"), 11, "has no Rank"},
		{"BadRank", edit("<Rank>2</Rank>", "<Rank>two</Rank>"), 15, "Rank is not a number"},
		{"UnknownGpUnit", edit(`<GpUnit ObjectId="p1">`, `<GpUnit ObjectId="p9">`), 3, `GpUnit "p1"`},
		{"UnknownCandidate", edit("<Name>B</Name>", "<Name>Oak</Name>"), 0, `"Oak" (1)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, src := seedCDFXMLConfig(t)
			err := parseCDFXML(cfg, src, strings.NewReader(tc.doc), newBallots())
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if pe.File != src.Path || !strings.Contains(pe.Msg, tc.want) {
				t.Errorf("error %q: want file %s and %q", err, src.Path, tc.want)
			}
			if tc.line > 0 && pe.Line != tc.line {
				t.Errorf("error %q: line %d, want %d", err, pe.Line, tc.line)
			}
		})
	}
}

// hartFolder copies signature_validation's signed Hart CVR (test.xml)
// into a folder with the signature file sig as test.xml.sig.xml (none
// when sig is ""), and returns a config reading it.
func hartFolder(t *testing.T, sig string) (*Config, *Source, rsaKeyValue) {
	t.Helper()
	dir := testenv.Refdata(t, "rctab", "more_test_data", "signature_validation")
	folder := t.TempDir()
	copySigFile(t, filepath.Join(dir, "test.xml"), filepath.Join(folder, "test.xml"))
	if sig != "" {
		copySigFile(t, filepath.Join(dir, sig), filepath.Join(folder, "test.xml.sig.xml"))
	}
	raw := seedRaw(t)
	raw.Candidates = nil
	for _, c := range []struct{ name, id string }{
		{"Mickey Mouse", "afc59bc5-bb7e-4edf-9a8e-014c0b2ff69f"},
		{"Bugs Bunny", "14e98eed-d25e-4a9b-9fa4-82413b8fc0c4"},
		{"Homer Simpson", "92f958f0-67e8-4119-a9fa-5ba4c02a0219"},
		{"Scrooge McDuck", "536e7e5c-0460-4cce-bdc7-1c01768a5c5b"},
		{"Woody Woodpecker", "36fd62d8-abc7-4ecc-8a22-1e3525abe7f4"},
		{"Toucan Sam", "b0e4243a-c964-4330-bd8c-ae5482136c58"},
	} {
		raw.Candidates = append(raw.Candidates, Candidate{Name: c.name, Aliases: []string{c.id}})
	}
	raw.CVRFileSources = []CVRSource{{FilePath: folder, Provider: "hart", ContestID: "f15b1a85-3975-4928-8361-c5daa1e9ff20"}}
	cfg, err := NewConfig(raw, folder)
	if err != nil {
		t.Fatal(err)
	}
	keyXML, err := os.ReadFile(filepath.Join(dir, "public_key.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var key rsaKeyValue
	if err := xmlUnmarshal(keyXML, &key); err != nil {
		t.Fatal(err)
	}
	return cfg, &cfg.Sources[0], key
}

// TestReadHartSignatures: a Hart CVR with a signature beside it is
// counted only when the signature holds, with the vendor's key.
func TestReadHartSignatures(t *testing.T) {
	wantMarks := fmt.Sprint([]mark{{1, 0}, {2, 1}, {3, 2}, {4, 3}, {5, 4}, {6, 5}}, " x1")
	t.Run("Signed", func(t *testing.T) {
		cfg, src, key := hartFolder(t, "test.xml.sig.xml")
		b := newBallotsFor(cfg)
		if err := readHartWithKey(cfg, src, b, key); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(ballotDump(b), ""); got != wantMarks {
			t.Errorf("records %s, want %s", got, wantMarks)
		}
	})
	t.Run("Unsigned", func(t *testing.T) {
		cfg, src, _ := hartFolder(t, "")
		b := newBallotsFor(cfg)
		if err := readHart(cfg, src, b); err != nil {
			t.Fatal(err)
		}
		if b.Len() != 1 {
			t.Errorf("%d ballots, want 1", b.Len())
		}
	})
	for _, tc := range []struct {
		name, sig string
		hartKey   bool
		want      string
	}{
		{"NotHartsKey", "test.xml.sig.xml", true, "unexpected public key"},
		{"WrongSignature", "incorrect_signature.xml.sig.xml", false, "signature does not match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, src, key := hartFolder(t, tc.sig)
			if tc.hartKey {
				key = hartPublicKey
			}
			err := readHartWithKey(cfg, src, newBallotsFor(cfg), key)
			var se *SignatureError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "test.xml.sig.xml") {
				t.Fatalf("got %v, want a SignatureError naming the signature and saying %q", err, tc.want)
			}
		})
	}
}

// TestReadHartErrors: Hart files that RCTab refuses are refused with the
// file and what is wrong.
func TestReadHartErrors(t *testing.T) {
	const contest = `<Contest><Name>C</Name><Id>c1</Id><Options>%s</Options></Contest>`
	doc := func(options string) string {
		return "\uFEFF" + `<?xml version="1.0" encoding="utf-8"?><Cvr xmlns="http://tempuri.org/CVRDesign.xsd"><Contests>` +
			fmt.Sprintf(contest, options) + `</Contests><BatchNumber>1</BatchNumber><PrecinctSplit><Name>101</Name><Id>p</Id></PrecinctSplit></Cvr>`
	}
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"NotXML", []string{"{}"}, "no <Cvr> element"},
		{"BadXML", []string{"<Cvr><Contests></Cvr>"}, "invalid XML"},
		{"OtherRoot", []string{"<Ballot/>"}, "want <Cvr>"},
		{"UnknownCandidate", []string{doc(`<Option><Name>Oak</Name><Id>oak</Id><Value>1</Value></Option>`)}, `"oak" (1)`},
		{"TwoNames", []string{
			doc(`<Option><Name>Ash</Name><Id>Ash</Id><Value>1</Value></Option>`),
			doc(`<Option><Name>Ashley</Name><Id>Ash</Id><Value>01</Value></Option>`),
		}, `candidate id Ash is named "Ashley" here but "Ash"`},
		{"NoFiles", nil, "no Hart CVR files"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			folder := t.TempDir()
			for i, f := range tc.files {
				if err := os.WriteFile(filepath.Join(folder, fmt.Sprintf("%d.xml", i+1)), []byte(f), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			raw := seedRaw(t)
			raw.CVRFileSources = []CVRSource{{FilePath: folder, Provider: "hart", ContestID: "c1"}}
			cfg, err := NewConfig(raw, folder)
			if err != nil {
				t.Fatal(err)
			}
			err = readHart(cfg, &cfg.Sources[0], newBallotsFor(cfg))
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(pe.File, folder) {
				t.Fatalf("got %v, want a ParseError naming the file and saying %q", err, tc.want)
			}
		})
	}
	t.Run("Counted", func(t *testing.T) {
		folder := t.TempDir()
		os.WriteFile(filepath.Join(folder, "a.XML"), []byte(doc(`<Option><Name>Ash</Name><Id>Ash</Id><Value>101</Value></Option><Option><Name>Birch</Name><Id>B</Id><Value>010</Value></Option>`)), 0o644)
		os.WriteFile(filepath.Join(folder, "notes.txt"), []byte("not a CVR"), 0o644)
		raw := seedRaw(t)
		raw.CVRFileSources = []CVRSource{{FilePath: folder, Provider: "hart", ContestID: "c1"}}
		raw.OutputSettings.TabulateByBatch = true
		cfg, err := NewConfig(raw, folder)
		if err != nil {
			t.Fatal(err)
		}
		b := newBallotsFor(cfg)
		if err := readHart(cfg, &cfg.Sources[0], b); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprint([]mark{{1, 0}, {2, 1}, {3, 0}}, " x1")
		if got := strings.Join(ballotDump(b), ""); got != want || b.sliceIDs[sliceBatch][0] != "1" {
			t.Errorf("records %s (batch %v), want %s in batch 1", got, b.sliceIDs[sliceBatch], want)
		}
	})
}

func xmlUnmarshal(b []byte, v any) error { return xml.Unmarshal(b, v) }

// readXMLBoth reads the CDF XML file path as one stream and in n parts,
// and returns both records (or errors) as text.
func readXMLBoth(t *testing.T, cfg *Config, n int) (one, parts string) {
	t.Helper()
	read := func(n int) string {
		f, err := os.Open(cfg.Sources[0].Path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b := newBallotsFor(cfg)
		if err := readCDFXMLParts(cfg, &cfg.Sources[0], f, n, b); err != nil {
			return "error: " + err.Error()
		}
		var out []string
		for g := 0; g < b.Groups(); g++ {
			p := ""
			if s := b.sliceOf[slicePrecinct][g]; s >= 0 {
				p = b.sliceIDs[slicePrecinct][s]
			}
			out = append(out, fmt.Sprintf("%v %s x%d", b.group(g), p, b.weight[g]))
		}
		sort.Strings(out)
		return fmt.Sprintf("%d ballots\n%s", b.Len(), strings.Join(out, "\n"))
	}
	return read(1), read(n)
}

// TestReadCDFXMLParts: a report read in parts (as a large file is, one
// part per core) gives the same records as one stream; where a split
// cannot be proven sound, or the file is wrong, the file is read as one
// stream and the result or error is the same.
func TestReadCDFXMLParts(t *testing.T) {
	dir := t.TempDir()
	gen := writeCDFFile(t, dir, "gen.xml", 3000, writeCDFXML)
	cfg := cdfBenchConfig(t, gen)
	cfg.Raw.OutputSettings.TabulateByPrecinct = true
	f, err := os.Open(gen)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, n := range []int{2, 3, 7} {
		if _, ok := readXMLParts(cfg, &cfg.Sources[0], f, n); !ok {
			t.Fatalf("%d parts: the generated file was not split", n)
		}
		one, parts := readXMLBoth(t, cfg, n)
		if !strings.HasPrefix(one, "3000 ballots") || one != parts {
			t.Errorf("%d parts: records differ from one stream (%.40q…, %.40q…)", n, one, parts)
		}
	}

	seed, err := os.ReadFile(filepath.Join("testdata", "seed_cdf.xml"))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", len(seed))
	for _, tc := range []struct {
		name, doc string
		split     bool // read in two parts, not one stream
	}{
		{"Seed", string(seed), true},
		{"CVRTagInLongComment", strings.Replace(string(seed), "</CVR>", "</CVR><!-- "+long+long+" <CVR> "+long+" -->", 1), false},
		{"CVRTagInComment", strings.Replace(string(seed), "<CVR>\n    <CurrentSnapshotId>s3", "<!-- <CVR> <CVR>x <CVR/> -->\n  <CVR>\n    <CurrentSnapshotId>s3", 1), true},
		{"CVRTagInCDATA", strings.Replace(string(seed), "<Name>Ash</Name>", "<Name><![CDATA[Ash]]></Name><!-- <CVR> -->", 1), true},
		{"Prefixed", strings.NewReplacer("</", "</cdf:", "<?", "<?", "<!", "<!", "<", "<cdf:", `xmlns=`, `xmlns:cdf=`).Replace(string(seed)), true},
		{"UnknownSelection", strings.Replace(string(seed), ">cs-wi<", ">cs-oak<", 1), true},
		{"Unclosed", strings.TrimSuffix(string(seed), "</CastVoteRecordReport>\n"), false},
		{"ElectionFirst", strings.Replace(string(seed), "<CVR>", "<GpUnit ObjectId=\"p0\"><Name>P</Name></GpUnit><CVR>", 1), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.xml")
			if err := os.WriteFile(path, []byte(tc.doc), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, _ := seedCDFXMLConfig(t)
			cfg.Sources[0].Path = path
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, ok := readXMLParts(cfg, &cfg.Sources[0], f, 2); ok != tc.split {
				t.Errorf("read in parts: %v, want %v", ok, tc.split)
			}
			for _, n := range []int{2, 3, 5} {
				if one, parts := readXMLBoth(t, cfg, n); one != parts {
					t.Errorf("%d parts:\n%s\none stream:\n%s", n, parts, one)
				}
			}
		})
	}
}
