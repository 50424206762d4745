package peopleweb

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
)

// issue 16: the people list's order and numbered pages.

// listPageSize is how many people a page of the list shows.
const listPageSize = 50

// sortHeader is one sortable column heading: its link flips the direction
// when the list is already sorted by it. AriaSort is "ascending",
// "descending" or "" (not sorted by it).
type sortHeader struct {
	Label, URL, AriaSort string
}

// pageLink is one numbered page link; Current marks the page shown, Gap an
// ellipsis between far pages.
type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// listOrder is the list's order and page as read from the query.
type listOrder struct {
	Sort string
	Desc bool
	Page int
	// Notice explains a sort or page that was not understood and what is
	// shown instead.
	Notice string
}

// sortLabels name the sortable columns, in the table's order.
var sortLabels = []struct{ Key, Label string }{
	{"name", "Name"}, {"joined", "Joined"}, {"last_active", "Last active"},
}

// readOrder reads sort, dir and page from q, falling back to the default
// order and the first page for values it does not know.
func readOrder(q url.Values) listOrder {
	o := listOrder{Sort: people.DefaultSort, Page: 1}
	var bad []string
	if s := strings.TrimSpace(q.Get("sort")); s != "" {
		if _, ok := people.Sorts[s]; ok {
			o.Sort = s
		} else {
			bad = append(bad, "We can't sort by that: the list is in the order people joined.")
		}
	}
	switch d := strings.TrimSpace(q.Get("dir")); d {
	case "", "asc":
	case "desc":
		o.Desc = true
	default:
		bad = append(bad, "The direction is asc or desc: the list is in ascending order.")
	}
	if p := strings.TrimSpace(q.Get("page")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			bad = append(bad, "Pages are numbered from 1: this is the first.")
		} else {
			o.Page = n
		}
	}
	o.Notice = strings.Join(bad, " ")
	return o
}

// values is the order as query parameters (the default order's left out).
func (o listOrder) values(page int) url.Values {
	v := url.Values{}
	if o.Sort != people.DefaultSort || o.Desc {
		v.Set("sort", o.Sort)
	}
	if o.Desc {
		v.Set("dir", "desc")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

// listURL is the list's address for the filter fv with order o at page.
func listURL(fv url.Values, o listOrder, page int) string {
	v := o.values(page)
	for k, vs := range fv {
		v[k] = vs
	}
	if len(v) == 0 {
		return "/people"
	}
	return "/people?" + v.Encode()
}

// headers are the sortable column headings for the filter fv and order o:
// a column's link sorts by it ascending, or flips the direction when the
// list is already sorted by it; the page goes back to 1.
func headers(fv url.Values, o listOrder) []sortHeader {
	out := make([]sortHeader, 0, len(sortLabels))
	for _, s := range sortLabels {
		h := sortHeader{Label: s.Label}
		next := listOrder{Sort: s.Key}
		if o.Sort == s.Key {
			h.AriaSort = "ascending"
			if o.Desc {
				h.AriaSort = "descending"
			}
			next.Desc = !o.Desc
		}
		h.URL = listURL(fv, next, 1)
		out = append(out, h)
	}
	return out
}

// pageLinks numbers the pages around the current one: the first, the
// last, and two either side, with gaps between.
func pageLinks(fv url.Values, o listOrder, pages int) []pageLink {
	if pages <= 1 {
		return nil
	}
	var out []pageLink
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < o.Page-2 || n > o.Page+2) {
			if len(out) > 0 && !out[len(out)-1].Gap {
				out = append(out, pageLink{Gap: true})
			}
			continue
		}
		out = append(out, pageLink{N: n, URL: listURL(fv, o, n), Current: n == o.Page})
	}
	return out
}
