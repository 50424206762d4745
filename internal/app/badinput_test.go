package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
)

// TestBadInputNeverServerError sends bad values to every route of the
// permission matrix (so a new route cannot escape it: TestRoutesAllInMatrix
// makes every route have a row), as every role the row names, on both
// engines, and fails on any 5xx. The values: empty, garbage, invalid UTF-8,
// a NUL byte, negative and huge numbers, years 0 and 9999, an unknown id, a
// 100 KiB string; put into every form field and query parameter the code
// reads (found in the handlers and templates, so a new field is covered),
// into every string of the API's JSON bodies, and into every id of the path.
// Routes that take a date get valid forms whose date is in year 0 or 9999
// in a spread of zones (badinput_dates_test.go). Then every page a write
// redirected to, and every GET route, is read back: a value that was stored
// but cannot be read fails there.
func TestBadInputNeverServerError(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		f := setUpMatrix(t, n)
		b := &badInput{n: n, f: f, fields: formFields(t)}
		start := time.Now()
		t.Run("writes", func(t *testing.T) {
			for _, role := range append(append([]string{}, htmlRoles...), apiRoles...) {
				t.Run(role, func(t *testing.T) {
					t.Parallel()
					b.role(t, role)
				})
			}
		})
		t.Run("readback", func(t *testing.T) { b.readBack(t) })
		t.Logf("%d routes (%d matrix rows), %d form fields, %d requests in %s",
			len(b.routes()), len(matrix), len(b.fields), b.count.Load(), time.Since(start).Round(time.Second))
	})
}

type badInput struct {
	n      *apptest.Node
	f      fixtures
	fields []string
	count  atomic.Int64
	seq    atomic.Int64

	mu       sync.Mutex
	readback map[string]bool // pages writes redirected to
}

var placeholder = regexp.MustCompile(`\{[A-Za-z]+\}`)

// routes lists the distinct method+pattern pairs the rows exercise.
func (b *badInput) routes() map[string]bool {
	out := map[string]bool{}
	for _, r := range matrix {
		out[routePattern(r.method, r.path)] = true
	}
	return out
}

// role sends every bad request of every row that names role.
func (b *badInput) role(t *testing.T, role string) {
	api := false
	idx := indexOf(htmlRoles, role)
	if idx < 0 {
		api, idx = true, indexOf(apiRoles, role)
	}
	c := b.f.html[role]
	token := ""
	if api {
		c, token = apptest.Client(t), b.f.tokens[role]
	}
	for _, row := range matrix {
		letters := row.html
		if api {
			letters = row.api
		}
		if idx >= len(letters) || letters[idx] == '-' {
			continue
		}
		if row.path == "/logout" && role != "anonymous" {
			continue // it would end the role's session for the rows after it
		}
		for _, rq := range b.requests(row, role) {
			b.send(t, c, token, role, row, rq)
		}
	}
}

// badRequest is one request to send: what it holds (for the failure
// message), its path, query and body.
type badRequest struct {
	what, path, query, body, contentType string
}

func (b *badInput) requests(row permRow, role string) []badRequest {
	path, query, _ := strings.Cut(row.path, "?")
	isAPI := strings.HasPrefix(path, "/api/")
	var out []badRequest
	rowQuery := b.f.fill(query)
	base := func() badRequest { return badRequest{path: b.f.fill(path), query: rowQuery} }
	jsonBase, hasJSON := apiBodies[row.method+" "+row.path]
	switch {
	case row.method == "GET" || row.method == "DELETE":
		fields := b.fields
		if isAPI {
			fields = apiQueryFields
		}
		for _, bv := range badValues {
			r := base()
			r.what = "every query parameter = " + bv.name
			r.query = joinQuery(rowQuery, fill(fields, bv.v))
			out = append(out, r)
		}
		r := base()
		r.what, r.query = "q = 8 KiB", joinQuery(rowQuery, url.Values{"q": {oversize[:8<<10]}, "page": {"999999999"}, "per_page": {"1000000000"}})
		out = append(out, r)
		if isAPI {
			for _, f := range apiFilters {
				r := base()
				r.what, r.query = "$filter = "+f, joinQuery(rowQuery, url.Values{"$filter": {f}})
				out = append(out, r)
			}
		}
	case isAPI:
		for _, bv := range badValues {
			r := base()
			r.what, r.contentType = "every JSON string = "+bv.name, "application/json"
			r.body = mutateJSON(b.fillJSON(jsonBase), bv.v)
			out = append(out, r)
		}
		for i, body := range malformedJSON {
			r := base()
			r.what, r.contentType, r.body = "malformed body "+strconv.Itoa(i), "application/json", body
			out = append(out, r)
		}
		if !hasJSON {
			r := base()
			r.what, r.body = "no content type, form body", "a=%ff&b=\x00"
			out = append(out, r)
		}
	default:
		for _, bv := range badValues {
			r := base()
			r.what, r.contentType = "every field = "+bv.name, "application/x-www-form-urlencoded"
			r.body = fill(b.fields, bv.v).Encode()
			out = append(out, r)
		}
		big := url.Values{}
		for _, k := range longTextFields {
			big.Set(k, oversize)
		}
		for k := range row.form {
			big.Set(k, oversize)
		}
		r := base()
		r.what, r.contentType, r.body = "100 KiB in the row's and the long-text fields", "application/x-www-form-urlencoded", big.Encode()
		out = append(out, r)
		if row.form != nil {
			// The row's own form with everything else bad: its fields
			// get past the first checks, the others are read bad.
			for _, bv := range badValues[:4] {
				vals := fill(b.fields, bv.v)
				for k, vs := range row.form {
					vals[k] = []string{b.f.fillAs(role, vs[0])}
				}
				r := base()
				r.what, r.contentType, r.body = "the row's form, every other field = "+bv.name, "application/x-www-form-urlencoded", vals.Encode()
				out = append(out, r)
			}
		}
	}
	// Each placeholder of the path, replaced by bad ids, with the row's own
	// form or body.
	for _, ph := range placeholder.FindAllString(path, -1) {
		for _, pv := range pathBad {
			r := base()
			r.what = ph + " = " + pv.name
			r.path = b.f.fill(strings.Replace(path, ph, pv.v, 1))
			if row.form != nil {
				vals := url.Values{}
				for k, vs := range row.form {
					vals.Set(k, b.f.fillAs(role, vs[0]))
				}
				r.body, r.contentType = vals.Encode(), "application/x-www-form-urlencoded"
			} else if hasJSON {
				r.body, r.contentType = b.fillJSON(jsonBase), "application/json"
			}
			out = append(out, r)
		}
	}
	out = append(out, dateRequests(b, row, role)...)
	out = append(out, deepRequests(b, row)...)
	out = append(out, uploadRequests(b, row)...)
	return out
}

