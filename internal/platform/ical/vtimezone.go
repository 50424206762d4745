package ical

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// zone is a time zone the events use and the span of time it must cover.
type zone struct {
	loc      *time.Location
	from, to time.Time
}

// zonesOf lists the non-UTC zones of the events, each with the span its
// VTIMEZONE covers: a year either side of the events, and ten years on for
// a recurring event (a program expanding a rule needs the offsets of every
// occurrence it shows).
func zonesOf(events []Event) []zone {
	byName := map[string]*zone{}
	var names []string
	for _, e := range events {
		for _, t := range []time.Time{e.Start, e.End} {
			if t.IsZero() || t.Location() == time.UTC {
				continue
			}
			name := t.Location().String()
			z := byName[name]
			if z == nil {
				z = &zone{loc: t.Location(), from: t, to: t}
				byName[name] = z
				names = append(names, name)
			}
			if t.Before(z.from) {
				z.from = t
			}
			last := t
			if e.RRule != "" {
				last = t.AddDate(10, 0, 0)
			}
			if last.After(z.to) {
				z.to = last
			}
		}
	}
	slices.Sort(names)
	out := make([]zone, len(names))
	for i, n := range names {
		z := byName[n]
		out[i] = zone{loc: z.loc, from: z.from.AddDate(-1, 0, 0), to: z.to.AddDate(1, 0, 0)}
	}
	return out
}

// writeTimezone writes the VTIMEZONE of loc from Go's zone database: the
// observance in effect at from, then one STANDARD or DAYLIGHT component per
// change of offset until to, each starting at the local time (in the offset
// before the change) at which the change happens, as §3.6.5 asks. Listing
// each change rather than an RRULE is longer but always right, also for
// zones whose rules changed.
func writeTimezone(lw *lineWriter, loc *time.Location, from, to time.Time) {
	lw.line("BEGIN:VTIMEZONE")
	lw.line("TZID:" + loc.String())
	t := from.In(loc)
	name, off := t.Zone()
	start, end := t.ZoneBounds()
	first := "19700101T000000"
	if !start.IsZero() {
		first = localStamp(start, off)
	}
	observance(lw, t.IsDST(), first, off, off, name)
	for !end.IsZero() && end.Before(to) {
		at := end.In(loc)
		newName, newOff := at.Zone()
		observance(lw, at.IsDST(), localStamp(end, off), off, newOff, newName)
		off = newOff
		_, next := at.ZoneBounds()
		// Go's bounds can stall far ahead, where the zone's rule string
		// takes over: in leap years (2040 in Europe/London) the year's
		// last "change" is given as 31 December, and a time on that day
		// gets it back as its end. Step past it, or this never ends.
		for !next.IsZero() && !next.After(end) {
			at = at.Add(24 * time.Hour)
			_, next = at.ZoneBounds()
		}
		end = next
	}
	lw.line("END:VTIMEZONE")
}

func observance(lw *lineWriter, dst bool, start string, from, to int, name string) {
	kind := "STANDARD"
	if dst {
		kind = "DAYLIGHT"
	}
	lw.line("BEGIN:" + kind)
	lw.line("DTSTART:" + start)
	lw.line("TZOFFSETFROM:" + offset(from))
	lw.line("TZOFFSETTO:" + offset(to))
	if name != "" && !strings.ContainsAny(name, "+-") { // Go names unnamed zones "+0530"
		lw.line("TZNAME:" + text(name))
	}
	lw.line("END:" + kind)
}

// localStamp is instant t as local time in the given offset (seconds east
// of UTC), in iCalendar's floating form.
func localStamp(t time.Time, offset int) string {
	return t.UTC().Add(time.Duration(offset) * time.Second).Format("20060102T150405")
}

// offset writes seconds east of UTC as +HHMM, or +HHMMSS when not whole
// minutes.
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}
