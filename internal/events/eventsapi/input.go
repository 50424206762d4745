package eventsapi

import (
	"errors"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// EventInput is an OSDI event as a client sends it. A field left out (nil)
// keeps its stored value on PUT.
type EventInput struct {
	Title       *string        `json:"title"`
	Name        *string        `json:"name"` // used as the title when title is not sent
	Description *string        `json:"description"`
	StartDate   *string        `json:"start_date"`
	EndDate     *string        `json:"end_date"`
	TimeZone    *string        `json:"momentum:time_zone"`
	Location    *LocationInput `json:"location"`
	OnlineURL   *string        `json:"momentum:online_url"`
	Capacity    *int           `json:"capacity"`
	Visibility  *string        `json:"visibility"`
	Audience    *string        `json:"momentum:audience"`
	Kind        *string        `json:"momentum:kind"`
	RRule       *string        `json:"momentum:rrule"`
	Status      *string        `json:"status"`
}

// LocationInput is a venue as a client sends it. Sending a location
// replaces the stored one.
type LocationInput struct {
	Venue        string   `json:"venue"`
	AddressLines []string `json:"address_lines"`
	Locality     string   `json:"locality"`
	Region       string   `json:"region"`
	PostalCode   string   `json:"postal_code"`
	Country      string   `json:"country"`
	Location     *Point   `json:"location"`
}

// defaultLength is how long an event created without end_date lasts
// (Action Network's create_event needs no end): two hours from its start.
const defaultLength = 2 * time.Hour

// input lays the request over base (the stored event for PUT, nil to
// create) and returns the service's input, and whether the client asks to
// cancel the event. Times without an offset are read in the event's zone,
// or the network's (zone) when it has none. Errors name the JSON fields.
func (ei *EventInput) input(base *events.Event, zone *time.Location) (events.Input, bool, error) {
	var in events.Input
	if base != nil {
		in = events.Input{GroupID: base.GroupID, Title: base.Title, Description: base.Description, Kind: base.Kind,
			Start: base.Start, End: base.End, TimeZone: base.TimeZone, Place: base.Place, OnlineURL: base.OnlineURL,
			Capacity: base.Capacity, Visibility: base.Visibility, RRule: base.RRule}
	}
	bad := map[string]string{}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	if ei.Title == nil {
		set(&in.Title, ei.Name)
	}
	set(&in.Title, ei.Title)
	set(&in.Description, ei.Description)
	set(&in.Kind, ei.Kind)
	set(&in.OnlineURL, ei.OnlineURL)
	set(&in.RRule, ei.RRule)
	set(&in.TimeZone, ei.TimeZone)
	if ei.Capacity != nil {
		in.Capacity = *ei.Capacity
	}
	switch {
	case ei.Audience != nil:
		in.Visibility = *ei.Audience
	case ei.Visibility == nil:
	case *ei.Visibility == "public":
		in.Visibility = events.Public
	case *ei.Visibility == "private":
		if in.Visibility == "" || in.Visibility == events.Public {
			in.Visibility = events.Members
			if in.GroupID != "" {
				in.Visibility = events.Group
			}
		}
	default:
		bad["visibility"] = "Say public or private (or set momentum:audience to public, members or group)."
	}
	// The zone the times are read in: the one sent, else the stored one,
	// else the network's.
	loc := zone
	if tz := strings.TrimSpace(in.TimeZone); tz != "" {
		loc = time.UTC // an unknown zone is refused by the service, naming time_zone
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	if base != nil {
		in.Start, in.End = base.Start.In(loc), base.End.In(loc)
	}
	for _, f := range []struct {
		name string
		src  *string
		dst  *time.Time
	}{{"start_date", ei.StartDate, &in.Start}, {"end_date", ei.EndDate, &in.End}} {
		if f.src == nil {
			continue
		}
		t, err := parseTime(*f.src, loc)
		if err != nil {
			bad[f.name] = "Give a date and time like 2026-07-04T19:00:00+01:00."
			continue
		}
		*f.dst = t
	}
	if (base == nil || base.ID == "") && ei.EndDate == nil && !in.Start.IsZero() { // creating
		in.End = in.Start.Add(defaultLength)
	}
	if l := ei.Location; l != nil {
		in.Place = events.Place{Name: l.Venue, Address: strings.Join(nonEmpty(l.AddressLines), ", "), Postcode: l.PostalCode,
			Locality: l.Locality, Region: l.Region, Country: l.Country}
		if in.Place.Country == "" && in.Place.Postcode != "" {
			in.Place.Country = "GB" // Momentum's postcodes are UK ones
		}
		if l.Location != nil {
			in.Place.Location = &geo.Point{Lat: l.Location.Latitude, Lng: l.Location.Longitude}
		}
	}
	cancel := false
	if ei.Status != nil {
		switch *ei.Status {
		case statusConfirmed:
			if base != nil && base.Status == events.Cancelled {
				bad["status"] = "A cancelled event cannot be confirmed again: create a new one."
			}
		case statusCancelled:
			cancel = true
		default:
			bad["status"] = "Say confirmed or cancelled."
		}
	}
	return in, cancel, errs.Fields(bad)
}

// parseTime reads an RFC 3339 time, keeping its instant, or a time without
// an offset as wall-clock time in loc.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a time")
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// apiFields maps the service's field names to the JSON fields a client
// sends.
var apiFields = map[string]string{
	"group":      "group_id",
	"start":      "start_date",
	"end":        "end_date",
	"time_zone":  "momentum:time_zone",
	"kind":       "momentum:kind",
	"online_url": "momentum:online_url",
	"rrule":      "momentum:rrule",
	"postcode":   "location.postal_code",
	"locality":   "location.locality",
	"region":     "location.region",
	"country":    "location.country",
	"place_name": "location.venue",
	"address":    "location",
	"visibility": "momentum:audience",
}

// renameFields rewrites the field names of a service error in the API's
// terms; other errors pass through unchanged.
func renameFields(err error, rename map[string]string) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := &errs.Error{Code: e.Code, Message: e.Message, Err: e.Err, Fields: map[string]string{}}
	for f, msg := range e.Fields {
		if n, ok := rename[f]; ok {
			f = n
		}
		out.Fields[f] = msg
	}
	return out
}
