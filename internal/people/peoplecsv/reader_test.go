package peoplecsv

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// readAll returns the header and every row (or row error) of a file.
func readAll(t *testing.T, in string) (*Reader, []Row, []error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(in))
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var rows []Row
	var errs []error
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return r, rows, errs
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rows = append(rows, row)
	}
}

func TestReaderFormats(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		in     string
		sep    rune
		header []string
		rows   [][]string
		lines  []int
	}{
		{"Comma", "Email,Name\na@x.org,Ann\n", ',', []string{"Email", "Name"},
			[][]string{{"a@x.org", "Ann"}}, []int{2}},
		{"Semicolon", "Email;Name;Town\na@x.org;Ann, Jr;Leeds\n", ';', []string{"Email", "Name", "Town"},
			[][]string{{"a@x.org", "Ann, Jr", "Leeds"}}, []int{2}},
		{"Tab", "Email\tName\na@x.org\tAnn\n", '\t', []string{"Email", "Name"},
			[][]string{{"a@x.org", "Ann"}}, []int{2}},
		{"BOM", "\ufeffEmail,Name\na@x.org,Ann\n", ',', []string{"Email", "Name"},
			[][]string{{"a@x.org", "Ann"}}, []int{2}},
		{"CRLF", "Email,Name\r\na@x.org,Ann\r\nb@x.org,Bo\r\n", ',', []string{"Email", "Name"},
			[][]string{{"a@x.org", "Ann"}, {"b@x.org", "Bo"}}, []int{2, 3}},
		{"ExcelSepLine", "sep=;\r\nEmail;Name\r\na@x.org;Ann\r\n", ';', []string{"Email", "Name"},
			[][]string{{"a@x.org", "Ann"}}, []int{3}},
		{"SepLineOverridesSniffing", "sep=,\nEmail;Name,Town\na;b,c\n", ',', []string{"Email;Name", "Town"},
			[][]string{{"a;b", "c"}}, []int{3}},
		{"QuotedNewlinesKeepLineNumbers", "Name,Address 1,Email\n\"Ann\",\"1 High St\nFlat 2\",a@x.org\nBo,\"He said \"\"hi\"\"\",b@x.org\n\"Cy\",\"x\r\ny\r\nz\",c@x.org\n", ',',
			[]string{"Name", "Address 1", "Email"},
			[][]string{{"Ann", "1 High St\nFlat 2", "a@x.org"}, {"Bo", `He said "hi"`, "b@x.org"}, {"Cy", "x\ny\nz", "c@x.org"}}, []int{2, 4, 5}},
		{"TrailingEmptyColumns", "Email,Name,,,\na@x.org,Ann,,,\n", ',', []string{"Email", "Name"},
			[][]string{{"a@x.org", "Ann", "", "", ""}}, []int{2}},
		{"BlankLinesSkippedButCounted", "Email\n\na@x.org\n\n\nb@x.org", ',', []string{"Email"},
			[][]string{{"a@x.org"}, {"b@x.org"}}, []int{3, 6}},
		{"QuotedSeparatorInHeaderIgnoredWhenSniffing", "\"Name; full\",Email\nAnn,a@x.org\n", ',', []string{"Name; full", "Email"},
			[][]string{{"Ann", "a@x.org"}}, []int{2}},
		{"Windows1252", "Name,Town\nCaf\xe9 \x80,G\xf6teborg\n", ',', []string{"Name", "Town"},
			[][]string{{"Café €", "Göteborg"}}, []int{2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r, rows, errs := readAll(t, c.in)
			if len(errs) > 0 {
				t.Fatalf("row errors: %v", errs)
			}
			if r.Separator() != c.sep {
				t.Errorf("separator = %q, want %q", r.Separator(), c.sep)
			}
			if !reflect.DeepEqual(r.Header(), c.header) {
				t.Errorf("header = %q, want %q", r.Header(), c.header)
			}
			var got [][]string
			var lines []int
			for _, row := range rows {
				got = append(got, row.Fields)
				lines = append(lines, row.Line)
			}
			if !reflect.DeepEqual(got, c.rows) {
				t.Errorf("rows = %q, want %q", got, c.rows)
			}
			if !reflect.DeepEqual(lines, c.lines) {
				t.Errorf("lines = %v, want %v", lines, c.lines)
			}
		})
	}
}

