package eventsweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/events/eventsweb"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// site is the real application (every service, the session middleware,
// the renderer) with two groups, their organisers, a member of group A and
// an admin, each with a logged-in client.
type site struct {
	n       *apptest.Node
	sys     context.Context
	clients map[string]*http.Client
	groupA  *groups.Group
	groupB  *groups.Group
}

const password = "Password-for-events"

func newSite(t *testing.T, dbURL string) *site {
	t.Helper()
	return newSiteWith(t, apptest.Options{DatabaseURL: dbURL})
}

func newSiteWith(t *testing.T, o apptest.Options) *site {
	t.Helper()
	n := apptest.Start(t, o)
	a := n.App
	s := &site{n: n, sys: auth.WithSystem(context.Background()), clients: map[string]*http.Client{"anonymous": apptest.Client(t)}}
	// The admin first: the others are made admins, then given their role.
	for _, who := range []string{"admin", "orgA", "orgB", "member"} {
		role := auth.RoleMember
		if who == "admin" {
			role = auth.RoleAdmin
		}
		n.CreateUser(t, who+"@example.org", password, role)
		c := apptest.Client(t)
		n.Login(t, c, who+"@example.org", password)
		s.clients[who] = c
	}
	var err error
	if s.groupA, err = a.Groups.Create(s.sys, groups.Input{Name: "Hackney", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}}); err != nil {
		t.Fatal(err)
	}
	if s.groupB, err = a.Groups.Create(s.sys, groups.Input{Name: "Islington", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"N1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Groups.ImportMembers(s.sys, []groups.NewMember{
		{GroupID: s.groupA.ID, PersonID: s.personID(t, "orgA@example.org"), Role: groups.RoleOrganiser},
		{GroupID: s.groupB.ID, PersonID: s.personID(t, "orgB@example.org"), Role: groups.RoleOrganiser},
		{GroupID: s.groupA.ID, PersonID: s.personID(t, "member@example.org"), Role: groups.RoleMember},
	}); err != nil {
		t.Fatal(err)
	}
	if err := geo.SetDistrict(s.sys, a.DB.Q(), "E8", geo.Point{Lat: 51.545, Lng: -0.056}, "outcode file"); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *site) personID(t *testing.T, email string) string {
	t.Helper()
	id, err := s.n.App.People.Match(s.sys, email, "")
	if err != nil {
		t.Fatalf("match %s: %v", email, err)
	}
	return id
}

