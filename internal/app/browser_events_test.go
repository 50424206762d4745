package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestBrowserEventDoor, on a phone: someone the network does not know finds
// a public event by postcode, opens it and says they are coming with the
// guest form (ticking the consent box); the host logs in, opens the
// check-in page, marks them attended and adds a walk-in; when the event
// has ended, the follow-up job's mail reaches both through a real SMTP
// server. On both engines.
func TestBrowserEventDoor(t *testing.T) {
	phone := browsertest.Options{Width: 390, Height: 844, Mobile: true}
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		tab := browsertest.Start(t, phone)
		mp := mailtest.Start(t)
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: mp.SMTPURL})
		a := n.App
		sys := auth.WithSystem(context.Background())
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		const hostEmail, hostPass = "host@example.org", "the door opens at seven"
		n.CreateUser(t, hostEmail, hostPass, auth.RoleMember)
		g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
		if err != nil {
			t.Fatal(err)
		}
		hostID, err := a.People.Match(sys, hostEmail, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: g.ID, PersonID: hostID, Role: groups.RoleOrganiser}}); err != nil {
			t.Fatal(err)
		}
		// The districts' centres, as an outcode file gives them: the event
		// is placed at E5's.
		for code, p := range map[string]geo.Point{"E8": {Lat: 51.545, Lng: -0.056}, "E5": {Lat: 51.558, Lng: -0.052}} {
			if err := geo.SetDistrict(sys, a.DB.Q(), code, p, "outcode file"); err != nil {
				t.Fatal(err)
			}
		}
		day := time.Now().AddDate(0, 0, 3)
		ev, err := a.Events.Create(sys, events.Input{GroupID: g.ID, Title: "Hackney branch meeting", Capacity: 40, Hosts: []string{hostID},
			Place: events.Place{Name: "Round Chapel", Address: "1d Glenarm Road", Postcode: "E5 0LY"},
			Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
			End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}

		// Someone unknown finds the event by postcode and says they're coming.
		wantStatus(t, "events", tab.Navigate(n.URL+"/events"), http.StatusOK)
		tab.Fill("#f-postcode", "e8 3qq")
		wantStatus(t, "search", tab.ClickText("main", "Find events"), http.StatusOK)
		wantPath(t, tab, "/events")
		wantContains(t, tab, "main section", "Hackney branch meeting")
		wantContains(t, tab, "main section", "km away")
		wantFits(t, tab)
		wantStatus(t, "event page", tab.ClickText("main", "Hackney branch meeting"), http.StatusOK)
		wantPath(t, tab, "/events/"+ev.ID)
		wantContains(t, tab, "main", "London time")
		wantFits(t, tab)
		tab.Fill("#f-name", "Gil Guest")
		tab.Fill("#f-email", "gil@example.org")
		tab.Fill("#f-postcode", "E8 3QQ")
		if !browsertest.Eval[bool](tab, `document.querySelector('#f-consent').checked = true`) {
			t.Fatal("could not tick the consent box")
		}
		wantStatus(t, "rsvp", tab.ClickText("main", "I'm coming"), http.StatusOK)
		wantContains(t, tab, "body", "you're coming")
		gil, err := a.People.Match(sys, "gil@example.org", "")
		if err != nil {
			t.Fatalf("the guest is not in the network: %v", err)
		}
		if p, err := a.People.Get(sys, gil); err != nil || p.Source != people.SourceEvent || !p.HasConsent(people.ChannelEmail) {
			t.Fatalf("the guest's record: %+v %v", p, err)
		}
		tab.Screenshot("events-guest-rsvp-" + engineName(dbURL))

		// The host logs in at the door and checks people in.
		wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
		tab.Fill("#f-email", hostEmail)
		tab.Fill("#f-password", hostPass)
		wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
		wantStatus(t, "event page", tab.Navigate(n.URL+"/events/"+ev.ID), http.StatusOK)
		wantStatus(t, "check-in page", tab.ClickText("main", "Check people in"), http.StatusOK)
		wantPath(t, tab, "/events/"+ev.ID+"/checkin")
		wantContains(t, tab, "main ul", "Gil Guest")
		wantFits(t, tab)
		wantStatus(t, "mark attended", tab.ClickText("main", "Mark attended"), http.StatusOK)
		wantContains(t, tab, "body", "Gil Guest is checked in.")
		wantContains(t, tab, "main ul", "here")
		tab.Fill("#f-name", "Wally Walkin")
		tab.Fill("#f-email", "wally@example.org")
		wantStatus(t, "walk-in", tab.ClickText("main", "Add and check in"), http.StatusOK)
		wantContains(t, tab, "body", "Added Wally Walkin and checked them in.")
		wantContains(t, tab, "main ul", "Wally Walkin")
		wantFits(t, tab)
		tab.Screenshot("events-checkin-" + engineName(dbURL))

		_, list, err := a.Events.Attendees(sys, ev.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		here := map[string]bool{}
		for _, at := range list {
			here[at.Name] = at.AttendedAt != nil
		}
		if !here["Gil Guest"] || !here["Wally Walkin"] || len(list) != 2 {
			t.Fatalf("attendance: %+v", list)
		}
		wally, err := a.People.Match(sys, "wally@example.org", "")
		if err != nil {
			t.Fatal(err)
		}
		if p, err := a.People.Get(sys, wally); err != nil || p.HasConsent(people.ChannelEmail) {
			t.Fatalf("the walk-in did not tick the box but has consent: %+v %v", p, err)
		}
		wantCleanConsole(t, tab)

		// The event ends; the follow-up job thanks both who came.
		if _, err := a.DB.Exec(sys, `UPDATE events SET starts_at = ?, ends_at = ? WHERE id = ?`,
			time.Now().Add(-3*time.Hour).UTC(), time.Now().Add(-time.Hour).UTC(), ev.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Jobs.Insert(sys, events.FollowUpArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		for _, to := range []string{"gil@example.org", "wally@example.org"} {
			m := waitMail(t, mp, to, "Thank you for coming to Hackney branch meeting") // Gil also had the RSVP confirmation
			if !strings.Contains(m.Text, n.URL+"/events") {
				t.Errorf("follow-up to %s: %q\n%s", to, m.Subject, m.Text)
			}
		}
		// And the host hears who came and who was new.
		report := waitMail(t, mp, hostEmail, "Hackney branch meeting: 2 came")
		for _, want := range []string{"Gil", "Wally", "New to the network through this event:", n.URL + "/events/" + ev.ID + "/checkin"} {
			if !strings.Contains(report.Text, want) {
				t.Errorf("the host's report lacks %q:\n%s", want, report.Text)
			}
		}
	})
}
