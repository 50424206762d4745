package peoplecsv

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Record is one person as a row describes them, normalised: names and text
// trimmed with inner whitespace collapsed, email addresses lowercased,
// phone numbers in E.164, UK postcodes in standard form with their
// district, dates at midnight UTC. Empty fields mean "not given": an import
// leaves what Momentum holds alone for them.
type Record struct {
	Line                  int
	GivenName, FamilyName string
	// Emails and Phones hold every address and number of the row, the
	// primary first, without repeats.
	Emails, Phones []string
	Address1       string
	Address2       string
	Locality       string
	Region         string
	// Postcode is normalised ("E8 1DY") and District is its outward code
	// ("E8") for UK addresses; other countries' postcodes are kept as given.
	Postcode, District string
	// Country is an ISO 3166 code ("GB"), or "" when the row gives none.
	Country string
	// Latitude and Longitude are set together or not at all.
	Latitude, Longitude *float64
	Language            string // ISO 639 code ("en", "cy")
	Membership          string // "", "supporter", "member" or "lapsed"
	MemberSince         *time.Time
	Tags                []string
	// Consents maps a channel (email, sms, phone, post) to "granted" or
	// "withdrawn"; a channel the row leaves blank is absent.
	Consents map[string]string
	Donation *Donation
	Source   string
	// Custom maps custom field keys to values.
	Custom map[string]string
}

// Donation is a donation a row records.
type Donation struct {
	AmountPence int64
	Currency    string // ISO 4217, "GBP" unless the amount says otherwise
	Date        *time.Time
	// ExternalID is the payment system's id ("Donation id", "Transaction id").
	ExternalID string
}

// Empty reports whether the record names nobody: no email, phone or name.
func (r *Record) Empty() bool {
	return len(r.Emails) == 0 && len(r.Phones) == 0 && r.GivenName == "" && r.FamilyName == ""
}

// RowError is a rejected row: its line, and what is wrong, naming each
// column as the file heads it ("Email: 'bob@' is not an email address").
type RowError struct {
	Line    int
	Message string
}

func (e *RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

// Decoder reads Records from a CSV file through a Mapping.
type Decoder struct {
	r *Reader
	m Mapping
	// fields[i] is the field of column i.
	fields []Field
}

// NewDecoder reads the header of a CSV file and resolves its mapping
// (detected, then override applied; override may be nil). It returns a
// *FormatError for a file that is not CSV or whose header names no known
// column.
func NewDecoder(r io.Reader, override *Mapping) (*Decoder, error) {
	rd, err := NewReader(r)
	if err != nil {
		return nil, err
	}
	m, err := Resolve(rd.Header(), override)
	if err != nil {
		return nil, err
	}
	d := &Decoder{r: rd, m: m, fields: make([]Field, len(rd.Header()))}
	for _, c := range m.Columns {
		if c.Index >= 0 && c.Index < len(d.fields) {
			d.fields[c.Index] = c.Field
		}
	}
	return d, nil
}

// Mapping is the mapping in use.
func (d *Decoder) Mapping() Mapping { return d.m }

// Header is the file's header line.
func (d *Decoder) Header() []string { return d.r.Header() }

// Next returns the next record; a *RowError for a row that is rejected
// (reading may go on); io.EOF at the end. Rows with every cell blank are
// skipped: spreadsheets leave them at the end. n counts every row read,
// blank and rejected ones included, so a run can resume after n rows.
func (d *Decoder) Next() (rec Record, n int, err error) {
	for {
		row, err := d.r.Read()
		if err != nil {
			if _, ok := err.(*RowError); ok {
				return Record{Line: row.Line}, n + 1, err
			}
			return Record{}, n, err
		}
		n++
		if blankRow(row.Fields) {
			continue
		}
		rec, err := d.record(row)
		return rec, n, err
	}
}

// Skip reads past n rows (as Next counts them) without decoding them: a
// resumed run starts where the last one stopped.
func (d *Decoder) Skip(n int) error {
	for i := 0; i < n; i++ {
		if _, err := d.r.Read(); err != nil {
			if _, ok := err.(*RowError); ok {
				continue
			}
			return err
		}
	}
	return nil
}

func blankRow(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// record turns a row into a Record, or a *RowError listing every problem.
func (d *Decoder) record(row Row) (Record, error) {
	b := recordBuilder{rec: Record{Line: row.Line}}
	header := d.r.Header()
	for i, f := range d.fields {
		if f == Ignore || i >= len(row.Fields) {
			continue
		}
		b.set(f, header[i], row.Fields[i])
	}
	return b.finish()
}
