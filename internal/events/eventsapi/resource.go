package eventsapi

import (
	"context"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
)

// Event is an OSDI event as Momentum writes it; Momentum's own fields carry
// the momentum: prefix. The package doc maps each field.
type Event struct {
	Identifiers     []string       `json:"identifiers"`
	OriginSystem    string         `json:"origin_system"`
	CreatedDate     string         `json:"created_date"`
	ModifiedDate    string         `json:"modified_date"`
	Title           string         `json:"title"`
	Name            string         `json:"name"`
	Description     string         `json:"description"`
	StartDate       string         `json:"start_date"`
	EndDate         string         `json:"end_date"`
	TimeZone        string         `json:"momentum:time_zone"`
	Location        *Location      `json:"location,omitempty"`
	OnlineURL       string         `json:"momentum:online_url,omitempty"`
	Capacity        int            `json:"capacity"`
	TotalAccepted   int            `json:"total_accepted"`
	TotalWaitlisted int            `json:"momentum:total_waitlisted"`
	Visibility      string         `json:"visibility"`
	Audience        string         `json:"momentum:audience"`
	Type            string         `json:"type"`
	Kind            string         `json:"momentum:kind"`
	RRule           string         `json:"momentum:rrule,omitempty"`
	Status          string         `json:"status"`
	BrowserURL      string         `json:"browser_url"`
	Links           map[string]any `json:"_links"`
	Embedded        map[string]any `json:"_embedded"`
}

// Location is where an event happens, as OSDI writes a venue.
type Location struct {
	Venue        string   `json:"venue,omitempty"`
	AddressLines []string `json:"address_lines,omitempty"`
	Locality     string   `json:"locality,omitempty"`
	Region       string   `json:"region,omitempty"`
	PostalCode   string   `json:"postal_code,omitempty"`
	Country      string   `json:"country,omitempty"`
	Location     *Point   `json:"location,omitempty"`
}

// Point is a position.
type Point struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Shift is one of an event's volunteer shifts (momentum:shifts).
type Shift struct {
	Identifiers     []string `json:"identifiers"`
	Title           string   `json:"title"`
	StartDate       string   `json:"start_date"`
	EndDate         string   `json:"end_date"`
	Capacity        int      `json:"capacity"`
	TotalAccepted   int      `json:"total_accepted"`
	TotalWaitlisted int      `json:"momentum:total_waitlisted"`
}

// Attendance is one person's answer to an event, in OSDI's terms.
type Attendance struct {
	Identifiers  []string       `json:"identifiers"`
	CreatedDate  string         `json:"created_date"`
	ModifiedDate string         `json:"modified_date"`
	Status       string         `json:"status"`
	Attended     bool           `json:"attended"`
	Waitlisted   bool           `json:"momentum:waitlisted"`
	PersonID     string         `json:"momentum:person_id"`
	EventID      string         `json:"momentum:event_id"`
	Links        map[string]any `json:"_links"`
}

// OSDI's event statuses for Momentum's.
const (
	statusConfirmed = "confirmed"
	statusCancelled = "cancelled"
)

// utc writes an instant in UTC, RFC 3339.
func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// zoned writes a time with the offset of the zone it is in (the event's).
func zoned(t time.Time) string { return t.Format(time.RFC3339) }

func (h *Handler) event(e *events.APIEvent) Event {
	out := Event{Identifiers: []string{"momentum:" + e.ID}, OriginSystem: "Momentum",
		CreatedDate: utc(e.CreatedAt), ModifiedDate: utc(e.UpdatedAt), Title: e.Title, Name: e.Title,
		Description: e.Description, StartDate: zoned(e.Start), EndDate: zoned(e.End), TimeZone: e.TimeZone,
		OnlineURL: e.OnlineURL, Capacity: e.Capacity, TotalAccepted: e.Accepted, TotalWaitlisted: e.Waitlisted,
		Visibility: "private", Audience: e.Visibility, Type: "open", Kind: e.Kind, RRule: e.RRule, Status: statusConfirmed,
		BrowserURL: h.public + "/events/" + e.ID,
		Links: map[string]any{
			"self":                          h.link("/events/" + e.ID),
			"osdi:attendances":              h.link("/events/" + e.ID + "/attendances"),
			"osdi:record_attendance_helper": h.link("/events/" + e.ID + "/attendances"),
			"momentum:ical":                 map[string]string{"href": h.public + "/events/" + e.ID + ".ics", "type": "text/calendar"},
			"curies":                        h.curies,
		}}
	if e.Visibility == events.Public {
		out.Visibility = "public"
	}
	if e.Status == events.Cancelled {
		out.Status = statusCancelled
	}
	if e.GroupID != "" {
		out.Links["momentum:group"] = h.link("/groups/" + e.GroupID)
	}
	p := e.Place
	if p.Name != "" || p.Address != "" || p.Postcode != "" || p.Location != nil || p.Locality != "" || p.Region != "" || p.Country != "" {
		out.Location = &Location{Venue: p.Name, PostalCode: p.Postcode, Locality: p.Locality, Region: p.Region, Country: p.Country}
		if p.Address != "" {
			out.Location.AddressLines = []string{p.Address}
		}
		if p.Country == "" && p.Postcode != "" {
			out.Location.Country = "GB"
		}
		if p.Location != nil {
			out.Location.Location = &Point{Latitude: p.Location.Lat, Longitude: p.Location.Lng}
		}
	}
	shifts := make([]Shift, 0, len(e.Shifts))
	for _, s := range e.Shifts {
		shifts = append(shifts, Shift{Identifiers: []string{"momentum:" + s.ID}, Title: s.Title,
			StartDate: zoned(s.Start), EndDate: zoned(s.End), Capacity: s.Capacity,
			TotalAccepted: s.Accepted, TotalWaitlisted: s.Waitlisted})
	}
	out.Embedded = map[string]any{"momentum:shifts": shifts}
	return out
}

func (h *Handler) attendance(r *events.RSVP) Attendance {
	id := events.AttendanceID(r.EventID, r.PersonID)
	out := Attendance{Identifiers: []string{"momentum:" + id},
		CreatedDate: utc(r.CreatedAt), ModifiedDate: utc(r.UpdatedAt), Status: r.Status, Attended: r.AttendedAt != nil,
		PersonID: r.PersonID, EventID: r.EventID,
		Links: map[string]any{
			"self":        h.link("/events/" + r.EventID + "/attendances/" + id),
			"osdi:event":  h.link("/events/" + r.EventID),
			"osdi:person": h.link("/people/" + r.PersonID),
		}}
	if r.Status == events.Waitlisted {
		out.Status, out.Waitlisted = events.Tentative, true
	}
	return out
}

// AttendanceResource is the osdi:attendance the API would answer for the
// RSVP with this id, read as the system: what webhook deliveries carry
// (issue 14).
// rsvpID is an events.AttendanceID.
//
// Errors: errs.NotFound.
func (h *Handler) AttendanceResource(ctx context.Context, rsvpID string) (any, error) {
	r, err := h.svc.Attendance(ctx, rsvpID)
	if err != nil {
		return nil, err
	}
	return h.attendance(r), nil
}
