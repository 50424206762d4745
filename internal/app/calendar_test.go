package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// TestCalendarFeedReadByICalJS serves the network's public feed,
// /events.ics, holding events in four time zones (two of them recurring
// across a change of the clocks) and a cancelled one, and reads it back
// with ical.js, an independent parser: every event is there with its
// times, zone, recurrence and status intact.
func TestCalendarFeedReadByICalJS(t *testing.T) {
	script := filepath.Join("..", "platform", "ical", "testdata", "icaljs")
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "node", "install Node.js to read calendars back with ical.js")
	}
	if _, err := os.Stat(filepath.Join(script, "node_modules", "ical.js")); err != nil {
		testenv.Missing(t, "ical.js", "run: npm ci --prefix internal/platform/ical/testdata/icaljs")
	}
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		ctx := auth.WithSystem(context.Background())
		// Dates after the clocks change in spring 2027 in London (28 March)
		// and New York (14 March), so the recurrences cross it.
		at := func(month time.Month, day, h int) time.Time { return time.Date(2027, month, day, h, 0, 0, 0, time.UTC) }
		inputs := []events.Input{
			{Title: "Weekly canvass, Hackney", TimeZone: "Europe/London", Start: at(3, 8, 10), End: at(3, 8, 13), RRule: "FREQ=WEEKLY;COUNT=10",
				Place: events.Place{Name: "Hackney Central", Postcode: "E8 1DY"}},
			{Title: "Solidarity call; New York", TimeZone: "America/New_York", Start: at(2, 20, 19), End: at(2, 20, 20), RRule: "FREQ=MONTHLY;COUNT=6",
				OnlineURL: "https://meet.example.org/solidarity"},
			{Title: "Training (Kolkata)", TimeZone: "Asia/Kolkata", Start: at(3, 1, 18), End: at(3, 1, 20), Place: events.Place{Name: "Community hall"}},
			{Title: "National rally", TimeZone: "UTC", Start: at(5, 1, 12), End: at(5, 1, 16), Place: events.Place{Name: "Parliament Square"}},
			{Title: "Called off", TimeZone: "Europe/London", Start: at(4, 2, 18), End: at(4, 2, 19), Place: events.Place{Name: "Library"}},
		}
		var created []*events.Event
		for _, in := range inputs {
			e, err := n.App.Events.Create(ctx, in)
			if err != nil {
				t.Fatalf("create %s: %v", in.Title, err)
			}
			created = append(created, e)
		}
		if err := n.App.Events.Cancel(ctx, created[4].ID); err != nil {
			t.Fatal(err)
		}
		r := apptest.Get(t, apptest.Client(t), n.URL+"/events.ics")
		if r.Status != 200 || r.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("/events.ics: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		cmd := exec.Command(node, "read.mjs")
		cmd.Dir = script
		cmd.Stdin = bytes.NewReader([]byte(r.Body))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("ical.js could not read /events.ics: %v\n%s", err, r.Body)
		}
		var got struct {
			Timezones []string `json:"timezones"`
			Events    []struct {
				Summary     string  `json:"summary"`
				TZID        string  `json:"tzid"`
				Start       int64   `json:"start"`
				Status      string  `json:"status"`
				Occurrences []int64 `json:"occurrences"`
			} `json:"events"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		for _, z := range []string{"America/New_York", "Asia/Kolkata", "Europe/London"} {
			if !slices.Contains(got.Timezones, z) {
				t.Errorf("no VTIMEZONE for %s: %v", z, got.Timezones)
			}
		}
		bySummary := map[string]int{}
		for i, g := range got.Events {
			bySummary[g.Summary] = i
		}
		for i, e := range created {
			j, ok := bySummary[e.Title]
			if !ok {
				t.Errorf("%q is not in the feed", e.Title)
				continue
			}
			g := got.Events[j]
			if g.Start != e.Start.UnixMilli() {
				t.Errorf("%q starts at %s, want %s", e.Title, time.UnixMilli(g.Start).UTC(), e.Start.UTC())
			}
			if want := inputs[i].TimeZone; g.TZID != want {
				t.Errorf("%q in zone %q, want %q", e.Title, g.TZID, want)
			}
			if want := map[bool]string{true: "CANCELLED", false: "CONFIRMED"}[i == 4]; g.Status != want {
				t.Errorf("%q status %q, want %q", e.Title, g.Status, want)
			}
		}
		// The weekly canvass keeps 10:00 London time every week, also across
		// the change of the clocks; the monthly call keeps 19:00 in New York.
		for i, step := range map[int][2]int{0: {0, 7}, 1: {1, 0}} {
			g := got.Events[bySummary[created[i].Title]]
			want := []int64{}
			for k := range min(len(g.Occurrences), 6) {
				want = append(want, created[i].Start.AddDate(0, step[0]*k, step[1]*k).UnixMilli())
			}
			if len(g.Occurrences) < 6 || !slices.Equal(g.Occurrences[:len(want)], want) {
				t.Errorf("%q occurs at %v, want %v", created[i].Title, g.Occurrences, want)
			}
		}
	})
}
