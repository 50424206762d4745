package events

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/ical"
	"github.com/momentum-movement/momentum/internal/platform/timebound"
)

// Kinds of event.
const (
	KindMeeting   = "meeting"
	KindRally     = "rally"
	KindCanvass   = "canvass"
	KindPhoneBank = "phone_bank"
	KindTraining  = "training"
	KindSocial    = "social"
)

// Kinds lists the kinds of event, in the order forms offer them.
var Kinds = []string{KindMeeting, KindRally, KindCanvass, KindPhoneBank, KindTraining, KindSocial}

// Who may see an event.
const (
	Public  = "public"  // anyone, signed in or not
	Members = "members" // the network's members
	Group   = "group"   // the group's members
)

// Statuses of an event.
const (
	Scheduled = "scheduled"
	Cancelled = "cancelled"
)

// Event is an event as the service returns it.
type Event struct {
	ID          string
	GroupID     string // "" for a network event
	Title       string
	Description string // Markdown
	Kind        string
	// Start and End are in the event's time zone (Location).
	Start, End time.Time
	TimeZone   string
	Place      Place
	OnlineURL  string
	Capacity   int // 0: no limit
	Visibility string
	RRule      string
	Status     string
	Sequence   int
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Accepted and Waitlisted count the RSVPs to the event itself.
	Accepted, Waitlisted int
	// GroupArchived: the event's group is archived, so the event is kept
	// as a record, read-only (issue 13).
	GroupArchived bool
}

// Place is where an event happens.
type Place struct {
	Name     string
	Address  string
	Postcode string // normalised, "E8 1DY"
	Location *geo.Point
	// Locality, Region and Country (ISO 3166 alpha-2, e.g. "GB") are the
	// parts of an address the API sends (issue 14, apievents); the event
	// pages do not edit them, so Update keeps them when all are empty.
	Locality, Region, Country string
}

// Full reports whether every place is taken.
func (e *Event) Full() bool { return e.Capacity > 0 && e.Accepted >= e.Capacity }

// Input is what an organiser gives to create or change an event.
type Input struct {
	GroupID     string
	Title       string
	Description string
	Kind        string
	// Start and End are wall-clock times in TimeZone: their own Location
	// is ignored, so a form's "19:00" means 19:00 in TimeZone.
	Start, End time.Time
	TimeZone   string // IANA; empty: the network's zone
	Place      Place
	OnlineURL  string
	Capacity   int
	Visibility string // default public
	RRule      string
	Hosts      []string // person ids; default the creator

	district string // the postcode's outward code, set by normalize
}

// maxDescription bounds an event's description: a long page of text, and
// short of what would make every list that shows it slow.
const maxDescription = 20_000

// MaxCapacity bounds an event's or a shift's places: more than anyone
// organises, and within every engine's integer column.
const MaxCapacity = 1_000_000

