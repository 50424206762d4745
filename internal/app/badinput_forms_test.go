package app_test

import (
	"encoding/json"
	"mime/multipart"
	"net/url"
	"sort"
	"strings"
	"time"
)

// validForms are forms each route accepts as they are, so that one field
// at a time can be made bad and reach the service and the store, past the
// other fields' checks (TestBadInputNeverServerError's "deep" requests).
// Placeholders are filled as the matrix fills them; {DAY} is the day of
// the matrix's event {EV}.
var validForms = map[string]url.Values{
	"POST /events": {"group": {"{AID}"}, "title": {"Probe event"}, "description": {"About it."}, "date": {"2030-06-01"},
		"start": {"18:00"}, "end": {"20:00"}, "time_zone": {"Europe/London"}, "place_name": {"Round Chapel"}, "kind": {"meeting"},
		"visibility": {"public"}, "capacity": {"10"}, "repeat": {"weekly"}, "repeat_count": {"4"}, "postcode": {"E8 1DY"}, "online_url": {"https://example.org/call"}},
	"POST /events/{EV}/edit": {"title": {"Matrix meeting"}, "date": {"{DAY}"}, "start": {"19:00"}, "end": {"21:00"},
		"time_zone": {"Europe/London"}, "place_name": {"Round Chapel"}, "capacity": {"10"}, "description": {"About it."}},
	"POST /events/{EV}/shifts": {"shift_title": {"Probe shift"}, "date": {"{DAY}"}, "shift_start": {"19:00"}, "shift_end": {"20:00"}, "shift_capacity": {"5"}},
	"POST /events/{EV}/walkin": {"name": {"Walk In"}, "email": {"walk.in@example.org"}, "postcode": {"E8 1DY"}, "consent": {"true"}},
	"POST /events/{EV}/rsvp":   {"status": {"accepted"}, "name": {"Gus Guest"}, "email": {"gus.probe@example.org"}, "shift_id": {"{SHIFT}"}},
	"POST /decisions": {"group": {"{AID}"}, "kind": {"poll"}, "title": {"Probe decision"}, "body": {"Why."}, "options": {"Yes\nNo"},
		"opens_date": {"2030-06-01"}, "opens_time": {"09:00"}, "closes_date": {"2030-06-08"}, "closes_time": {"21:00"}, "seats": {"1"},
		"required": {"1/2"}, "quorum_percent": {"10"}, "member_since": {"2024-01-01"}, "nomination_threshold": {"0"}},
	"POST /decisions/{DECD}/edit": {"kind": {"poll"}, "title": {"Matrix draft"}, "options": {"Library\nPub"}, "seats": {"1"},
		"opens_date": {"2030-06-01"}, "opens_time": {"09:00"}, "closes_date": {"2030-06-08"}, "closes_time": {"21:00"}, "quorum_percent": {"0"}},
	"POST /decisions/{NOMD}/nominate": {"statement": {"Vote for me."}},
	"POST /people": {"group": {"{AID}"}, "given_name": {"Probe"}, "family_name": {"Person"}, "email": {"probe@example.org"},
		"phone": {"07700 900123"}, "postcode": {"E8 1DY"}},
	"POST /people/{PA}/edit":       {"given_name": {"Alma"}, "family_name": {"Fixture"}, "email": {"alma@example.org"}, "phone": {"07700 900456"}, "postcode": {"E8 1DY"}},
	"POST /people/{PA}/donations":  {"amount": {"5"}, "donated_at": {"2025-01-01"}, "currency": {"GBP"}, "donation_source": {"stall"}, "external_id": {"x-1"}},
	"POST /people/{PA}/notes":      {"body": {"Came along."}, "group": {"{AID}"}},
	"POST /people/{PA}/tags":       {"tag": {"probe-tag"}},
	"POST /people/{PA}/membership": {"status": {"member"}, "member_since": {"2024-01-01"}},
	"POST /people/lists":           {"list_name": {"Probe list"}, "group": {"{AID}"}},
	"POST /groups/new":             {"name": {"Probe group"}, "kind": {"local"}, "join_policy": {"open"}, "districts": {"E9"}, "description": {"A group."}},
	"POST /groups/{A}/edit":        {"name": {"Group A"}, "kind": {"local"}, "join_policy": {"request"}, "districts": {"E1"}, "description": {"A group."}},
	"POST /groups/regions":         {"name": {"Probe region"}},
	"POST /admin/fields":           {"key": {"probe_date"}, "label": {"Probe date"}, "kind": {"date"}},
	"POST /admin/jobs/ping":        {"count": {"1"}},
	"POST /admin/announce":         {"message": {"Hello."}},
	"POST /admin/tokens":           {"name": {"Probe token"}},
	"POST /signup":                 {"name": {"Sign Up"}, "email": {"sign.up@example.org"}, "postcode": {"E8 1DY"}},
}

// electionForms are second valid forms for routes whose first is a poll:
// seats, nominations and reserved seats are read only for elections.
var electionForms = map[string]url.Values{
	"POST /decisions": {"group": {"{AID}"}, "kind": {"election"}, "method": {"scottish-stv"}, "title": {"Probe election"},
		"opens_date": {"2030-06-01"}, "opens_time": {"09:00"}, "closes_date": {"2030-06-08"}, "closes_time": {"21:00"}, "seats": {"3"},
		"nomination_threshold": {"2"}, "min_rep_category": {"women"}, "min_rep_seats": {"1"}, "quorum_percent": {"10"}},
}

