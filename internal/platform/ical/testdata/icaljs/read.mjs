// read.mjs parses an iCalendar object from standard input with ical.js and
// prints what it understood as JSON: every event with its times as UTC
// milliseconds (computed through the calendar's own VTIMEZONEs) and, for a
// recurring event, its first occurrences. internal/platform/ical's tests
// compare this with what they wrote.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

// ical.js predates RFC 7986, which makes NAME a TEXT property (and
// X-WR-CALNAME is read as TEXT by the programs that use it): teach it so.
ICAL.design.icalendar.property.name = { defaultType: "text" };
ICAL.design.icalendar.property["x-wr-calname"] = { defaultType: "text" };

const input = readFileSync(0, "utf8");
const comp = new ICAL.Component(ICAL.parse(input));
for (const tz of comp.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(tz);
}
const events = comp.getAllSubcomponents("vevent").map((c) => {
  const e = new ICAL.Event(c);
  const out = {
    uid: e.uid,
    summary: e.summary,
    description: e.description,
    location: e.location,
    tzid: e.startDate.zone ? e.startDate.zone.tzid : "",
    start: e.startDate.toJSDate().getTime(),
    end: e.endDate ? e.endDate.toJSDate().getTime() : null,
    status: c.getFirstPropertyValue("status"),
    categories: c.getAllProperties("categories").flatMap((p) => p.getValues()),
    occurrences: [],
  };
  if (e.isRecurring()) {
    const it = e.iterator();
    for (let n = 0, next; n < 12 && (next = it.next()); n++) {
      out.occurrences.push(next.toJSDate().getTime());
    }
  }
  return out;
});
console.log(JSON.stringify({
  name: comp.getFirstPropertyValue("name"), // RFC 7986 NAME, a TEXT value
  timezones: comp.getAllSubcomponents("vtimezone").map((t) => t.getFirstPropertyValue("tzid")),
  events,
}));