func (b *badInput) fillJSON(s string) string {
	if s == "" {
		return "{}"
	}
	s = strings.ReplaceAll(s, "{N}", strconv.FormatInt(b.seq.Add(1), 10))
	s = strings.ReplaceAll(s, "{URL}", b.n.URL)
	return b.f.fill(s)
}

// send makes one request and fails on a 5xx or no answer; a redirect after
// a write is remembered for the read back.
func (b *badInput) send(t *testing.T, c *http.Client, token, role string, row permRow, rq badRequest) {
	t.Helper()
	b.count.Add(1)
	u := b.n.URL + rq.path
	if rq.query != "" {
		u += "?" + rq.query
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	stream := row.path == "/live/announcements" || strings.HasSuffix(row.path, "/stream")
	if stream {
		ctx, cancel = context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, row.method, u, strings.NewReader(rq.body))
	if err != nil {
		t.Errorf("%s %s as %s, %s: cannot build the request: %v", row.method, row.path, role, rq.what, err)
		return
	}
	if rq.contentType != "" {
		req.Header.Set("Content-Type", rq.contentType)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if token != "" {
		req.Header.Set("OSDI-API-Token", token)
	}
	res, err := c.Do(req)
	if err != nil {
		if !stream {
			t.Errorf("%s %s as %s, %s: no answer: %v", row.method, row.path, role, rq.what, err)
		}
		return
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
	res.Body.Close()
	if res.StatusCode >= 500 {
		t.Errorf("%s %s as %s, %s: status %d\n%.300s", row.method, row.path, role, rq.what, res.StatusCode, body)
		return
	}
	if loc := res.Header.Get("Location"); row.method == "POST" && res.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "/login") {
		b.mu.Lock()
		if b.readback == nil {
			b.readback = map[string]bool{}
		}
		b.readback[loc] = true
		b.mu.Unlock()
	}
}

// readBack reads, as the admin and the network token, every page a write
// redirected to and every GET route, with the lists' largest pages.
func (b *badInput) readBack(t *testing.T) {
	admin := b.f.html["admin"]
	pages := []string{"/events", "/events?per_page=500", "/api/v1/events", "/api/v1/events?per_page=100", "/api/v1/people?per_page=100",
		"/people", "/decisions", "/dashboard", "/events.ics", "/events/figures", "/admin/audit"}
	for _, row := range matrix {
		if row.method == "GET" && !strings.HasSuffix(row.path, "/stream") && row.path != "/live/announcements" {
			pages = append(pages, b.f.fill(row.path))
		}
	}
	b.mu.Lock()
	for p := range b.readback {
		pages = append(pages, p)
	}
	b.mu.Unlock()
	sort.Strings(pages)
	for _, p := range pages {
		for _, as := range []struct {
			c     *http.Client
			token string
		}{{admin, ""}, {apptest.Client(t), b.f.tokens["network token"]}} {
			if strings.HasPrefix(p, "/api/") != (as.token != "") {
				continue
			}
			req, _ := http.NewRequest("GET", b.n.URL+p, nil)
			if as.token != "" {
				req.Header.Set("OSDI-API-Token", as.token)
			}
			b.count.Add(1)
			res := apptest.Do(t, as.c, req)
			if res.Status >= 500 {
				t.Errorf("read back GET %s: status %d\n%.300s", p, res.Status, res.Body)
			}
		}
	}
	t.Logf("read back %d pages", len(pages))
}
