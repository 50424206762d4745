package peoplecsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// FormatError says why a file cannot be read as CSV at all (an Excel
// workbook, binary data, no header). Its message is written for the person
// importing.
type FormatError struct{ Message string }

func (e *FormatError) Error() string { return e.Message }

// Row is one record of the file, with the line it starts on as a text
// editor counts lines (the header is line 1, or 2 after an Excel "sep="
// line; a quoted field with newlines makes a row span several lines).
type Row struct {
	Line   int
	Fields []string
}

// Reader streams the rows of a CSV file. It never holds more than one row
// (at most MaxRowBytes) and a 64 KiB buffer.
type Reader struct {
	csv    *csv.Reader
	lim    *recordLimit
	header []string
	sep    rune
	// skipped is how many lines came before the CSV reader's line 1 (an
	// Excel "sep=" line).
	skipped int
	line    int // where the last row started
	next    int // where the next row starts, as far as csv tells
}

const sniffSize = 64 << 10

// NewReader reads the header line of a CSV file. It refuses, with a
// *FormatError, an empty file, an Excel workbook, and anything holding
// binary data. Text that is not valid UTF-8 is read as Windows-1252, the
// encoding of Excel's plain "CSV" on Windows.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read the file: %w", err)
	}
	if err := sniffBinary(head); err != nil {
		return nil, err
	}
	var src io.Reader = br
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
		head = head[3:]
	}
	if !validUTF8Prefix(head) {
		src = transform.NewReader(br, charmap.Windows1252.NewDecoder())
	}
	rd := &Reader{}
	text := bufio.NewReaderSize(src, sniffSize)
	first, _ := text.Peek(sniffSize)
	if line, rest, ok := cutLine(first); ok && sepLine(line) != 0 {
		rd.sep = sepLine(line)
		_, _ = text.Discard(len(first) - len(rest))
		first = rest
		rd.skipped = 1
	}
	if rd.sep == 0 {
		line, _, _ := cutLine(first)
		rd.sep = sniffSeparator(line)
	}
	rd.lim = &recordLimit{r: text, max: MaxHeaderBytes}
	rd.csv = csv.NewReader(rd.lim)
	rd.csv.Comma = rd.sep
	rd.csv.FieldsPerRecord = -1
	rd.csv.LazyQuotes = true
	header, err := rd.csv.Read()
	if errors.Is(err, io.EOF) {
		return nil, &FormatError{Message: "The file is empty: it should start with a line naming the columns (First name, Last name, Email, …)."}
	}
	if errors.Is(err, errTooLong) {
		return nil, tooLong(1+rd.skipped, true)
	}
	if len(header) > MaxColumns {
		return nil, &FormatError{Message: fmt.Sprintf("The first line names %d columns; at most %d can be imported. "+
			"Remove the columns you do not need and try again.", len(header), MaxColumns)}
	}
	rd.lim.next(rd.csv.InputOffset(), MaxRowBytes)
	rd.next = rd.lineAfter(header)
	if err != nil && !isParseError(err) {
		return nil, fmt.Errorf("read the header line: %w", err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	for len(header) > 0 && header[len(header)-1] == "" { // trailing empty columns
		header = header[:len(header)-1]
	}
	rd.header = header
	return rd, nil
}

// Header is the first row of the file, trimmed, without trailing empty
// columns.
func (r *Reader) Header() []string { return r.header }

// Separator is the field separator found: ',', ';' or '\t'.
func (r *Reader) Separator() rune { return r.sep }

// Read returns the next row, io.EOF at the end, or a *RowError for a row
// the CSV syntax does not allow (reading may go on after it).
func (r *Reader) Read() (Row, error) {
	fields, err := r.csv.Read()
	if errors.Is(err, errTooLong) {
		return Row{Line: r.next}, tooLong(r.next, false)
	}
	r.lim.next(r.csv.InputOffset(), MaxRowBytes)
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			r.next = pe.Line + r.skipped + 1
			return Row{Line: pe.StartLine + r.skipped}, &RowError{Line: pe.StartLine + r.skipped, Message: "the row is not valid CSV: " + pe.Err.Error()}
		}
		return Row{}, err
	}
	line, _ := r.csv.FieldPos(0)
	r.line = line + r.skipped
	r.next = r.lineAfter(fields)
	return Row{Line: r.line, Fields: fields}, nil
}

// lineAfter is the line after the one where the record just read has its
// last field: where the next row starts, unless that field held line breaks.
func (r *Reader) lineAfter(fields []string) int {
	if len(fields) == 0 {
		return r.line + 1
	}
	line, _ := r.csv.FieldPos(len(fields) - 1)
	return line + r.skipped + 1
}

func isParseError(err error) bool {
	var pe *csv.ParseError
	return errors.As(err, &pe)
}

// sniffBinary refuses the kinds of file people upload instead of CSV.
func sniffBinary(head []byte) error {
	switch {
	case len(head) == 0:
		return &FormatError{Message: "The file is empty: it should start with a line naming the columns (First name, Last name, Email, …)."}
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return &FormatError{Message: "This looks like an Excel workbook (.xlsx): save it as CSV UTF-8 and try again."}
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0")):
		return &FormatError{Message: "This looks like an old Excel workbook (.xls): save it as CSV UTF-8 and try again."}
	case bytes.HasPrefix(head, []byte("%PDF")):
		return &FormatError{Message: "This is a PDF, not a CSV file: export the list from your spreadsheet as CSV UTF-8 and try again."}
	case bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")):
		return &FormatError{Message: "This file is UTF-16 text (Excel's \"Unicode Text\"): save it as CSV UTF-8 and try again."}
	case bytes.IndexByte(head, 0) >= 0:
		return &FormatError{Message: "This is not a CSV file: it holds binary data. Save your spreadsheet as CSV UTF-8 and try again."}
	}
	return nil
}

// validUTF8Prefix is utf8.Valid, forgiving a rune cut off at the end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// cutLine returns the first line of b (without its line end) and the rest.
// ok is false when b holds no line end (a one-line file).
func cutLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return bytes.TrimRight(b, "\r"), nil, false
	}
	return bytes.TrimRight(b[:i], "\r"), b[i+1:], true
}

// sepLine returns the separator an Excel "sep=;" first line names, or 0.
func sepLine(line []byte) rune {
	s := strings.TrimLeft(string(line), " ")
	if len(s) != 5 || !strings.EqualFold(s[:4], "sep=") {
		return 0
	}
	if c := rune(s[4]); c == ',' || c == ';' || c == '\t' || c == '|' {
		return c
	}
	return 0
}

// sniffSeparator picks the separator the header line uses most, outside
// quotes: ',' ';' or tab. A header of one column reads as comma-separated.
func sniffSeparator(line []byte) rune {
	counts := map[rune]int{}
	inQuote := false
	for _, c := range string(line) {
		switch {
		case c == '"':
			inQuote = !inQuote
		case !inQuote && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}
