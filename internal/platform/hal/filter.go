package hal

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Condition is one comparison of an OData $filter: field op value.
type Condition struct {
	Field string // e.g. "email_address", "modified_date"
	Op    string // eq, ne, gt, ge, lt, le
	Value string
}

// Time parses the value as an OSDI date ("2014-03-20" or RFC 3339).
func (c Condition) Time() (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, c.Value); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errs.E(errs.Invalid, "filter: %s needs a date like 2026-11-26 or 2026-11-26T09:00:00Z, not %q", c.Field, c.Value)
}

// FilterParam returns the filter of a request: Action Network's "filter"
// parameter, or OData's "$filter" (OSDI); sending both with different
// values is an errs.Invalid.
func FilterParam(q url.Values) (string, error) {
	f, df := q.Get("filter"), q.Get("$filter")
	switch {
	case f == "":
		return df, nil
	case df == "" || df == f:
		return f, nil
	}
	return "", errs.E(errs.Invalid, "filter: send the filter once, as filter= or as $filter=, not both with different values.")
}

// Alternatives is a parsed filter: a record matches when it meets every
// condition of at least one alternative ("and" binds before "or", as in
// OData).
type Alternatives [][]Condition

// ParseFilter reads the subset of OData $filter OSDI servers support:
// comparisons (eq, ne, gt, ge, lt, le) joined by "and", values in single
// quotes (” for a quote), e.g.
//
//	email_address eq 'ada@example.org'
//	modified_date gt '2026-01-01' and modified_date lt '2026-02-01'
//
// allowed lists the fields a collection can filter on; anything else,
// and "or" (see ParseAlternatives), is an errs.Invalid naming the problem.
func ParseFilter(s string, allowed ...string) ([]Condition, error) {
	alts, err := ParseAlternatives(s, allowed...)
	if err != nil {
		return nil, err
	}
	switch len(alts) {
	case 0:
		return nil, nil
	case 1:
		return alts[0], nil
	}
	return nil, errs.E(errs.Invalid, "filter: this collection cannot join conditions with \"or\" (only \"and\" is supported here).")
}

// ParseAlternatives is ParseFilter with "or" as well as "and" between
// conditions, "and" binding first:
//
//	email_address eq 'a@example.org' or email_address eq 'b@example.org'
//
// Parentheses are refused with a message saying so.
func ParseAlternatives(s string, allowed ...string) (Alternatives, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if strings.HasPrefix(s, "(") {
		return nil, errs.E(errs.Invalid, "filter: parentheses are not supported; write conditions joined by and/or (and binds first).")
	}
	var out Alternatives
	cur := []Condition{}
	rest := s
	for {
		c, tail, err := parseCondition(rest)
		if err != nil {
			return nil, errs.E(errs.Invalid, "filter: %s", err)
		}
		if !slices.Contains(allowed, c.Field) {
			return nil, errs.E(errs.Invalid, "filter: this collection can be filtered on %s, not %q", strings.Join(allowed, ", "), c.Field)
		}
		cur = append(cur, c)
		tail = strings.TrimSpace(tail)
		if tail == "" {
			return append(out, cur), nil
		}
		lower := strings.ToLower(tail)
		switch {
		case strings.HasPrefix(lower, "and "):
			rest = tail[4:]
		case strings.HasPrefix(lower, "or "):
			out, cur = append(out, cur), []Condition{}
			rest = tail[3:]
		default:
			return nil, errs.E(errs.Invalid, "filter: expected \"and\" or \"or\" before %q", tail)
		}
	}
}

func parseCondition(s string) (Condition, string, error) {
	s = strings.TrimLeft(s, " ")
	field, rest, ok := strings.Cut(s, " ")
	if !ok || field == "" {
		return Condition{}, "", fmt.Errorf("expected \"field op 'value'\", got %q", s)
	}
	rest = strings.TrimLeft(rest, " ")
	op, rest, ok := strings.Cut(rest, " ")
	op = strings.ToLower(op)
	switch op {
	case "eq", "ne", "gt", "ge", "lt", "le":
	default:
		return Condition{}, "", fmt.Errorf("unknown operator %q (use eq, ne, gt, ge, lt or le)", op)
	}
	if !ok {
		return Condition{}, "", fmt.Errorf("%s %s needs a value", field, op)
	}
	rest = strings.TrimLeft(rest, " ")
	if !strings.HasPrefix(rest, "'") {
		return Condition{}, "", fmt.Errorf("the value after %s %s must be in single quotes", field, op)
	}
	var b strings.Builder
	i := 1
	for ; i < len(rest); i++ {
		if rest[i] == '\'' {
			if i+1 < len(rest) && rest[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return Condition{Field: field, Op: op, Value: b.String()}, rest[i+1:], nil
		}
		b.WriteByte(rest[i])
	}
	return Condition{}, "", fmt.Errorf("the value after %s %s has no closing quote", field, op)
}

// MatchTimes reports whether a record whose date fields are times meets
// the filter, for collections small enough to filter in memory (at most a
// few thousand records). A date without a time ("2026-11-26") compared
// with eq or ne means the whole day (UTC). An empty filter matches.
//
// Errors: errs.Invalid when a value is not a date, or a field the filter
// names is missing from times.
func (a Alternatives) MatchTimes(times map[string]time.Time) (bool, error) {
	if len(a) == 0 {
		return true, nil
	}
	for _, alt := range a {
		ok := true
		for _, c := range alt {
			t, known := times[c.Field]
			if !known {
				return false, errs.E(errs.Invalid, "filter: this collection cannot be filtered on %q", c.Field)
			}
			v, err := c.Time()
			if err != nil {
				return false, err
			}
			t = t.UTC()
			if !strings.Contains(c.Value, "T") && (c.Op == "eq" || c.Op == "ne") {
				same := t.Format(time.DateOnly) == v.Format(time.DateOnly)
				ok = ok && (same == (c.Op == "eq"))
				continue
			}
			switch c.Op {
			case "eq":
				ok = ok && t.Equal(v)
			case "ne":
				ok = ok && !t.Equal(v)
			case "gt":
				ok = ok && t.After(v)
			case "ge":
				ok = ok && !t.Before(v)
			case "lt":
				ok = ok && t.Before(v)
			case "le":
				ok = ok && !t.After(v)
			}
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}
