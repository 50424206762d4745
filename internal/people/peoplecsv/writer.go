package peoplecsv

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Writer writes Records in the canonical columns: the Label of every known
// field (the full-name column aside), then "custom:<key>" per custom field.
// The reader detects every one of these headers, so what a Writer writes
// reads back as the same Records.
type Writer struct {
	out    io.Writer
	w      *csv.Writer
	custom []string
	wrote  bool
	row    []string
}

// NewWriter returns a Writer with a column for each custom field key.
func NewWriter(w io.Writer, customKeys []string) *Writer {
	keys := append([]string(nil), customKeys...)
	sort.Strings(keys)
	return &Writer{out: w, w: csv.NewWriter(w), custom: keys}
}

// exportFields are the canonical columns, in order.
var exportFields = func() []Field {
	var fs []Field
	for _, k := range known {
		if k.Field != FullName {
			fs = append(fs, k.Field)
		}
	}
	return fs
}()

// Header is the canonical header line for these custom field keys.
func (w *Writer) Header() []string {
	h := make([]string, 0, len(exportFields)+len(w.custom))
	for _, f := range exportFields {
		h = append(h, f.Label())
	}
	for _, k := range w.custom {
		h = append(h, CustomField(k).Label())
	}
	return h
}

// Write writes one record, after the header line on the first call.
func (w *Writer) Write(r *Record) error {
	if err := w.start(); err != nil {
		return err
	}
	w.row = w.row[:0]
	for _, f := range exportFields {
		w.row = append(w.row, guard(value(r, f)))
	}
	for _, k := range w.custom {
		w.row = append(w.row, guard(r.Custom[k]))
	}
	return w.w.Write(w.row)
}

// Flush writes the header if nothing else was written, flushes, and
// reports any error of the underlying writer.
func (w *Writer) Flush() error {
	if err := w.start(); err != nil {
		return err
	}
	w.w.Flush()
	return w.w.Error()
}

// start writes a UTF-8 byte order mark, so that Excel opens the file as
// UTF-8, and the header line.
func (w *Writer) start() error {
	if w.wrote {
		return nil
	}
	w.wrote = true
	if _, err := io.WriteString(w.out, "\ufeff"); err != nil {
		return err
	}
	return w.w.Write(w.Header())
}

// guard puts an apostrophe before a cell a spreadsheet would run as a
// formula ("=HYPERLINK(…)", and "+44…" too), and before one that already
// starts with an apostrophe; the reader takes it off again.
func guard(s string) string {
	if s != "" && strings.ContainsRune(formulaStart+"'", rune(s[0])) {
		return "'" + s
	}
	return s
}

func value(r *Record, f Field) string {
	date := func(t interface{ Format(string) string }) string { return t.Format("2006-01-02") }
	switch f {
	case GivenName:
		return r.GivenName
	case FamilyName:
		return r.FamilyName
	case Email:
		return strings.Join(r.Emails, ", ")
	case Phone:
		return strings.Join(r.Phones, ", ")
	case Address1:
		return r.Address1
	case Address2:
		return r.Address2
	case Locality:
		return r.Locality
	case Region:
		return r.Region
	case Postcode:
		return r.Postcode
	case Country:
		return r.Country
	case Latitude:
		if r.Latitude != nil {
			return strconv.FormatFloat(*r.Latitude, 'f', -1, 64)
		}
	case Longitude:
		if r.Longitude != nil {
			return strconv.FormatFloat(*r.Longitude, 'f', -1, 64)
		}
	case Language:
		return r.Language
	case Membership:
		return r.Membership
	case MemberSince:
		if r.MemberSince != nil {
			return date(r.MemberSince)
		}
	case Tags:
		return strings.Join(r.Tags, ", ")
	case ConsentEmail, ConsentSMS, ConsentPhone, ConsentPost:
		switch r.Consents[strings.TrimPrefix(string(f), "consent_")] {
		case "granted":
			return "yes"
		case "withdrawn":
			return "no"
		}
	case DonationAmount:
		if r.Donation != nil {
			return formatAmount(r.Donation.AmountPence, r.Donation.Currency)
		}
	case DonationDate:
		if r.Donation != nil && r.Donation.Date != nil {
			return date(r.Donation.Date)
		}
	case DonationID:
		if r.Donation != nil {
			return r.Donation.ExternalID
		}
	case Source:
		return r.Source
	}
	return ""
}
