package app_test

import (
	"archive/zip"
	"encoding/json"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// zoneSpread are the zones the forms' dates are tried in: the widest
// offsets both ways (Kiritimati +14, Etc/GMT+12 is −12), Honolulu (the
// issue's), odd quarters and halves, and daylight saving either side.
var zoneSpread = []string{"UTC", "Pacific/Honolulu", "Pacific/Kiritimati", "Etc/GMT+12", "Etc/GMT-14",
	"Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe", "Pacific/Chatham", "Europe/London", "America/Los_Angeles", "Asia/Tokyo"}

var (
	allZonesOnce sync.Once
	allZones     []string
)

// everyZone lists every zone of the Go toolchain's zone database, for the
// API, where one request per zone is cheap; the spread when it is absent.
func everyZone() []string {
	allZonesOnce.Do(func() {
		zr, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
		if err != nil {
			allZones = zoneSpread
			return
		}
		defer zr.Close()
		for _, f := range zr.File {
			if !strings.HasSuffix(f.Name, "/") {
				allZones = append(allZones, f.Name)
			}
		}
	})
	return allZones
}

// farDates are the out-of-range days and times the date forms get.
var farDates = []struct{ date, start, end string }{
	{"9999-12-31", "23:30", "23:45"}, {"9999-12-31", "00:00", "01:00"},
	{"0000-01-01", "00:00", "01:00"}, {"0000-01-01", "23:30", "23:45"}, {"0001-01-01", "00:00", "00:30"},
}

// dateRequests are the valid forms and bodies of the routes that take a
// date, with dates in years 0 and 9999 in many zones. Each must be refused
// with a message, never stored and never a 5xx.
func dateRequests(b *badInput, row permRow, role string) []badRequest {
	path, query, _ := strings.Cut(row.path, "?")
	key := row.method + " " + path
	mk := func(what string, vals url.Values) badRequest {
		for k, vs := range row.form {
			if _, set := vals[k]; !set {
				vals.Set(k, b.f.fill(vs[0]))
			}
		}
		return badRequest{what: what, path: b.f.fill(path), query: b.f.fill(query), body: vals.Encode(), contentType: "application/x-www-form-urlencoded"}
	}
	var out []badRequest
	switch key {
	case "POST /events", "POST /events/{EV}/edit":
		for _, z := range zoneSpread {
			for _, d := range farDates {
				out = append(out, mk("date "+d.date+" "+d.start+" in "+z, url.Values{"title": {"Far event"}, "date": {d.date},
					"start": {d.start}, "end": {d.end}, "time_zone": {z}, "place_name": {"Round Chapel"}}))
			}
		}
	case "POST /decisions", "POST /decisions/{DECD}/edit":
		for _, d := range farDates {
			out = append(out, mk("opens and closes "+d.date, url.Values{"title": {"Far decision"}, "kind": {"poll"}, "options": {"Yes\nNo"},
				"opens_date": {d.date}, "opens_time": {d.start}, "closes_date": {d.date}, "closes_time": {d.end}}))
			out = append(out, mk("member_since "+d.date, url.Values{"title": {"Far electorate"}, "kind": {"poll"}, "options": {"Yes\nNo"},
				"member_since": {d.date}, "members_only": {"true"}}))
		}
	case "POST /people/{PA}/donations":
		for _, d := range farDates {
			out = append(out, mk("donated_at "+d.date, url.Values{"amount": {"5"}, "donated_at": {d.date}}))
		}
	case "POST /api/v1/events", "PUT /api/v1/events/{EV}":
		zones := zoneSpread
		if role == "network token" {
			zones = everyZone() // the one role that gets past the policy
		}
		for _, z := range zones {
			for _, d := range farDates[:3] {
				body, _ := json.Marshal(map[string]any{"title": "Far API event", "momentum:time_zone": z,
					"start_date": d.date + "T" + d.start + ":00", "end_date": d.date + "T" + d.end + ":00",
					"location": map[string]any{"venue": "Round Chapel"}})
				out = append(out, badRequest{what: "start_date " + d.date + "T" + d.start + " in " + z, path: b.f.fill(path),
					query: b.f.fill(query), body: string(body), contentType: "application/json"})
			}
		}
		for _, s := range []string{"9999-12-31T23:30:00-10:00", "0000-01-01T00:00:00+14:00", "10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z"} {
			body, _ := json.Marshal(map[string]any{"title": "Far API event", "start_date": s, "end_date": s,
				"location": map[string]any{"venue": "Round Chapel"}})
			out = append(out, badRequest{what: "start_date " + s, path: b.f.fill(path), query: b.f.fill(query), body: string(body), contentType: "application/json"})
		}
	}
	return out
}
