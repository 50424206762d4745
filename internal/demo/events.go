package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// demoEvents is how many events the demo holds: two thirds in the last
// four months, the rest in the next two.
const demoEvents = 300

var eventTitles = map[string][]string{
	events.KindMeeting:   {"Branch meeting", "Members' meeting", "Planning meeting"},
	events.KindRally:     {"Rally for the NHS", "Climate rally", "Housing rally"},
	events.KindCanvass:   {"Saturday canvass", "Doorknocking session", "Estate canvass"},
	events.KindPhoneBank: {"Phone bank", "Evening phone bank"},
	events.KindTraining:  {"Organiser training", "Canvassing training", "Chairing meetings training"},
	events.KindSocial:    {"Social", "Summer picnic", "Quiz night"},
}

// loadEvents adds the demo's events across its groups, with answers and
// attendance, through the events service: attendance goes on people's
// timelines and so feeds the engagement ladder. Its own service has its own
// clock, set before each past event, so that people answer an event
// before it happens; it has no notifier, so the demo sends no mail.
func loadEvents(ctx context.Context, a *app.App, nw Network) error {
	var now time.Time
	svc := events.New(a.DB, a.Policy, a.People, a.Log, a.Zone)
	svc.SetRecorder(a.People)
	svc.SetClock(func() time.Time { return now })

	byName := map[string]string{}
	rows, err := a.DB.Q().Query(ctx, `SELECT id, name FROM groups`)
	if err != nil {
		return fmt.Errorf("demo events: %w", err)
	}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		byName[name] = id
	}
	rows.Close()
	members := map[string][]string{}
	rows, err = a.DB.Q().Query(ctx, `SELECT group_id, person_id FROM group_members WHERE status = 'active' ORDER BY group_id, person_id`)
	if err != nil {
		return fmt.Errorf("demo events: %w", err)
	}
	for rows.Next() {
		var g, p string
		if err := rows.Scan(&g, &p); err != nil {
			rows.Close()
			return err
		}
		members[g] = append(members[g], p)
	}
	rows.Close()
	var local []Group
	for _, g := range nw.Groups {
		if g.Kind == "local" && len(members[byName[g.Name]]) > 0 {
			local = append(local, g)
		}
	}
	if len(local) == 0 {
		return nil
	}

	r := rand.New(rand.NewPCG(nw.Seed, 2026))
	zone := a.Zone // the network's, Europe/London unless configured
	today := time.Now().In(zone)
	first := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, zone).AddDate(0, 0, -120)
	for i := range demoEvents {
		g := local[r.IntN(len(local))]
		groupID := byName[g.Name]
		kind := events.Kinds[r.IntN(len(events.Kinds))]
		day := first.AddDate(0, 0, i*180/demoEvents)
		hour := 19
		if kind == events.KindCanvass || kind == events.KindRally {
			hour = 11
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, time.UTC) // wall clock, read in the event's zone
		in := events.Input{GroupID: groupID, Kind: kind, Title: eventTitles[kind][r.IntN(len(eventTitles[kind]))],
			Description: "Everyone is welcome, whether you have been to one before or not.",
			Start:       start, End: start.Add(2 * time.Hour),
			Place: events.Place{Name: g.Name + " community centre", Location: &geo.Point{Lat: g.Lat, Lng: g.Lng}}}
		if r.IntN(4) == 0 {
			in.Capacity = 5 + r.IntN(10)
		}
		now = time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, zone).AddDate(0, 0, -7)
		e, err := svc.Create(ctx, in)
		if err != nil {
			return fmt.Errorf("demo event %d: %w", i, err)
		}
		ms := members[groupID]
		n := min(len(ms), 2+r.IntN(7))
		past := e.End.Before(today)
		for _, j := range r.Perm(len(ms))[:n] {
			status := events.Accepted
			switch x := r.IntN(10); {
			case x == 0:
				status = events.Declined
			case x < 3:
				status = events.Tentative
			}
			res, err := svc.RSVP(ctx, e.ID, events.RSVPInput{PersonID: ms[j], Status: status, Source: "demo"})
			if err != nil {
				return fmt.Errorf("demo rsvp: %w", err)
			}
			if past && (res.Status == events.Accepted && r.IntN(10) < 7 || res.Status == events.Tentative && r.IntN(3) == 0) {
				now = e.Start.Add(10 * time.Minute)
				if err := svc.CheckIn(ctx, e.ID, ms[j]); err != nil {
					return fmt.Errorf("demo check-in: %w", err)
				}
				now = time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, zone).AddDate(0, 0, -7)
			}
		}
	}
	return nil
}