// deepValues replace one field of a valid form at a time.
var deepValues = []struct{ name, v string }{
	{"int64 max", "9223372036854775807"}, {"int32+1", "2147483648"}, {"negative", "-1"},
	{"year 0", "0000-01-01"}, {"year 9999", "9999-12-31"}, {"garbage", "garbage ☃"}, {"100 KiB", oversize},
}

// deepJSON replace one member of a valid API body at a time; they are JSON.
var deepJSON = []struct{ name, v string }{
	{"int64 max", "9223372036854775807"}, {"int32+1", "2147483648"}, {"negative", "-1"}, {"float", "1e300"},
	{"year 9999 Honolulu", `"9999-12-31T23:30:00-10:00"`}, {"year 0", `"0000-01-01T00:00:00Z"`}, {"garbage", `"garbage ☃"`},
	{"100 KiB", `"` + oversize + `"`}, {"null", "null"}, {"object", `{}`}, {"array", `[]`},
}

// apiExtraMembers are members the API reads that the valid bodies leave out.
var apiExtraMembers = []string{"capacity", "description", "momentum:rrule", "momentum:time_zone", "start_date", "end_date",
	"status", "momentum:online_url", "visibility", "family_name", "birthdate", "postal_addresses", "phone_numbers", "custom_fields"}

// deepRequests are the one-field-bad variants of the row's valid form or
// API body.
func deepRequests(b *badInput, row permRow) []badRequest {
	path, query, _ := strings.Cut(row.path, "?")
	key := row.method + " " + path
	fillDay := func(s string) string {
		return strings.ReplaceAll(b.f.fill(s), "{DAY}", time.Now().AddDate(0, 0, 2).Format("2006-01-02"))
	}
	var out []badRequest
	for _, forms := range []map[string]url.Values{validForms, electionForms} {
		form, ok := forms[key]
		if !ok {
			continue
		}
		fields := make([]string, 0, len(form))
		for k := range form {
			fields = append(fields, k)
		}
		sort.Strings(fields)
		for _, field := range fields {
			for _, dv := range deepValues {
				vals := url.Values{}
				for k, vs := range form {
					vals.Set(k, fillDay(vs[0]))
				}
				for k, vs := range row.form {
					if _, set := form[k]; !set {
						vals.Set(k, fillDay(vs[0]))
					}
				}
				vals.Set(field, dv.v)
				out = append(out, badRequest{what: "valid form, " + field + " = " + dv.name, path: b.f.fill(path), query: b.f.fill(query),
					body: vals.Encode(), contentType: "application/x-www-form-urlencoded"})
			}
		}
	}
	if body, ok := apiBodies[row.method+" "+row.path]; ok {
		var doc map[string]json.RawMessage
		if err := json.Unmarshal([]byte(b.fillJSON(body)), &doc); err != nil {
			return out
		}
		members := map[string]bool{}
		for k := range doc {
			members[k] = true
		}
		for _, k := range apiExtraMembers {
			members[k] = true
		}
		names := make([]string, 0, len(members))
		for k := range members {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, m := range names {
			for _, dv := range deepJSON {
				var fresh map[string]json.RawMessage
				json.Unmarshal([]byte(b.fillJSON(body)), &fresh)
				fresh[m] = json.RawMessage(dv.v)
				enc, _ := json.Marshal(fresh)
				out = append(out, badRequest{what: "valid body, " + m + " = " + dv.name, path: b.f.fill(path), query: b.f.fill(query),
					body: string(enc), contentType: "application/json"})
			}
		}
	}
	return out
}

// uploadRequests are multipart uploads to the import, which CleanInput
// leaves to its handler: bad values in its fields and its file's name, and
// files that are empty, not text, or hold NUL and bytes that are not UTF-8.
func uploadRequests(b *badInput, row permRow) []badRequest {
	if row.method != "POST" || row.path != "/people/import" {
		return nil
	}
	good := "email,given_name,joined\nupload.probe@example.org,Probe,2024-01-01\n"
	files := []struct{ name, file, content string }{
		{"valid CSV", "people.csv", good},
		{"empty file", "people.csv", ""},
		{"NUL and bad UTF-8 cells", "people.csv", "email,given_name\nnul\x00@example.org,bad\xff\xfe\n"},
		{"dates in years 0 and 9999", "people.csv", "email,given_name,joined,birthdate\nfar.probe@example.org,Far,0000-01-01,9999-12-31\n"},
		{"header of 100 KiB", "people.csv", oversize + "\nx\n"},
		{"file name with NUL", "a\x00b\xff.csv", good},
	}
	var out []badRequest
	add := func(what string, fields map[string]string, file, content string) {
		var buf strings.Builder
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", file)
		fw.Write([]byte(content))
		mw.Close()
		out = append(out, badRequest{what: what, path: row.path, body: buf.String(), contentType: mw.FormDataContentType()})
	}
	for _, f := range files {
		add("upload, "+f.name, map[string]string{"group_id": b.f.fill("{AID}")}, f.file, f.content)
	}
	for _, bv := range badValues {
		add("upload, every field = "+bv.name, map[string]string{"group_id": bv.v, "tags": bv.v, "consent_wording": bv.v}, "people.csv", good)
	}
	return out
}