// event creates an event of group A the day after tomorrow, 19:00 to 21:00
// London time.
func (s *site) event(t *testing.T, title, visibility string, capacity int) *events.Event {
	t.Helper()
	day := time.Now().AddDate(0, 0, 2)
	e, err := s.n.App.Events.Create(s.sys, events.Input{GroupID: s.groupA.ID, Title: title, Visibility: visibility, Capacity: capacity,
		Description: "Bring a friend.\n\nTea and biscuits.", Place: events.Place{Name: "Round Chapel", Postcode: "E8 1DY"},
		Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
		End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// scenario is one request and what the person should see.
type scenario struct {
	Name               string
	As                 string // a client: anonymous, member, orgA, orgB, admin
	Method, URL        string
	Form               url.Values
	ExpectedStatus     int
	ExpectedLocation   string // a prefix
	ExpectedContent    []string
	NotExpectedContent []string
	ExpectedHeaders    map[string]string
	// ExpectedFlash is looked for on the page the redirect leads to.
	ExpectedFlash string
}

func (s *site) run(t *testing.T, sc scenario) {
	t.Helper()
	c := s.clients[cmpOr(sc.As, "anonymous")]
	var res apptest.Response
	if sc.Method == "POST" {
		res = apptest.PostForm(t, c, s.n.URL+sc.URL, sc.Form)
	} else {
		res = apptest.Get(t, c, s.n.URL+sc.URL)
	}
	if res.Status != sc.ExpectedStatus {
		t.Errorf("%s: %s %s: status %d, want %d\n%.3000s", sc.Name, sc.Method, sc.URL, res.Status, sc.ExpectedStatus, res.Body)
	}
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, sc.ExpectedLocation) {
		t.Errorf("%s: Location %q, want %q…", sc.Name, loc, sc.ExpectedLocation)
	}
	for k, v := range sc.ExpectedHeaders {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s: header %s is %q, want %q", sc.Name, k, got, v)
		}
	}
	for _, want := range sc.ExpectedContent {
		if !strings.Contains(res.Body, want) {
			t.Errorf("%s: body lacks %q\n%.3000s", sc.Name, want, res.Body)
		}
	}
	for _, bad := range append(sc.NotExpectedContent, "ZgotmplZ") {
		if strings.Contains(res.Body, bad) {
			t.Errorf("%s: body contains %q", sc.Name, bad)
		}
	}
	if sc.ExpectedFlash != "" {
		next := apptest.Get(t, c, s.n.URL+res.Header.Get("Location"))
		if !strings.Contains(next.Body, sc.ExpectedFlash) {
			t.Errorf("%s: the next page lacks the flash %q\n%.3000s", sc.Name, sc.ExpectedFlash, next.Body)
		}
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func TestPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL)
		pub := s.event(t, "Hackney branch meeting", events.Public, 1)
		private := s.event(t, "Hackney organisers' huddle", events.Group, 0)
		doomed := s.event(t, "Summer social", events.Public, 0)
		evURL := "/events/" + pub.ID

		for _, sc := range []scenario{
			{Name: "SearchForm", URL: "/events", ExpectedStatus: 200,
				ExpectedContent: []string{`<label for="f-postcode">Your postcode</label>`, `<label for="f-kind">Kind of event</label>`, `<label for="f-from">From</label>`}},
			{Name: "SearchBadPostcode", URL: "/events?postcode=hello&within_km=25", ExpectedStatus: 422,
				ExpectedContent: []string{"Enter a UK postcode like E8 1DY.", `value="hello"`, `aria-describedby="f-postcode-hint f-postcode-error"`}},
			{Name: "SearchBadDate", URL: "/events?postcode=E8+1DY&within_km=25&from=soon", ExpectedStatus: 422,
				ExpectedContent: []string{"Enter a date like 2026-03-09.", `value="E8 1DY"`}},
			{Name: "SearchFindsPublicEvents", URL: "/events?postcode=e8+3qq&within_km=5", ExpectedStatus: 200,
				ExpectedContent:    []string{"2 events near", `href="/events/` + pub.ID + `"`, "Hackney branch meeting", "0.0 km away", "1 place left", "London time"},
				NotExpectedContent: []string{"organisers&#39; huddle"}},
			{Name: "SearchByKind", URL: "/events?postcode=E8+1DY&within_km=5&kind=rally", ExpectedStatus: 200,
				ExpectedContent: []string{"No events near"}, NotExpectedContent: []string{"Hackney branch meeting"}},
			{Name: "MembersFindGroupEvents", As: "member", URL: "/events?postcode=E8+1DY&within_km=5", ExpectedStatus: 200,
				ExpectedContent: []string{"organisers&#39; huddle"}},

			{Name: "ShowToVisitor", URL: evURL, ExpectedStatus: 200,
				ExpectedContent: []string{"<h1>Hackney branch meeting", "19:00–21:00 London time", "Round Chapel, E8 1DY", "<p>Bring a friend.</p>",
					`<a href="/groups/hackney">Hackney</a>`, `action="/events/` + pub.ID + `/rsvp"`, `<label for="f-name">Your name</label>`,
					`<label for="f-consent">` + eventsweb.ConsentWording + `</label>`, `href="/events/` + pub.ID + `.ics"`, "I'm coming"},
				NotExpectedContent: []string{`name="consent" type="checkbox" value="true" checked`, "Check people in", "Cancel the event"}},
			{Name: "GroupEventHiddenFromVisitors", URL: "/events/" + private.ID, ExpectedStatus: 404},
			{Name: "GroupEventHiddenFromOtherOrganisers", As: "orgB", URL: "/events/" + private.ID, ExpectedStatus: 404},
			{Name: "GroupEventShownToMembers", As: "member", URL: "/events/" + private.ID, ExpectedStatus: 200},
			{Name: "ShowToMember", As: "member", URL: evURL, ExpectedStatus: 200,
				ExpectedContent:    []string{`name="status" value="accepted"`, `name="status" value="tentative"`, `name="status" value="declined"`},
				NotExpectedContent: []string{`<label for="f-name">`, "Check people in"}},
			{Name: "ShowToOrganiser", As: "orgA", URL: evURL, ExpectedStatus: 200,
				ExpectedContent: []string{`href="/events/` + pub.ID + `/checkin"`, `action="/events/` + pub.ID + `/cancel"`}},

			{Name: "GuestErrorsByField", Method: "POST", URL: evURL + "/rsvp", Form: form("name", " ", "email", "gil@", "postcode", "E8 1DY", "status", "accepted"),
				ExpectedStatus: 422, ExpectedContent: []string{"Give your name.", "Enter an email address like name@example.org.",
					`aria-describedby="f-email-hint f-email-error"`, `value="gil@"`, `value="E8 1DY"`}},
			{Name: "GuestWithoutConsent", Method: "POST", URL: evURL + "/rsvp", Form: form("name", "Gil Guest", "email", "gil@example.org", "status", "accepted"),
				ExpectedStatus: 303, ExpectedLocation: evURL, ExpectedFlash: "you&#39;re coming"},
			{Name: "GuestWithConsentWaits", Method: "POST", URL: evURL + "/rsvp",
				Form:           form("name", "Hana Guest", "email", "hana@example.org", "postcode", "e8 3qq", "consent", "true", "status", "accepted"),
				ExpectedStatus: 303, ExpectedFlash: "on the waiting list"},
			{Name: "GuestOnGroupEvent", Method: "POST", URL: "/events/" + private.ID + "/rsvp",
				Form: form("name", "Gil Guest", "email", "gil@example.org", "status", "accepted"), ExpectedStatus: 404},
			{Name: "MemberBadAnswer", As: "member", Method: "POST", URL: evURL + "/rsvp", Form: form("status", "perhaps"),
				ExpectedStatus: 422, ExpectedContent: []string{"Say whether you are coming: yes, maybe or no."}},
			{Name: "MemberSaysMaybe", As: "member", Method: "POST", URL: evURL + "/rsvp", Form: form("status", "tentative"),
				ExpectedStatus: 303, ExpectedFlash: "you might come"},
			{Name: "MemberSeesAnswer", As: "member", URL: evURL, ExpectedStatus: 200, ExpectedContent: []string{"Your answer: <strong>Maybe</strong>"}},
			{Name: "DashboardPanel", As: "member", URL: "/dashboard", ExpectedStatus: 200,
				ExpectedContent: []string{"<h2>Your events</h2>", `<a href="/events/` + pub.ID + `">Hackney branch meeting</a>`, "· maybe"}},

			{Name: "GroupPageListsEvents", URL: "/groups/hackney", ExpectedStatus: 200,
				ExpectedContent: []string{"<h2 id=\"panel-0\">Upcoming events</h2>", `<a href="/events/` + pub.ID + `">Hackney branch meeting</a>`,
					`href="/groups/hackney/events.ics"`},
				NotExpectedContent: []string{private.ID, "Create an event"}},
			{Name: "GroupPageForOrganisers", As: "orgA", URL: "/groups/hackney", ExpectedStatus: 200,
				ExpectedContent: []string{private.ID, `<a href="/events/new?group=` + s.groupA.ID + `">Create an event</a>`}},
			{Name: "OtherGroupPageForOrganiserB", As: "orgB", URL: "/groups/islington", ExpectedStatus: 200,
				ExpectedContent: []string{"No events planned yet.", "Create an event"}},

			{Name: "CheckInRefusedToMembers", As: "member", URL: evURL + "/checkin", ExpectedStatus: 403},
			{Name: "CheckInRefusedToOtherOrganisers", As: "orgB", URL: evURL + "/checkin", ExpectedStatus: 403},
			{Name: "CheckInNeedsLogin", URL: evURL + "/checkin", ExpectedStatus: 303, ExpectedLocation: "/login?next="},
			{Name: "CheckInPage", As: "orgA", URL: evURL + "/checkin", ExpectedStatus: 200,
				ExpectedContent: []string{"Gil Guest", "Hana Guest", "member", "Mark attended", `<label for="f-q">Search by name</label>`, `action="/events/` + pub.ID + `/walkin"`}},
			{Name: "CheckInSearch", As: "orgA", URL: evURL + "/checkin?q=hana", ExpectedStatus: 200,
				ExpectedContent: []string{"Hana Guest"}, NotExpectedContent: []string{"Gil Guest"}},
			{Name: "MarkRefusedToOtherOrganisers", As: "orgB", Method: "POST", URL: evURL + "/checkin", Form: form("person_id", "x"), ExpectedStatus: 403},
			{Name: "WalkInErrorsByField", As: "orgA", Method: "POST", URL: evURL + "/walkin", Form: form("name", "", "email", "wally"),
				ExpectedStatus: 422, ExpectedContent: []string{"Give your name.", `value="wally"`, "Gil Guest"}},
			{Name: "WalkIn", As: "orgA", Method: "POST", URL: evURL + "/walkin", Form: form("name", "Wally Walkin", "email", "wally@example.org"),
				ExpectedStatus: 303, ExpectedLocation: evURL + "/checkin", ExpectedFlash: "Added Wally Walkin and checked them in."},

			{Name: "NewFormRefusedToOtherOrganisers", As: "orgB", URL: "/events/new?group=" + s.groupA.ID, ExpectedStatus: 403},
			{Name: "NewFormRefusedToMembers", As: "member", URL: "/events/new?group=" + s.groupA.ID, ExpectedStatus: 403},
			{Name: "NetworkFormForAdmins", As: "orgA", URL: "/events/new", ExpectedStatus: 403},
			{Name: "NewForm", As: "orgA", URL: "/events/new?group=" + s.groupA.ID, ExpectedStatus: 200,
				ExpectedContent: []string{"New event for Hackney", `<label for="f-title">Title</label>`, `<label for="f-date">Date</label>`,
					`<label for="f-time_zone">Time zone</label>`, `value="Europe/London"`, `<label for="f-repeat">Repeats</label>`, `<label for="f-capacity">Places</label>`}},
			{Name: "CreateRefusedToOtherOrganisers", As: "orgB", Method: "POST", URL: "/events",
				Form: form("group", s.groupA.ID, "title", "Takeover", "date", "2030-01-10", "start", "19:00", "end", "21:00", "postcode", "E8 1DY"), ExpectedStatus: 403},
			{Name: "CreateErrorsByField", As: "orgA", Method: "POST", URL: "/events",
				Form: form("group", s.groupA.ID, "title", "", "date", "2030-01-10", "start", "7pm", "end", "21:00", "postcode", "nowhere",
					"online_url", "zoom", "capacity", "lots", "place_name", "Round Chapel", "repeat", "weekly", "repeat_count", "99"),
				ExpectedStatus: 422, ExpectedContent: []string{"Enter a time like 19:00.", "Give the number of places", "Repeat between 2 and 52 times.",
					`value="Round Chapel"`, `aria-describedby="f-capacity-hint f-capacity-error"`}},
			{Name: "CreateServiceErrorsByField", As: "orgA", Method: "POST", URL: "/events",
				Form:           form("group", s.groupA.ID, "title", "", "date", "2030-01-10", "start", "19:00", "end", "21:00", "postcode", "nowhere", "online_url", "zoom"),
				ExpectedStatus: 422, ExpectedContent: []string{"Give the event a title.", "This is not a UK postcode.", "Give the full link, starting with https://.", `value="nowhere"`}},
			{Name: "Create", As: "orgA", Method: "POST", URL: "/events",
				Form: form("group", s.groupA.ID, "title", "Weekly canvass", "kind", "canvass", "date", "2030-07-10", "start", "18:30", "end", "20:00",
					"time_zone", "Europe/London", "postcode", "E8 1DY", "repeat", "weekly", "repeat_count", "6", "visibility", "public"),
				ExpectedStatus: 303, ExpectedLocation: "/events/", ExpectedFlash: "18:30–20:00 London time (repeats)"},

			{Name: "CancelRefusedToOtherOrganisers", As: "orgB", Method: "POST", URL: "/events/" + doomed.ID + "/cancel", ExpectedStatus: 403},
			{Name: "CancelRefusedToMembers", As: "member", Method: "POST", URL: "/events/" + doomed.ID + "/cancel", ExpectedStatus: 403},
			{Name: "Cancel", As: "orgA", Method: "POST", URL: "/events/" + doomed.ID + "/cancel", ExpectedStatus: 303, ExpectedFlash: "The event is cancelled."},

			{Name: "NetworkFeed", URL: "/events.ics", ExpectedStatus: 200,
				ExpectedHeaders:    map[string]string{"Content-Type": "text/calendar; charset=utf-8"},
				ExpectedContent:    []string{"BEGIN:VCALENDAR", "UID:" + pub.ID + "@", "SUMMARY:Hackney branch meeting", "STATUS:CANCELLED", "RRULE:FREQ=WEEKLY;COUNT=6"},
				NotExpectedContent: []string{private.ID}},
			{Name: "GroupFeedForVisitors", URL: "/groups/hackney/events.ics", ExpectedStatus: 200,
				ExpectedHeaders: map[string]string{"Content-Type": "text/calendar; charset=utf-8"},
				ExpectedContent: []string{"X-WR-CALNAME:Hackney events", pub.ID}, NotExpectedContent: []string{private.ID}},
			{Name: "GroupFeedForMembers", As: "member", URL: "/groups/hackney/events.ics", ExpectedStatus: 200, ExpectedContent: []string{pub.ID, private.ID}},
			{Name: "GroupFeedUnknown", URL: "/groups/nowhere/events.ics", ExpectedStatus: 404},
			{Name: "EventFile", URL: evURL + ".ics", ExpectedStatus: 200,
				ExpectedHeaders: map[string]string{"Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": `attachment; filename="event.ics"`},
				ExpectedContent: []string{"UID:" + pub.ID + "@", "TZID:Europe/London", "BEGIN:VTIMEZONE"}, NotExpectedContent: []string{doomed.ID}},
			{Name: "GroupEventFileHidden", URL: "/events/" + private.ID + ".ics", ExpectedStatus: 404},
			{Name: "PrivateFeedUnknownToken", URL: "/calendar/nonsense.ics", ExpectedStatus: 404},
			{Name: "AccountCalendarNeedsLogin", URL: "/account/calendar", ExpectedStatus: 303, ExpectedLocation: "/login?next="},
			{Name: "AccountCalendar", As: "member", URL: "/account/calendar", ExpectedStatus: 200, ExpectedContent: []string{"Make my calendar address"}},
		} {
			t.Run(sc.Name, func(t *testing.T) { s.run(t, sc) })
		}

		t.Run("GuestConsentOnlyWhenTicked", func(t *testing.T) {
			for email, want := range map[string]bool{"gil@example.org": false, "hana@example.org": true, "wally@example.org": false} {
				p, err := s.n.App.People.Get(s.sys, s.personID(t, email))
				if err != nil {
					t.Fatal(err)
				}
				if p.Source != people.SourceEvent || p.SourceDetail != pub.ID || p.HasConsent(people.ChannelEmail) != want {
					t.Errorf("%s: source %q %q, email consent %v, want event %s and %v", email, p.Source, p.SourceDetail, p.HasConsent(people.ChannelEmail), pub.ID, want)
				}
				if want && p.Consents[people.ChannelEmail].Wording != eventsweb.ConsentWording {
					t.Errorf("%s: consent wording %q", email, p.Consents[people.ChannelEmail].Wording)
				}
			}
		})
		t.Run("MarkAttended", func(t *testing.T) {
			gil := s.personID(t, "gil@example.org")
			s.run(t, scenario{Name: "Mark", As: "orgA", Method: "POST", URL: evURL + "/checkin", Form: form("person_id", gil, "name", "Gil Guest", "q", "gil"),
				ExpectedStatus: 303, ExpectedLocation: evURL + "/checkin?q=gil", ExpectedFlash: "Gil Guest is checked in."})
			s.run(t, scenario{Name: "Shown", As: "orgA", URL: evURL + "/checkin?q=gil", ExpectedStatus: 200,
				ExpectedContent: []string{`<span class="badge">here</span>`}, NotExpectedContent: []string{"Mark attended"}})
		})
		t.Run("PrivateFeed", func(t *testing.T) {
			c := s.clients["member"]
			res := apptest.PostForm(t, c, s.n.URL+"/account/calendar", nil)
			i := strings.Index(res.Body, s.n.URL+"/calendar/")
			if res.Status != 200 || i < 0 {
				t.Fatalf("make the address: %d\n%s", res.Status, res.Body)
			}
			feedURL := res.Body[i:]
			feedURL = feedURL[:strings.Index(feedURL, `"`)]
			feed := apptest.Get(t, apptest.Client(t), feedURL) // no session
			if feed.Status != 200 || feed.Header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
				!strings.Contains(feed.Body, pub.ID) || strings.Contains(feed.Body, private.ID) {
				t.Fatalf("private feed: %d %s\n%s", feed.Status, feed.Header.Get("Content-Type"), feed.Body)
			}
			again := apptest.PostForm(t, c, s.n.URL+"/account/calendar", nil)
			if again.Status != 409 || !strings.Contains(again.Body, "Make a new address") {
				t.Fatalf("second address: %d\n%s", again.Status, again.Body)
			}
			renewed := apptest.PostForm(t, c, s.n.URL+"/account/calendar", form("renew", "true"))
			if renewed.Status != 200 || apptest.Get(t, apptest.Client(t), feedURL).Status != 404 {
				t.Fatalf("renewing should cut off the old address: %d", renewed.Status)
			}
		})
	})
}
