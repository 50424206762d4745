// Package ical writes iCalendar (RFC 5545) calendars: the feeds of a
// group's events, of the network's public events and of a person's own, and
// the "add to calendar" file of one event.
//
// What it gets right, because calendar programs are unforgiving: CRLF line
// ends and lines folded at 75 octets without splitting a UTF-8 character
// (§3.1); TEXT values escaped (§3.3.11); a UID and a DTSTAMP on every event
// (§3.6.1); times written in the event's own IANA zone with TZID and a
// VTIMEZONE for that zone (§3.6.5), built from Go's time zone database for
// the years the events span, so that a meeting at 19:00 in London stays at
// 19:00 across the change to summer time; recurrence as an RRULE (§3.3.10),
// checked before it is written.
//
// It imports only the standard library and knows nothing of events as the
// platform stores them: the events capability turns its records into
// Events.
package ical
