package hal

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestParseFilter(t *testing.T) {
	got, err := ParseFilter(`email_address eq 'o''brien@example.org' and modified_date gt '2026-01-01'`, "email_address", "modified_date")
	want := []Condition{{"email_address", "eq", "o'brien@example.org"}, {"modified_date", "gt", "2026-01-01"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseFilter = %+v, %v", got, err)
	}
	if tm, err := got[1].Time(); err != nil || tm.Year() != 2026 {
		t.Fatalf("Time = %v, %v", tm, err)
	}
	bad := map[string]string{
		"given_name eq 'Ada'":                          "can be filtered on",
		"email_address like 'a'":                       "unknown operator",
		"email_address eq ada":                         "single quotes",
		"email_address eq 'ada":                        "no closing quote",
		"email_address eq 'a' or email_address eq 'b'": "only \"and\"",
		"email_address":                                "expected",
	}
	for in, msg := range bad {
		_, err := ParseFilter(in, "email_address", "modified_date")
		if errs.CodeOf(err) != errs.Invalid || !strings.Contains(errs.MessageOf(err), msg) {
			t.Errorf("ParseFilter(%q) = %v; want Invalid mentioning %q", in, err, msg)
		}
	}
}

func TestCollectionLinks(t *testing.T) {
	self, _ := url.Parse("https://act.example.org/api/v1/people?$filter=x")
	c := NewCollection("osdi:people", self, Page{Number: 2, Size: 25}, 60, []int{1}, Curies("https://act.example.org/api/docs"))
	if c.TotalPages != 3 || c.Page != 2 || c.TotalRecords != 60 {
		t.Fatalf("collection = %+v", c)
	}
	next := c.Links["next"].(Link).Href
	if !strings.Contains(next, "page=3") || !strings.Contains(next, "per_page=25") || !strings.Contains(next, "%24filter=x") {
		t.Errorf("next = %s", next)
	}
	if _, ok := c.Links["previous"]; !ok {
		t.Error("page 2 has no previous link")
	}
	last := NewCollection("osdi:people", self, Page{Number: 3, Size: 25}, 60, nil, nil)
	if _, ok := last.Links["next"]; ok {
		t.Error("the last page has a next link")
	}
	if p := PageFrom(url.Values{"page": {"0"}, "per_page": {"1000"}}); p.Number != 1 || p.Size != MaxPageSize {
		t.Errorf("PageFrom clamps: %+v", p)
	}
}

func TestParseAlternatives(t *testing.T) {
	got, err := ParseAlternatives(`email_address eq 'a@x.org' or email_address eq 'b@x.org' and modified_date gt '2026-01-01'`,
		"email_address", "modified_date")
	want := Alternatives{{{"email_address", "eq", "a@x.org"}}, {{"email_address", "eq", "b@x.org"}, {"modified_date", "gt", "2026-01-01"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseAlternatives = %+v, %v", got, err)
	}
	for in, msg := range map[string]string{
		"(email_address eq 'a')":                    "parentheses",
		"email_address eq 'a' xor given_name":       "expected \"and\" or \"or\"",
		"given_name eq 'a' or email_address eq 'b'": "can be filtered on",
	} {
		if _, err := ParseAlternatives(in, "email_address"); errs.CodeOf(err) != errs.Invalid || !strings.Contains(errs.MessageOf(err), msg) {
			t.Errorf("ParseAlternatives(%q) = %v; want Invalid mentioning %q", in, err, msg)
		}
	}
}

func TestFilterParam(t *testing.T) {
	for _, tt := range []struct {
		q    url.Values
		want string
		bad  bool
	}{
		{url.Values{"filter": {"a eq 'b'"}}, "a eq 'b'", false},
		{url.Values{"$filter": {"a eq 'b'"}}, "a eq 'b'", false},
		{url.Values{"filter": {"a eq 'b'"}, "$filter": {"a eq 'b'"}}, "a eq 'b'", false},
		{url.Values{"filter": {"a eq 'b'"}, "$filter": {"a eq 'c'"}}, "", true},
		{url.Values{}, "", false},
	} {
		got, err := FilterParam(tt.q)
		if got != tt.want || (err != nil) != tt.bad {
			t.Errorf("FilterParam(%v) = %q, %v", tt.q, got, err)
		}
	}
}

func TestPerPageIsActionNetworks(t *testing.T) {
	if p := PageFrom(url.Values{"per_page": {"100"}}); p.Size != 25 {
		t.Fatalf("per_page=100 gives %d, want 25 as Action Network", p.Size)
	}
}
