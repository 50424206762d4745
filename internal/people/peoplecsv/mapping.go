package peoplecsv

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Column is one column of a file and the field it holds.
type Column struct {
	// Index is the column's position, from 0; -1 in a mapping parsed from a
	// spec by header name, until Resolve places it.
	Index  int
	Header string
	Field  Field
}

// Mapping says which field each column of a file holds (column index →
// field). DetectMapping makes one from a header line; a person edits it on
// the import wizard, or with --map on the command line.
type Mapping struct {
	Columns []Column
}

// DetectMapping maps each header to the field it names, case- and
// punctuation-insensitively ("E-mail address" → email, "Post code" →
// postcode, "custom:shoe_size" → that custom field). Unknown headers are
// ignored.
func DetectMapping(header []string) Mapping {
	m := Mapping{Columns: make([]Column, len(header))}
	for i, h := range header {
		m.Columns[i] = Column{Index: i, Header: h, Field: detectField(h)}
	}
	return m
}

// Field returns the field of column i, or Ignore.
func (m Mapping) Field(i int) Field {
	for _, c := range m.Columns {
		if c.Index == i {
			return c.Field
		}
	}
	return Ignore
}

// Fields lists the distinct fields the mapping fills, known fields in
// KnownFields order, then custom fields by key.
func (m Mapping) Fields() []Field {
	has := map[Field]bool{}
	var custom []Field
	for _, c := range m.Columns {
		if c.Field == Ignore || has[c.Field] {
			continue
		}
		has[c.Field] = true
		if _, ok := c.Field.CustomKey(); ok {
			custom = append(custom, c.Field)
		}
	}
	var out []Field
	for _, k := range known {
		if has[k.Field] {
			out = append(out, k.Field)
		}
	}
	sort.Slice(custom, func(i, j int) bool { return custom[i] < custom[j] })
	return append(out, custom...)
}

// Spec is the mapping as header → field, the form ParseMapping reads
// (stored with an import run, sent by the wizard). A header that appears
// twice in the file is written "#<column number>" instead.
func (m Mapping) Spec() map[string]string {
	count := map[string]int{}
	for _, c := range m.Columns {
		count[headerKey(c.Header)]++
	}
	out := make(map[string]string, len(m.Columns))
	for _, c := range m.Columns {
		key := c.Header
		if count[headerKey(c.Header)] > 1 || c.Header == "" || strings.HasPrefix(c.Header, "#") {
			key = "#" + strconv.Itoa(c.Index+1)
		}
		out[key] = string(c.Field)
	}
	return out
}

// ParseMapping reads a mapping from header → field (the --map flag, the
// wizard's form). A key "#3" names the third column. A field "" or
// "ignore" ignores the column. Unknown fields are an error naming the
// column; the result is partial until Resolve applies it to a file's header.
func ParseMapping(spec map[string]string) (Mapping, error) {
	var m Mapping
	var bad []string
	keys := make([]string, 0, len(spec))
	for k := range spec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, h := range keys {
		v := strings.TrimSpace(spec[h])
		f := Field(v)
		switch {
		case v == "" || strings.EqualFold(v, "ignore") || v == "-":
			f = Ignore
		case !f.Valid():
			if d := detectField(v); d != Ignore { // "--map 'Mobile=Phone'" works too
				f = d
			} else {
				bad = append(bad, fmt.Sprintf("%q: %q is not a field", errs.Clip(h, errs.EchoMax), errs.Clip(v, errs.EchoMax)))
				continue
			}
		}
		c := Column{Index: -1, Header: h, Field: f}
		if n, ok := strings.CutPrefix(h, "#"); ok {
			i, err := strconv.Atoi(n)
			if err != nil || i < 1 {
				bad = append(bad, fmt.Sprintf("%q is not a column number (#1 is the first column)", errs.Clip(h, errs.EchoMax)))
				continue
			}
			c.Index, c.Header = i-1, ""
		}
		m.Columns = append(m.Columns, c)
	}
	if len(bad) > 0 {
		return m, fmt.Errorf("the column mapping is not valid: %s (fields: %s)", strings.Join(bad, "; "), fieldNames())
	}
	return m, nil
}

func fieldNames() string {
	names := make([]string, 0, len(known)+1)
	for _, k := range known {
		names = append(names, string(k.Field))
	}
	return strings.Join(append(names, "custom:<key>", "ignore"), ", ")
}

// Resolve returns the mapping of a file with this header: detected from the
// header, then overridden by the columns of override (matched by header,
// case- and punctuation-insensitively, or by "#n"). It is an error for
// override to name a column the file lacks, or for the result to map no
// column at all (the file has no header line Momentum can read).
func Resolve(header []string, override *Mapping) (Mapping, error) {
	m := DetectMapping(header)
	if override != nil {
		for _, o := range override.Columns {
			found := false
			for i := range m.Columns {
				c := &m.Columns[i]
				if o.Index == c.Index || o.Index < 0 && headerKey(o.Header) == headerKey(c.Header) && o.Header != "" {
					c.Field, found = o.Field, true
				}
			}
			if !found {
				name := o.Header
				if o.Index >= 0 {
					name = "#" + strconv.Itoa(o.Index+1)
				}
				return m, &FormatError{Message: fmt.Sprintf("The column mapping names a column %q, but the file has no such column (its columns: %s).", errs.Clip(name, errs.EchoMax), quoteList(header, 20))}
			}
		}
	}
	if len(m.Fields()) == 0 {
		return m, &FormatError{Message: fmt.Sprintf("The first line should name the columns (for example First name, Last name, Email, Postcode), but none of %s is a column Momentum knows. Add a header line, or map the columns yourself.", quoteList(header, 5))}
	}
	return m, nil
}

func quoteList(ss []string, max int) string {
	var q []string
	for i, s := range ss {
		if i == max {
			q = append(q, "…")
			break
		}
		q = append(q, strconv.Quote(errs.Clip(s, 40)))
	}
	if len(q) == 0 {
		return "the (empty) first line"
	}
	return strings.Join(q, ", ")
}
