package web

import (
	"fmt"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// The one formatting layer: every page and mail writes dates, times,
// numbers, votes and percentages with these functions, so that a person
// reads one format everywhere. Pages call them as template functions
// (FormatFuncs, registered by NewRenderer in the network's zone); handlers,
// services and mail templates call the Go functions or FormatFuncs(nil).
//
// Times are shown in a zone and say which, once: "Mon 7 Dec 2026, 19:00
// London time". loc nil means the time's own location (an event's own
// zone, or a zone the caller chose with t.In).

// The layouts, in one place.
const (
	layoutDate  = "2 Jan 2006"
	layoutDay   = "Mon 2 Jan 2006"
	layoutClock = "15:04"
)

// NoShare is what Percent writes for a share of nothing (0 of 0): a dash,
// not a misleading 0%.
const NoShare = "—"

// in returns t in loc, or as it is when loc is nil.
func in(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		return t
	}
	return t.In(loc)
}

// isCalendarDate reports whether t is a calendar date stored as midnight
// UTC (a member-since or donation date, a date column): such a date is
// shown as it is, since moving it into a zone west of UTC would show the
// day before.
func isCalendarDate(t time.Time) bool {
	_, off := t.Zone()
	return off == 0 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// Date writes the day of t in loc: "7 Dec 2026". The zero time is "".
func Date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if !isCalendarDate(t) {
		t = in(t, loc)
	}
	return t.Format(layoutDate)
}

// DateTime writes t in loc with its weekday and the zone said once:
// "Mon 7 Dec 2026, 19:00 London time". The zero time is "".
func DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = in(t, loc)
	return t.Format(layoutDay+", "+layoutClock) + " " + ZoneLabel(t.Location())
}

// DayTime is DateTime without the zone, for a page or a list that says
// its zone once for all its times: "Mon 7 Dec 2026, 19:00".
func DayTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return in(t, loc).Format(layoutDay + ", " + layoutClock)
}

// Clock writes the time of day of t in loc: "19:00". The zero time is "".
func Clock(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return in(t, loc).Format(layoutClock)
}

// Number writes an integer with thousands separators: 10,986. n is any
// integer type, or a string of digits; anything else is written with %v.
func Number(n any) string {
	v := reflect.ValueOf(n)
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return group(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return group(strconv.FormatUint(v.Uint(), 10))
	case reflect.String:
		return group(v.String())
	}
	return fmt.Sprint(n)
}

// Votes writes a count of votes as the counting rule reports it, at the
// rule's own places and never rounded: a tally.Decimal (or any Stringer
// writing a decimal, such as "10986.50000") or an integer, with thousands
// separators in its whole part: "10,986.50000".
func Votes(v any) string {
	if s, ok := v.(fmt.Stringer); ok {
		return group(s.String())
	}
	return Number(v)
}

// group puts a comma between each three digits of the whole part of a
// decimal string ("-10986.5" → "-10,986.5"); a string that is not a
// decimal is returned as it is.
func group(s string) string {
	sign, rest := "", s
	if strings.HasPrefix(rest, "-") {
		sign, rest = "-", rest[1:]
	}
	whole, frac, hasFrac := strings.Cut(rest, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return s
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

// Percent writes n of d as a whole percentage, rounded half up (2 of 3 is
// 67%, 1 of 8 is 13%), counted in integers so that no float decides it.
// Of nothing (d is 0) it writes NoShare, "—". n and d are integers of any
// type.
func Percent(n, d any) string {
	num, ok1 := bigInt(n)
	den, ok2 := bigInt(d)
	if !ok1 || !ok2 {
		return NoShare
	}
	if den.Sign() == 0 {
		return NoShare
	}
	neg := num.Sign()*den.Sign() < 0
	num.Abs(num)
	den.Abs(den)
	// round(100n/d) = floor((200n + d) / 2d)
	q := new(big.Int).Mul(num, big.NewInt(200))
	q.Add(q, den)
	q.Quo(q, new(big.Int).Mul(den, big.NewInt(2)))
	s := q.String() + "%"
	if neg && q.Sign() != 0 {
		s = "-" + s
	}
	return s
}

// bigInt reads an integer of any type.
func bigInt(n any) (*big.Int, bool) {
	v := reflect.ValueOf(n)
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return big.NewInt(v.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return new(big.Int).SetUint64(v.Uint()), true
	}
	return nil, false
}

// FormatFuncs are the formatting layer as template functions, for pages
// (html/template) and mails (text/template): date, datetime, daytime,
// time, zone, number, votes, percent. Times are shown in loc (the
// network's zone, for pages); nil shows each time in its own location, as
// mails about an event do.
//
//	{{datetime .ClosesAt}}      Mon 7 Dec 2026, 19:00 London time
//	{{date .JoinedAt}}          7 Dec 2026
//	{{time .Start}}             19:00
//	{{zone}}                    London time (the zone the times are in)
//	{{number .Members}}         10,986
//	{{percent .Came .SaidYes}}  67%, or — of nothing
//	{{votes .Tally}}            1,204.50000
func FormatFuncs(loc *time.Location) map[string]any {
	return map[string]any{
		"date":     func(t time.Time) string { return Date(t, loc) },
		"datetime": func(t time.Time) string { return DateTime(t, loc) },
		"daytime":  func(t time.Time) string { return DayTime(t, loc) },
		"time":     func(t time.Time) string { return Clock(t, loc) },
		"zone":     func() string { return ZoneLabel(loc) },
		"number":   Number,
		"votes":    Votes,
		"percent":  Percent,
	}
}
