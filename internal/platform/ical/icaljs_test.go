package ical

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// icalJS runs testdata/icaljs/read.mjs (ical.js, an independent parser) on
// a calendar and returns what it read.
func icalJS(t *testing.T, ics []byte) parsed {
	t.Helper()
	dir := filepath.Join("testdata", "icaljs")
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "node", "install Node.js to read calendars back with ical.js")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ical.js")); err != nil {
		testenv.Missing(t, "ical.js", "run: npm ci --prefix internal/platform/ical/testdata/icaljs")
	}
	cmd := exec.Command(node, "read.mjs")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(ics)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ical.js could not read the calendar: %v\n%s\ncalendar:\n%s", err, stderr.String(), ics)
	}
	var p parsed
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("read.mjs printed %s: %v", out, err)
	}
	return p
}

type parsed struct {
	Name      string   `json:"name"`
	Timezones []string `json:"timezones"`
	Events    []struct {
		UID         string   `json:"uid"`
		Summary     string   `json:"summary"`
		Description string   `json:"description"`
		Location    string   `json:"location"`
		TZID        string   `json:"tzid"`
		Start       int64    `json:"start"`
		End         int64    `json:"end"`
		Status      string   `json:"status"`
		Categories  []string `json:"categories"`
		Occurrences []int64  `json:"occurrences"`
	} `json:"events"`
}

// TestReadBackWithICalJS writes events in four zones — London and New
// York across their changes of clock, Kolkata at +05:30, and UTC — two of
// them recurring across the change, with text that needs escaping and
// folding, and checks that ical.js reads back every event, time,
// occurrence and word.
func TestReadBackWithICalJS(t *testing.T) {
	lon, ny, kol := mustZone(t, "Europe/London"), mustZone(t, "America/New_York"), mustZone(t, "Asia/Kolkata")
	stamp := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	weekly := func(start time.Time, n int) []int64 {
		var out []int64
		for i := range n {
			out = append(out, start.AddDate(0, 0, 7*i).UnixMilli()) // same wall-clock time each week
		}
		return out
	}
	events := []Event{
		{UID: "meeting@momentum.example", Stamp: stamp, Summary: "Hackney branch meeting",
			Start: time.Date(2026, 3, 17, 19, 0, 0, 0, lon), End: time.Date(2026, 3, 17, 21, 0, 0, 0, lon),
			RRule: "FREQ=WEEKLY;COUNT=4", Location: "Round Chapel, 1d Glenarm Road, London E5 0LY",
			Categories: []string{"Meeting"}},
		{UID: "rally@momentum.example", Stamp: stamp, Summary: `Rally: homes, not profit; \ "now"`,
			Description: "Bring banners.\nWe meet at the fountain — ✊ solidarity across every borough, " +
				"every estate and every tenants' union that has stood up to a landlord this year.",
			Start: time.Date(2026, 10, 31, 12, 0, 0, 0, ny), End: time.Date(2026, 10, 31, 15, 0, 0, 0, ny),
			RRule: "FREQ=WEEKLY;COUNT=2", Geo: &[2]float64{40.7128, -74.006}, Categories: []string{"Rally", "Outdoor"}},
		{UID: "training@momentum.example", Stamp: stamp, Summary: "Organiser training",
			Start: time.Date(2026, 6, 1, 18, 30, 0, 0, kol), End: time.Date(2026, 6, 1, 20, 0, 0, 0, kol)},
		{UID: "call@momentum.example", Stamp: stamp, Summary: "National call", Cancelled: true,
			Start: time.Date(2026, 7, 4, 17, 0, 0, 0, time.UTC), End: time.Date(2026, 7, 4, 18, 0, 0, 0, time.UTC)},
	}
	c := Calendar{ProdID: "-//Momentum//Test//EN", Name: "Hackney Momentum, events", Method: "PUBLISH", Events: events}
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got := icalJS(t, buf.Bytes())

	if got.Name != c.Name {
		t.Errorf("calendar name %q, want %q", got.Name, c.Name)
	}
	if want := []string{"America/New_York", "Asia/Kolkata", "Europe/London"}; !slices.Equal(got.Timezones, want) {
		t.Errorf("VTIMEZONEs %v, want %v", got.Timezones, want)
	}
	if len(got.Events) != len(events) {
		t.Fatalf("ical.js read %d events, want %d", len(got.Events), len(events))
	}
	wantOcc := map[string][]int64{
		// 17 and 24 March at 19:00 GMT, then 31 March and 7 April at 19:00 BST.
		"meeting@momentum.example": weekly(events[0].Start, 4),
		// 31 October at noon EDT, then 7 November at noon EST.
		"rally@momentum.example": weekly(events[1].Start, 2),
	}
	for i, e := range events {
		g := got.Events[i]
		wantTZ := e.Start.Location().String()
		if e.Start.Location() == time.UTC {
			wantTZ = "UTC"
		}
		wantStatus := "CONFIRMED"
		if e.Cancelled {
			wantStatus = "CANCELLED"
		}
		switch {
		case g.UID != e.UID:
			t.Errorf("event %d: UID %q, want %q", i, g.UID, e.UID)
		case g.Summary != e.Summary || g.Description != e.Description || g.Location != e.Location:
			t.Errorf("%s: text read back as %q / %q / %q", e.UID, g.Summary, g.Description, g.Location)
		case g.Start != e.Start.UnixMilli() || g.End != e.End.UnixMilli():
			t.Errorf("%s: starts %s, ends %s; want %s, %s", e.UID, time.UnixMilli(g.Start).UTC(), time.UnixMilli(g.End).UTC(),
				e.Start.UTC(), e.End.UTC())
		case g.TZID != wantTZ:
			t.Errorf("%s: zone %q, want %q", e.UID, g.TZID, wantTZ)
		case g.Status != wantStatus:
			t.Errorf("%s: status %q, want %q", e.UID, g.Status, wantStatus)
		case !slices.Equal(g.Categories, e.Categories) && len(e.Categories) > 0:
			t.Errorf("%s: categories %v, want %v", e.UID, g.Categories, e.Categories)
		case !slices.Equal(g.Occurrences, wantOcc[e.UID]):
			var gs, ws []string
			for _, ms := range g.Occurrences {
				gs = append(gs, time.UnixMilli(ms).UTC().Format(time.RFC3339))
			}
			for _, ms := range wantOcc[e.UID] {
				ws = append(ws, time.UnixMilli(ms).UTC().Format(time.RFC3339))
			}
			t.Errorf("%s: occurrences %v, want %v", e.UID, gs, ws)
		}
	}
}
