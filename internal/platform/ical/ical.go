package ical

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is one iCalendar object: a feed or a single event's file.
type Calendar struct {
	// ProdID names the product that wrote it, e.g. "-//Momentum//Events//EN".
	ProdID string
	// Name is shown by calendar programs for a subscribed feed
	// (X-WR-CALNAME, and NAME from RFC 7986).
	Name string
	// Method is "PUBLISH" for feeds and downloads, or "" for none.
	Method string
	Events []Event
}

// Event is one VEVENT.
type Event struct {
	// UID is stable for the life of the event, and unique across the
	// world: use "<id>@<host>".
	UID string
	// Stamp is when this version was written (DTSTAMP); LastModified and
	// Sequence (bumped on every change that matters to attendees) let
	// programs replace an older copy.
	Stamp        time.Time
	LastModified time.Time
	Sequence     int
	// Start and End carry the event's own time zone (their Location); UTC
	// times are written with Z, others with TZID and a VTIMEZONE.
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	// Geo is the place's latitude and longitude, if known.
	Geo *[2]float64
	URL string
	// RRule is a recurrence rule without the "RRULE:" prefix, e.g.
	// "FREQ=WEEKLY;BYDAY=TU;COUNT=10"; see CheckRRule.
	RRule string
	// Cancelled marks the event STATUS:CANCELLED (it stays in the feed so
	// programs remove it); otherwise it is CONFIRMED.
	Cancelled bool
	// Categories are the event's kinds ("Canvass", "Meeting").
	Categories []string
}

// Write writes the calendar. It refuses an event without UID, with an end
// before its start, or with a malformed RRULE, naming the event.
func (c *Calendar) Write(w io.Writer) error {
	for i := range c.Events {
		if err := c.Events[i].check(); err != nil {
			return err
		}
	}
	lw := &lineWriter{w: bufio.NewWriter(w)}
	lw.line("BEGIN:VCALENDAR")
	lw.line("VERSION:2.0")
	lw.line("PRODID:" + text(cmpOr(c.ProdID, "-//Momentum//Momentum//EN")))
	lw.line("CALSCALE:GREGORIAN")
	if c.Method != "" {
		lw.line("METHOD:" + c.Method)
	}
	if c.Name != "" {
		lw.line("NAME:" + text(c.Name))
		lw.line("X-WR-CALNAME:" + text(c.Name))
	}
	for _, z := range zonesOf(c.Events) {
		writeTimezone(lw, z.loc, z.from, z.to)
	}
	for i := range c.Events {
		c.Events[i].write(lw)
	}
	lw.line("END:VCALENDAR")
	if lw.err != nil {
		return lw.err
	}
	return lw.w.Flush()
}

func (e *Event) check() error {
	switch {
	case strings.TrimSpace(e.UID) == "":
		return fmt.Errorf("ical: event %q has no UID", e.Summary)
	case e.End.Before(e.Start):
		return fmt.Errorf("ical: event %s ends before it starts", e.UID)
	}
	if e.RRule != "" {
		if err := CheckRRule(e.RRule); err != nil {
			return fmt.Errorf("ical: event %s: %w", e.UID, err)
		}
	}
	return nil
}

func (e *Event) write(lw *lineWriter) {
	lw.line("BEGIN:VEVENT")
	lw.line("UID:" + text(e.UID))
	lw.line("DTSTAMP:" + utc(e.Stamp))
	lw.line(dateTime("DTSTART", e.Start))
	if !e.End.IsZero() {
		lw.line(dateTime("DTEND", e.End))
	}
	if e.RRule != "" {
		lw.line("RRULE:" + e.RRule)
	}
	lw.line("SUMMARY:" + text(e.Summary))
	if e.Description != "" {
		lw.line("DESCRIPTION:" + text(e.Description))
	}
	if e.Location != "" {
		lw.line("LOCATION:" + text(e.Location))
	}
	if e.Geo != nil {
		lw.line("GEO:" + strconv.FormatFloat(e.Geo[0], 'f', 6, 64) + ";" + strconv.FormatFloat(e.Geo[1], 'f', 6, 64))
	}
	if e.URL != "" {
		lw.line("URL:" + e.URL)
	}
	if len(e.Categories) > 0 {
		cs := make([]string, len(e.Categories))
		for i, c := range e.Categories {
			cs[i] = text(c)
		}
		lw.line("CATEGORIES:" + strings.Join(cs, ","))
	}
	if e.Cancelled {
		lw.line("STATUS:CANCELLED")
	} else {
		lw.line("STATUS:CONFIRMED")
	}
	lw.line("SEQUENCE:" + strconv.Itoa(e.Sequence))
	if !e.LastModified.IsZero() {
		lw.line("LAST-MODIFIED:" + utc(e.LastModified))
	}
	lw.line("END:VEVENT")
}

