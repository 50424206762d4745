package webhooks_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// TestEmissionPoints: the capabilities tell the outbox what happened, in
// their own transactions, and each kind reaches an endpoint that wants
// every kind — a person created one at a time, an RSVP, its change and
// check-in, a closed decision.
func TestEmissionPoints(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		n := startNode(t, d)
		s := n.s
		rc := newReceiver(t)
		endpoint(t, s, rc, "", outbox.Kinds...)

		p, err := s.People.Create(sys, people.Input{GivenName: "Ola", FamilyName: "Organiser", Email: "ola@example.org", Source: "admin"})
		if err != nil {
			t.Fatal(err)
		}
		day := time.Now().AddDate(0, 0, 3)
		ev, err := s.Events.Create(sys, events.Input{Title: "Webhook meeting", Visibility: events.Public,
			Place: events.Place{Name: "Round Chapel"},
			Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
			End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []string{events.Accepted, events.Accepted, events.Declined} { // the second yes changes nothing
			if _, err := s.Events.RSVP(sys, ev.ID, events.RSVPInput{PersonID: p.ID, Status: st, Source: "test"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Events.CheckIn(sys, ev.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		closes := now.Add(2 * time.Second)
		dec, err := s.Decisions.Create(sys, decisions.Input{Title: "Where do we meet?", Kind: decisions.KindPoll,
			OpensAt: now.Add(-time.Minute), ClosesAt: closes, Options: []decisions.OptionInput{{Label: "Library"}, {Label: "Pub"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Decisions.StartDiscussion(sys, dec.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Decisions.OpenVoting(sys, dec.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(closes))
		if _, err := s.Decisions.Close(sys, dec.ID); err != nil {
			t.Fatal(err)
		}

		want := []string{outbox.PersonCreated, outbox.AttendanceCreated, outbox.RSVPChanged, outbox.RSVPChanged, outbox.DecisionClosed}
		var kinds []string
		waitFor(t, 20*time.Second, "every kind", func() bool {
			kinds = kinds[:0]
			for _, g := range rc.received() {
				kinds = append(kinds, g.kind)
			}
			return len(kinds) >= len(want)
		})
		time.Sleep(200 * time.Millisecond)
		got := rc.received()
		kinds = kinds[:0]
		for _, g := range got {
			kinds = append(kinds, g.kind)
		}
		if !slices.Equal(kinds, want) {
			t.Fatalf("kinds delivered %v, want %v", kinds, want)
		}
		att := got[1]
		if att.rel != "osdi:attendance" || att.subject != "momentum:"+events.AttendanceID(ev.ID, p.ID) {
			t.Errorf("attendance delivery: %s %s", att.rel, att.subject)
		}
		var arr []map[string]json.RawMessage
		if err := json.Unmarshal(got[3].body, &arr); err != nil {
			t.Fatal(err)
		}
		var checkIn struct {
			Data map[string]any `json:"data"`
		}
		json.Unmarshal(arr[0]["momentum:event"], &checkIn)
		if checkIn.Data["event_id"] != ev.ID || checkIn.Data["attended"] != true || checkIn.Data["status"] != events.Accepted {
			t.Errorf("check-in event data %v", checkIn.Data)
		}
		if err := json.Unmarshal(got[4].body, &arr); err != nil {
			t.Fatal(err)
		}
		var decision map[string]any
		json.Unmarshal(arr[0]["momentum:decision"], &decision)
		if decision["title"] != "Where do we meet?" || decision["closed_date"] == nil || decision["outcome"] == nil {
			t.Errorf("momentum:decision %v", decision)
		}
	})
}
