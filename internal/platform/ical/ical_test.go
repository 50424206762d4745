package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v", name, err)
	}
	return loc
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a, b; c\\d", `a\, b\; c\\d`},
		{"two\nlines\r\n", `two\nlines\n`},
		{"bell\a tab\t", "bell tab\t"},
	}
	for _, tt := range tests {
		if got := text(tt.in); got != tt.want {
			t.Errorf("text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFolding writes long lines of multi-byte text and checks every line:
// at most 75 octets, CRLF ends, continuation lines start with a space, no
// UTF-8 character split, and unfolding gives the value back.
func TestFolding(t *testing.T) {
	long := strings.Repeat("Solidarność ✊ — a long description of the march; ", 12)
	c := Calendar{Name: "Test", Events: []Event{{UID: "x@example.org", Stamp: time.Unix(0, 0),
		Start: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), End: time.Date(2026, 5, 1, 14, 0, 0, 0, time.UTC),
		Summary: "May Day", Description: long}}}
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasSuffix(out, "END:VCALENDAR\r\n") {
		t.Fatalf("does not end with END:VCALENDAR CRLF: %q", out[max(0, len(out)-40):])
	}
	lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare line break: %q", i+1, l)
		}
	}
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	if !strings.Contains(unfolded, "DESCRIPTION:"+text(long)+"\r\n") {
		t.Error("unfolding does not give the description back")
	}
}

func TestVTimezoneLondon(t *testing.T) {
	lon := mustZone(t, "Europe/London")
	c := Calendar{Events: []Event{{UID: "a@x", Stamp: time.Unix(0, 0),
		Start: time.Date(2026, 3, 10, 19, 0, 0, 0, lon), End: time.Date(2026, 3, 10, 21, 0, 0, 0, lon), Summary: "Meeting"}}}
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"DTSTART;TZID=Europe/London:20260310T190000\r\n",
		"BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n",
		// Summer time in 2026 starts at 01:00 GMT on 29 March and ends at
		// 01:00 GMT (02:00 BST) on 25 October.
		"BEGIN:DAYLIGHT\r\nDTSTART:20260329T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\nEND:DAYLIGHT",
		"BEGIN:STANDARD\r\nDTSTART:20261025T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\nEND:STANDARD",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar lacks %q:\n%s", want, out)
		}
	}
}

// TestVTimezoneFarAhead: a recurring event from 2030 needs the zone's
// changes until 2041, past a leap year's end where Go's zone bounds stall;
// writing must still finish, with the changes after it.
func TestVTimezoneFarAhead(t *testing.T) {
	lon := mustZone(t, "Europe/London")
	c := Calendar{Events: []Event{{UID: "a@x", Stamp: time.Unix(0, 0), RRule: "FREQ=WEEKLY;COUNT=6",
		Start: time.Date(2030, 7, 10, 18, 30, 0, 0, lon), End: time.Date(2030, 7, 10, 20, 0, 0, 0, lon), Summary: "Canvass"}}}
	done := make(chan string, 1)
	go func() {
		var buf bytes.Buffer
		if err := c.Write(&buf); err != nil {
			t.Error(err)
		}
		done <- buf.String()
	}()
	select {
	case out := <-done:
		if !strings.Contains(out, "DTSTART:20410331T010000") {
			t.Errorf("the zone lacks summer time in 2041:\n%s", out)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("writing the zone did not finish")
	}
}

func TestOffset(t *testing.T) {
	for sec, want := range map[int]string{0: "+0000", 3600: "+0100", -18000: "-0500", 19800: "+0530", -(3600 + 75): "-010115"} {
		if got := offset(sec); got != want {
			t.Errorf("offset(%d) = %q, want %q", sec, got, want)
		}
	}
}

func TestCheckRRule(t *testing.T) {
	good := []string{"FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T235959Z", "FREQ=DAILY;INTERVAL=2"}
	for _, r := range good {
		if err := CheckRRule(r); err != nil {
			t.Errorf("CheckRRule(%q): %v", r, err)
		}
	}
	bad := map[string]string{
		"":                    "not NAME=VALUE",
		"BYDAY=MO":            "no FREQ",
		"FREQ=FORTNIGHTLY":    "FREQ=FORTNIGHTLY",
		"FREQ=WEEKLY;COUNT=0": "COUNT=0",
		"FREQ=WEEKLY;COUNT=3;UNTIL=20270101T000000Z": "both UNTIL and COUNT",
		"FREQ=WEEKLY;BYDAY=MONDAY":                   "BYDAY=MONDAY",
		"FREQ=WEEKLY;FREQ=DAILY":                     "appears twice",
		"FREQ=WEEKLY;COLOUR=RED":                     "COLOUR",
		"FREQ=WEEKLY;UNTIL=next-year":                "UNTIL=next-year",
	}
	for r, want := range bad {
		err := CheckRRule(r)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckRRule(%q) = %v, want an error about %q", r, err, want)
		}
	}
}

func TestWriteRefusesBadEvents(t *testing.T) {
	start := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	for name, e := range map[string]Event{
		"no UID":         {Summary: "x", Start: start},
		"ends early":     {UID: "a@x", Start: start, End: start.Add(-time.Hour)},
		"bad recurrence": {UID: "b@x", Start: start, RRule: "FREQ=SOMETIMES"},
	} {
		c := Calendar{Events: []Event{e}}
		if err := c.Write(&bytes.Buffer{}); err == nil {
			t.Errorf("%s: written without complaint", name)
		}
	}
}