// dateTime writes NAME:19970714T173000Z for UTC, or
// NAME;TZID=Europe/London:19970714T183000 in the time's own zone.
func dateTime(name string, t time.Time) string {
	if t.Location() == time.UTC {
		return name + ":" + utc(t)
	}
	return name + ";TZID=" + t.Location().String() + ":" + t.Format("20060102T150405")
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// text escapes a TEXT value (§3.3.11): backslash, semicolon, comma and
// newline; carriage returns and other control characters are dropped.
func text(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\', r == ';', r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 && r != '\t', r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lineWriter writes content lines folded at 75 octets (§3.1): a longer line
// continues on the next, which starts with a space; a UTF-8 sequence is
// never split.
type lineWriter struct {
	w   *bufio.Writer
	err error
}

func (lw *lineWriter) line(s string) {
	if lw.err != nil {
		return
	}
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		lw.write(s[:cut] + "\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	lw.write(s + "\r\n")
}

func (lw *lineWriter) write(s string) {
	if lw.err == nil {
		_, lw.err = lw.w.WriteString(s)
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rruleParts are the rule parts RFC 5545 §3.3.10 defines.
var rruleParts = []string{"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
	"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"}

// CheckRRule checks the form of a recurrence rule: FREQ first-class and
// present once, known parts only, each once, not both UNTIL and COUNT,
// numbers where numbers belong. It does not judge whether the rule makes
// sense ("every 31st of February").
func CheckRRule(rule string) error {
	seen := map[string]bool{}
	for _, part := range strings.Split(rule, ";") {
		name, value, ok := strings.Cut(part, "=")
		switch {
		case !ok || value == "":
			return fmt.Errorf("RRULE part %q is not NAME=VALUE", part)
		case !slices.Contains(rruleParts, name):
			return fmt.Errorf("RRULE part %s is not one RFC 5545 defines", name)
		case seen[name]:
			return fmt.Errorf("RRULE part %s appears twice", name)
		}
		seen[name] = true
		switch name {
		case "FREQ":
			if !slices.Contains([]string{"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}, value) {
				return fmt.Errorf("RRULE FREQ=%s: use DAILY, WEEKLY, MONTHLY or YEARLY (or SECONDLY to HOURLY)", value)
			}
		case "COUNT", "INTERVAL":
			if n, err := strconv.Atoi(value); err != nil || n < 1 {
				return fmt.Errorf("RRULE %s=%s: must be a whole number of at least 1", name, value)
			}
		case "UNTIL":
			if _, err := time.Parse("20060102T150405Z", value); err != nil {
				if _, err := time.Parse("20060102", value); err != nil {
					return fmt.Errorf("RRULE UNTIL=%s: write a UTC time like 20261231T235959Z", value)
				}
			}
		case "BYDAY":
			for _, d := range strings.Split(value, ",") {
				d = strings.TrimLeft(d, "+-0123456789")
				if !slices.Contains([]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}, d) {
					return fmt.Errorf("RRULE BYDAY=%s: days are MO, TU, WE, TH, FR, SA, SU", value)
				}
			}
		}
	}
	if !seen["FREQ"] {
		return fmt.Errorf("RRULE %q has no FREQ", rule)
	}
	if seen["UNTIL"] && seen["COUNT"] {
		return fmt.Errorf("RRULE %q has both UNTIL and COUNT", rule)
	}
	return nil
}
