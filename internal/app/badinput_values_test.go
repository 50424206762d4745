package app_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The values TestBadInputNeverServerError sends, and the helpers that find
// the fields to put them in.

// badValues go into every field at once; oversize is sent separately, to
// the fields a row names and the long-text fields, to keep bodies small.
var badValues = []struct{ name, v string }{
	{"empty", ""},
	{"garbage", `garbage <b>&'"; DROP TABLE people;--`},
	{"invalid UTF-8", "bad\xff\xfe\xfdutf8"},
	{"NUL", "nul\x00byte"},
	{"negative", "-1"},
	{"int32+1", "2147483648"},
	{"int64 max", "9223372036854775807"},
	{"huge", "99999999999999999999999"},
	{"NaN", "NaN"},
	{"unknown id", "0190e0c0-0000-7000-8000-000000000000"},
	{"year 0", "0000-01-01"},
	{"year 9999", "9999-12-31"},
	{"year 9999 Honolulu", "9999-12-31T23:30:00-10:00"},
	{"time", "25:61"},
}

var oversize = strings.Repeat("x", 100<<10)

// longTextFields get the oversize value on every POST route.
var longTextFields = []string{"title", "name", "description", "body", "message"}

// pathBad replace one placeholder of the path at a time.
var pathBad = []struct{ name, v string }{
	{"unknown id", "0190e0c0-0000-7000-8000-000000000000"},
	{"garbage", "garbage"},
	{"invalid UTF-8", "%FF%FE"},
	{"NUL", "%00"},
	{"huge", "99999999999999999999999"},
	{"negative", "-1"},
	{"long", strings.Repeat("a", 2000)},
}

// malformedJSON are whole bodies for the API's writes.
var malformedJSON = []string{``, `{`, `[]`, `null`, `"text"`, `{"title":5,"start_date":true}`,
	"{\"title\":\"bad\xff\"}", `{"capacity":1e300}`, `{"capacity":-5,"start_date":"0000-01-01T00:00:00Z","end_date":"0000-01-01T01:00:00Z"}`,
	`{"capacity":2147483648}`, `{"_links":{"osdi:person":{"href":"http://x/api/v1/people/0190e0c0-0000-7000-8000-000000000000"}}}`,
	`{"_links":{"osdi:person":{"href":"garbage"}}}`, `{"person":{}}`, `{"person":{"email_addresses":[{}]}}`,
	`{"email_addresses":[{"address":"\u0000@example.org"}]}`, `{"given_name":"` + strings.Repeat("y", 100<<10) + `"}`}

// apiFilters are OData filters the API's lists read, at and past the
// edges of time.
var apiFilters = []string{"modified_date gt '0000-01-01'", "modified_date lt '9999-12-31T23:30:00-10:00'",
	"start_date gt '0001-01-01T00:00:00+14:00'", "start_date le '9999-12-31'", "email_address eq '" + oversize[:4<<10] + "'",
	"modified_date gt 'garbage'", "email_address eq 'a''b' and", "no_such_field eq '1'", "email_address eq '0190e0c0-0000-7000-8000-000000000000'"}

// apiQueryFields are the query parameters the API's lists read.
var apiQueryFields = []string{"page", "per_page", "filter", "status", "group_id", "since"}

// formFields lists every form field and query parameter the code reads or
// draws: the names handlers ask for and the names templates draw.
func formFields(t *testing.T) []string {
	t.Helper()
	goRead := regexp.MustCompile(`(?:FormValue|PostFormValue|\.Get|Query\(\)\.Get)\("([a-z][a-z_]*)"\)|(?:PostForm|Form)\["([a-z][a-z_]*)"\]`)
	tmplName := regexp.MustCompile(`name="([a-z][a-z_]*)"|field \$?\.?[A-Za-z.]* ?"([a-z][a-z_]*)"`)
	set := map[string]bool{}
	filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		var re *regexp.Regexp
		switch {
		case strings.HasSuffix(p, ".go"):
			re = goRead
		case strings.HasSuffix(p, ".html"):
			re = tmplName
		default:
			return nil
		}
		src, _ := os.ReadFile(p)
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			for _, g := range m[1:] {
				if g != "" {
					set[g] = true
				}
			}
		}
		return nil
	})
	// Names built at run time, which no literal shows.
	for _, k := range []string{"start", "end", "opens_date", "opens_time", "closes_date", "closes_time", "shift_start", "shift_end", "shift_capacity", "rank_1", "rank_2", "score_1", "person_id", "page", "per_page"} {
		set[k] = true
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) < 80 {
		t.Fatalf("only %d form fields found: %v", len(out), out)
	}
	return out
}

func fill(fields []string, v string) url.Values {
	vals := url.Values{}
	for _, k := range fields {
		vals.Set(k, v)
	}
	return vals
}

func joinQuery(q string, extra url.Values) string {
	if q == "" {
		return extra.Encode()
	}
	return q + "&" + extra.Encode()
}

// mutateJSON replaces every string in body by v; a body that does not
// decode is sent with v as its only field.
func mutateJSON(body, v string) string {
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		doc = map[string]any{}
	}
	var walk func(any) any
	walk = func(x any) any {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
			return x
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
			return x
		case string:
			return v
		case float64:
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				return n
			}
		}
		return x
	}
	doc = walk(doc)
	if m, ok := doc.(map[string]any); ok {
		for _, k := range []string{"title", "start_date", "end_date", "momentum:time_zone", "given_name", "status"} {
			if _, set := m[k]; !set {
				m[k] = v
			}
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return fmt.Sprintf(`{"title":%q}`, v)
	}
	// json.Marshal turns invalid UTF-8 into U+FFFD: put the raw bytes back
	// so the server meets them.
	return strings.ReplaceAll(string(out), `\ufffd`, "\xff")
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}
