package people

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/timebound"
)

// Kinds of custom field.
const (
	KindText   = "text"
	KindNumber = "number"
	KindDate   = "date" // 2006-01-02
	KindChoice = "choice"
)

// FieldDef is a custom field admins add to every person record.
type FieldDef struct {
	Key       string // [a-z0-9_]+, at most 50 characters
	Label     string
	Kind      string   // text, number, date or choice
	Choices   []string // for choice
	CreatedAt time.Time
}

var fieldKeyRE = regexp.MustCompile(`^[a-z0-9_]{1,50}$`)

// Validate checks a definition, trimming its label and choices, and returns
// errs.Fields naming key, label, kind or choices.
func (f *FieldDef) Validate() error {
	bad := map[string]string{}
	f.Key = strings.TrimSpace(f.Key)
	if !fieldKeyRE.MatchString(f.Key) {
		bad["key"] = "Use lower-case letters, digits and _ only (at most 50)."
	}
	f.Label = strings.TrimSpace(f.Label)
	if f.Label == "" || utf8.RuneCountInString(f.Label) > maxLineLen {
		bad["label"] = "Enter a label of at most 200 characters."
	}
	if !slices.Contains([]string{KindText, KindNumber, KindDate, KindChoice}, f.Kind) {
		bad["kind"] = "Choose text, number, date or choice."
	}
	var choices []string
	for _, c := range f.Choices {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(choices, c) {
			choices = append(choices, c)
		}
	}
	f.Choices = choices
	if f.Kind == KindChoice && len(choices) == 0 {
		bad["choices"] = "Give at least one choice."
	}
	if f.Kind != KindChoice && len(choices) > 0 {
		bad["choices"] = "Only a choice field has choices."
	}
	return errs.Fields(bad)
}

// checkValue returns what is wrong with a value for this field, or "".
// It normalises numbers and dates.
func (f *FieldDef) checkValue(v string) (string, string) {
	v = strings.TrimSpace(v)
	switch f.Kind {
	case KindText:
		if utf8.RuneCountInString(v) > maxCustomLen {
			return v, "Use at most 1000 characters."
		}
	case KindNumber:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return v, "Enter a number."
		}
		return strconv.FormatFloat(n, 'f', -1, 64), ""
	case KindDate:
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return v, "Enter a date as YYYY-MM-DD."
		}
		if !timebound.In(d) {
			return v, timebound.Message
		}
		return d.Format(time.DateOnly), ""
	case KindChoice:
		if !slices.Contains(f.Choices, v) {
			return v, "Choose one of: " + strings.Join(f.Choices, ", ") + "."
		}
	}
	return v, ""
}

// checkCustom validates values against the definitions, returning the
// cleaned values (empty ones dropped) or errs.Fields naming
// "custom.<key>".
func checkCustom(defs []FieldDef, values map[string]string) (map[string]string, error) {
	byKey := make(map[string]*FieldDef, len(defs))
	for i := range defs {
		byKey[defs[i].Key] = &defs[i]
	}
	out := make(map[string]string, len(values))
	bad := map[string]string{}
	for k, v := range values {
		d, ok := byKey[k]
		if !ok {
			bad["custom."+k] = "There is no such field."
			continue
		}
		if strings.TrimSpace(v) == "" {
			continue
		}
		clean, problem := d.checkValue(v)
		if problem != "" {
			bad["custom."+k] = problem
			continue
		}
		out[k] = clean
	}
	if err := errs.Fields(bad); err != nil {
		return nil, err
	}
	return out, nil
}