// normalize checks the input and fills the defaults (the time zone:
// the network's, zone), returning the start and end as instants in the
// event's zone. Errors name the form fields.
func (in *Input) normalize(zone *time.Location) (start, end time.Time, err error) {
	bad := map[string]string{}
	in.Title = strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		bad["title"] = "Give the event a title."
	case n > 200:
		bad["title"] = "Keep the title under 200 characters."
	}
	if in.Kind == "" {
		in.Kind = KindMeeting
	}
	if !slices.Contains(Kinds, in.Kind) {
		bad["kind"] = "Choose a meeting, rally, canvass, phone bank, training or social."
	}
	if in.Visibility == "" {
		in.Visibility = Public
	}
	if !slices.Contains([]string{Public, Members, Group}, in.Visibility) {
		bad["visibility"] = "Choose who can see the event: everyone, members, or the group."
	}
	if in.Visibility == Group && in.GroupID == "" {
		bad["visibility"] = "A network event cannot be for one group's members: choose everyone or members."
	}
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	if in.TimeZone == "" {
		in.TimeZone = zone.String()
	}
	loc, lerr := time.LoadLocation(in.TimeZone)
	if lerr != nil || in.TimeZone == "Local" {
		bad["time_zone"] = "Give a time zone such as Europe/London."
		loc = time.UTC
	}
	switch {
	case in.Start.IsZero():
		bad["start"] = "Say when the event starts."
	case in.End.IsZero():
		bad["end"] = "Say when the event ends."
	default:
		start, end = wall(in.Start, loc), wall(in.End, loc)
		// Bounded as instants, after the zone: 9999-12-31 23:30 in
		// Honolulu is in the year 10000 in UTC, which SQLite stores but
		// cannot read back.
		if !timebound.Check(bad, "start", start) || !timebound.Check(bad, "end", end) {
			break
		}
		if !end.After(start) {
			bad["end"] = "The event must end after it starts."
		} else if end.Sub(start) > 14*24*time.Hour {
			bad["end"] = "An event lasts at most two weeks; make a recurring event instead."
		}
	}
	if in.Capacity < 0 || in.Capacity > MaxCapacity {
		bad["capacity"] = "Give the number of places (at most a million), or leave it empty for no limit."
	}
	for _, f := range []struct {
		field, value string
		max          int
	}{{"description", in.Description, maxDescription}, {"place_name", in.Place.Name, 200}, {"address", in.Place.Address, 500}, {"online_url", in.OnlineURL, 2000},
		{"locality", in.Place.Locality, 200}, {"region", in.Place.Region, 200}, {"country", in.Place.Country, 2}} {
		if utf8.RuneCountInString(f.value) > f.max {
			bad[f.field] = fmt.Sprintf("Keep this under %d characters.", f.max)
		}
	}
	in.OnlineURL = strings.TrimSpace(in.OnlineURL)
	if in.OnlineURL != "" && bad["online_url"] == "" {
		if u, err := url.Parse(in.OnlineURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad["online_url"] = "Give the full link, starting with https://."
		}
	}
	in.Place.Name = strings.TrimSpace(in.Place.Name)
	in.Place.Address = strings.TrimSpace(in.Place.Address)
	in.Place.Locality, in.Place.Region = strings.TrimSpace(in.Place.Locality), strings.TrimSpace(in.Place.Region)
	in.Place.Country = strings.ToUpper(strings.TrimSpace(in.Place.Country))
	if pc := strings.TrimSpace(in.Place.Postcode); pc != "" && (in.Place.Country == "" || in.Place.Country == "GB") {
		norm, district, ok := geo.NormalizePostcode(pc)
		if !ok {
			bad["postcode"] = "This is not a UK postcode."
		}
		in.Place.Postcode, in.district = norm, district
	} else if pc != "" {
		// Another country's postal code is kept as given (issue 14: an
		// Action Network client sends "20009", "US"); it finds no
		// district, so the event is not placed on the UK map by it.
		in.Place.Postcode = pc
		if utf8.RuneCountInString(pc) > 20 {
			bad["postcode"] = "Use at most 20 characters."
		}
	}
	if in.OnlineURL == "" && in.Place.Address == "" && in.Place.Postcode == "" && in.Place.Name == "" && in.Place.Location == nil {
		bad["address"] = "Say where: an address or postcode, or a link for an online event."
	}
	if l := in.Place.Location; l != nil && !l.Valid() {
		bad["address"] = "The map position is not valid."
	}
	if in.RRule = strings.ToUpper(strings.TrimSpace(in.RRule)); in.RRule != "" {
		if err := ical.CheckRRule(in.RRule); err != nil {
			bad["rrule"] = "The repeat rule is not valid: " + err.Error() + "."
		}
	}
	if len(bad) > 0 {
		return time.Time{}, time.Time{}, errs.Fields(bad)
	}
	return start, end, nil
}

// wall reads t's wall-clock time as a time in loc.
func wall(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
}
