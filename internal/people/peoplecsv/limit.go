package peoplecsv

import (
	"errors"
	"fmt"
	"io"
)

// Bounds on what one file may hold. encoding/csv keeps a whole record in
// memory and has no limit of its own, so a file of one 100 MB line would
// be read into memory whole (and, as a header, shown on the mapping page).
// These bound the memory a reader holds to about a row, whatever the file.
const (
	// MaxHeaderBytes bounds the header line. Column names are short: even
	// a CRM export of a thousand columns fits in 64 KiB.
	MaxHeaderBytes = 64 << 10
	// MaxRowBytes bounds one row (all its lines, for a quoted field with
	// line breaks). A row of a membership list is well under a kilobyte;
	// a megabyte leaves room for long notes.
	MaxRowBytes = 1 << 20
	// MaxColumns bounds the header's columns, so the mapping page stays a
	// page.
	MaxColumns = 1000
)

// csvReadAhead is how far encoding/csv may read past the end of a record
// (the size of the bufio.Reader it puts in front of its input).
const csvReadAhead = 4096

// errTooLong is what recordLimit returns once the record being read is
// longer than its bound; Reader turns it into a *FormatError naming the
// line.
var errTooLong = errors.New("record too long")

// recordLimit sits between the text and encoding/csv and refuses to hand
// over more than max bytes (plus csv's read-ahead) beyond the end of the
// last record csv returned.
type recordLimit struct {
	r     io.Reader
	total int64 // bytes handed to csv
	base  int64 // where the record being read starts (csv's InputOffset)
	max   int64
}

func (l *recordLimit) Read(p []byte) (int, error) {
	room := l.base + l.max + csvReadAhead - l.total
	if room <= 0 {
		return 0, errTooLong
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.total += int64(n)
	return n, err
}

// next starts the bound afresh for the record after offset, with max bytes.
func (l *recordLimit) next(offset, max int64) { l.base, l.max = offset, max }

// tooLong is the refusal of a header or row longer than its bound.
func tooLong(line int, header bool) error {
	if header {
		return &FormatError{Message: fmt.Sprintf("The first line (the column names) is longer than %d KiB: "+
			"this is not a list of people, or its line ends are missing. Save it from your spreadsheet as CSV UTF-8 and try again.",
			MaxHeaderBytes>>10)}
	}
	return &FormatError{Message: fmt.Sprintf("The row starting on line %d is longer than %d MiB: "+
		"a quote may be left open there. Fix that row, or remove it, and upload the file again.", line, MaxRowBytes>>20)}
}
