// Package timebound is the one range of dates and times Momentum accepts
// from anyone: forms, the API, imports and the command line all check their
// times here before a service stores them.
//
// Why a range at all: a time the database cannot give back breaks every page
// that reads it. An event at 9999-12-31 23:30 in Pacific/Honolulu is in the
// year 10000 in UTC; SQLite keeps it as text that no driver reads back as a
// time, so the event's page and the whole events list failed until the row
// was deleted. Bounding the instant in UTC, after the zone is applied,
// keeps every stored time within what both engines write and read.
//
// It imports only errs and the standard library.
package timebound

import (
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// The range, as instants: from Min (inclusive) to Max (exclusive). Wide
// enough for birthdates, member-since dates and plans, narrow enough that
// every zone's wall-clock time of it has a four-digit year.
var (
	Min = time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)
	Max = time.Date(2200, time.January, 1, 0, 0, 0, 0, time.UTC)
)

// Message is what a person is told about a time out of range.
const Message = "Give a date between the years 1900 and 2199."

// In reports whether t lies within the range. The zero time does not: a
// caller that allows "no time" checks IsZero first.
func In(t time.Time) bool {
	return !t.Before(Min) && t.Before(Max)
}

// Check puts Message into bad under field when t is set and out of range,
// and reports whether t is in range (or zero). Validators that gather their
// problems in a map use it so each field keeps its own message.
func Check(bad map[string]string, field string, t time.Time) bool {
	if t.IsZero() || In(t) {
		return true
	}
	if _, ok := bad[field]; !ok {
		bad[field] = Message
	}
	return false
}

// Err returns an Invalid error naming field when t is set and out of range,
// else nil.
func Err(field string, t time.Time) error {
	bad := map[string]string{}
	if Check(bad, field, t) {
		return nil
	}
	return errs.Fields(bad)
}