func TestReaderRefusesFilesThatAreNotCSV(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
	}{
		{"Xlsx", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml", "This looks like an Excel workbook (.xlsx): save it as CSV UTF-8 and try again"},
		{"Xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old Excel workbook (.xls)"},
		{"Binary", "Email,Name\na@x.org,\x00\x01\x02\x03", "holds binary data"},
		{"PDF", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "This is a PDF"},
		{"UTF16", "\xff\xfeE\x00m\x00a\x00i\x00l\x00", "UTF-16"},
		{"Empty", "", "The file is empty"},
		{"OnlyBOM", "\ufeff", "The file is empty"},
		{"NoKnownHeader", "ann@example.org,Ann,Smith\nbo@example.org,Bo,Jones\n", `none of "ann@example.org", "Ann", "Smith" is a column Momentum knows`},
		{"Prose", "Dear organisers, here is the list you wanted.\nThanks!\n", "The first line should name the columns"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewDecoder(strings.NewReader(c.in), nil)
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FormatError", err)
			}
			if !strings.Contains(fe.Message, c.want) {
				t.Errorf("message %q does not say %q", fe.Message, c.want)
			}
		})
	}
}

func TestDecoderLineNumbersAndRowErrors(t *testing.T) {
	t.Parallel()
	in := "sep=;\n" +
		"First name;Email;Postcode;Phone\n" + // line 2
		"Ann;ann@example.org;E8 1DY;07700 900123\n" + // 3
		"\"Bo\nBo\";bob@;E8 1DY;\n" + // 4-5: bad email
		";;;\n" + // 6: blank, skipped
		"Cy;cy@example.org;NOT A PC;+44 7700 900456\n" + // 7: bad postcode
		";;;\n" + // 8
		";;E8 1DY;\n" + // 9: nobody
		"Di;DI@Example.ORG;e81dy;not a phone\n" + // 10: bad phone
		"Ed;ed@example.org;sw1a1aa;\n" // 11
	d, err := NewDecoder(strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	var good []int
	var bad []string
	total := 0
	for {
		rec, n, err := d.Next()
		total += n
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		good = append(good, rec.Line)
	}
	if want := []int{3, 11}; !reflect.DeepEqual(good, want) {
		t.Errorf("good rows on lines %v, want %v", good, want)
	}
	wantBad := []string{
		"line 4: Email: 'bob@' is not an email address",
		"line 7: Postcode: 'NOT A PC' is not a UK postcode",
		"line 9: the row has no name, email address or phone number",
		"line 10: Phone: 'not a phone' is not a phone number",
	}
	if !reflect.DeepEqual(bad, wantBad) {
		t.Errorf("rejected:\n%s\nwant:\n%s", strings.Join(bad, "\n"), strings.Join(wantBad, "\n"))
	}
	if total != 8 {
		t.Errorf("rows counted = %d, want 8 (blank and rejected rows count)", total)
	}
}

func TestDecoderSkipResumesAtTheSameRow(t *testing.T) {
	t.Parallel()
	in := "Email\na@x.org\n,\nb@x.org\nbad\nc@x.org\n"
	for skip, want := range map[int]string{0: "a@x.org", 1: "b@x.org", 2: "b@x.org", 3: "c@x.org", 4: "c@x.org"} {
		d, err := NewDecoder(strings.NewReader(in), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Skip(skip); err != nil {
			t.Fatal(err)
		}
		var rec Record
		for {
			rec, _, err = d.Next()
			if err == nil || errors.Is(err, io.EOF) {
				break
			}
		}
		if len(rec.Emails) == 0 || rec.Emails[0] != want {
			t.Errorf("after skipping %d rows, first record %v, want %s", skip, rec.Emails, want)
		}
	}
}
