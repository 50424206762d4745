// Package eventsapi serves the events capability through the OSDI API
// (HAL+JSON under /api/v1): events, their attendances and the record
// attendance helper, with an event's volunteer shifts embedded under the
// momentum: curie. It owns no records and no SQL: each handler parses the
// request, calls one events.Service method (which checks permission, opens
// the transaction and writes the audit record) and writes the resource with
// platform/hal.
//
// Who sees what: a network token every event; a token scoped to a group its
// group's events and every public event, and it creates, changes and reads
// the attendances of its own group's events only; a signed-in session what
// the event pages show it. An event the caller may not see is 404.
//
// # Events (osdi:events)
//
//	OSDI / Momentum field        events.Event
//	identifiers                  ["momentum:<id>"]
//	origin_system                "Momentum"
//	title, name                  Title (name is sent back equal to title)
//	description                  Description (Markdown)
//	start_date, end_date         Start, End: RFC 3339 with the offset of the
//	                             event's own zone on that day, e.g.
//	                             2026-07-04T19:00:00+01:00. A client may send
//	                             any offset (the instant is kept) or none
//	                             (read as wall-clock time in momentum:time_zone).
//	momentum:time_zone           TimeZone (IANA, default the network's, MOMENTUM_TIME_ZONE)
//	location.venue               Place.Name
//	location.address_lines       Place.Address, one line (lines sent are
//	                             joined with ", ")
//	location.postal_code         Place.Postcode (UK, normalised)
//	location.location            Place.Location {latitude, longitude}; a
//	                             postcode alone is placed at its district's
//	                             centre when known
//	location.locality, region    Place.Locality, Region (issue 14)
//	location.country             Place.Country; "GB" when there is a
//	                             postcode and none was sent
//	momentum:online_url          OnlineURL
//	capacity                     Capacity (0: no limit)
//	total_accepted               Accepted (answers to the event itself)
//	momentum:total_waitlisted    Waitlisted
//	visibility                   "public" for public events, else "private"
//	momentum:audience            Visibility: public, members or group (on
//	                             write, visibility "private" alone means
//	                             group for a group's event, members for a
//	                             network event)
//	type                         "open" (Momentum events are not ticketed)
//	momentum:kind                Kind: meeting, rally, canvass, phone_bank,
//	                             training, social
//	momentum:rrule               RRule (RFC 5545, e.g. FREQ=WEEKLY;COUNT=6)
//	status                       "confirmed" (scheduled) or "cancelled";
//	                             PUT with "cancelled" cancels the event
//	browser_url                  <site>/events/<id>
//	created_date, modified_date  CreatedAt, UpdatedAt (UTC)
//	_links.self, osdi:attendances, osdi:record_attendance_helper,
//	momentum:group (a group's event), momentum:ical (<site>/events/<id>.ics)
//	_embedded["momentum:shifts"] the volunteer shifts, read-only: identifiers,
//	                             title, start_date, end_date, capacity,
//	                             total_accepted, momentum:total_waitlisted
//
// POST /api/v1/events creates an event in group_id= (a group token's own
// group when it gives none; a network token without group_id= creates a
// network event). PUT lays the fields sent over the stored event and calls
// the same Update as the edit page, so a change of time or place bumps the
// calendar sequence and tells those who answered; an event never moves to
// another group. Validation errors name the JSON fields
// (start_date, location.postal_code, momentum:kind, …). end_date may be
// left out: the event lasts two hours. GET /api/v1/events pages in start
// order and takes filter (or $filter) on modified_date and start_date (gt,
// ge, lt, le, joined by "and").
//
// # Attendances (osdi:attendances)
//
// An attendance is one person's answer to the event itself: status
// accepted, tentative or declined as answered; a person waiting for a place
// is "tentative" with momentum:waitlisted true (OSDI has no waitlist);
// attended is true once checked in; _links osdi:person and osdi:event.
// Shifts' answers are not listed here.
//
// The record attendance helper (POST /events/{id}/attendances, Action
// Network's; /record_attendance_helper is kept as an alias) takes
// {"person": {given_name, family_name, email_addresses, phone_numbers,
// postal_addresses, custom_fields}, "add_tags", and Momentum's "status",
// "attended", "consent": {"wording"}}: in ONE transaction
// (events.Service.SignupAttendance) the person is matched by email, else
// phone, or created through people.SignupTx, tagged, their consent
// recorded, and their answer recorded (a yes to a full event waits for a
// place) or, with "attended": true, they are checked in (also after the
// event); a 4xx writes nothing. A "subscribed" email address or phone
// number grants consent with consent.wording, else the token's consent
// wording, kept word for word. 200 with the attendance, as Action Network
// answers; Location when it is new.
//
// An attendance's id is events.AttendanceID, "<event id>.<person id>": one
// part, no colon, the last part of its URL; GET also reads a person's id
// there (the URL before issue 14). GET /people/{id}/attendances lists a
// person's answers (a group token: its group's events only).
// AttendanceResource is what webhook deliveries carry. docs/API.md lists
// every difference from Action Network.
//
// It imports events, people (the signup helper's types) and platform
// packages (auth, errs, geo, hal, web) only.
package eventsapi
