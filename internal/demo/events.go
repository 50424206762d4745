package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/db"
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
// before it happens; its notifier is quiet, so the demo's made-up people
// get no mail.
//
// Each event is recorded in demo_steps once its answers are in, and draws
// from its own random stream, so a run killed half-way carries on at the
// first event not recorded, the same as it would have been: an event
// created but not recorded is taken up again (answering and checking in
// twice change nothing).
func loadEvents(ctx context.Context, a *app.App, nw Network, began time.Time, p progress) error {
	var now time.Time
	svc, err := events.New(events.Deps{DB: a.DB, Policy: a.Policy, Log: a.Log, People: a.People, Recorder: a.People,
		Notifier: quiet{}, Guests: events.PeopleGuests{People: a.People}, BaseURL: a.Config.PublicURL(), Zone: a.Zone,
		Now: func() time.Time { return now }})
	if err != nil {
		return err
	}

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

	done, err := p.done(ctx, stepEvent)
	if err != nil {
		return err
	}
	partial, err := unrecordedEvent(ctx, a, done)
	if err != nil {
		return err
	}
	zone := a.Zone // the network's, Europe/London unless configured
	today := began.In(zone)
	first := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, zone).AddDate(0, 0, -120)
	for i := range demoEvents {
		if _, ok := done[strconv.Itoa(i)]; ok {
			continue
		}
		r := rand.New(rand.NewPCG(nw.Seed, 2026<<16|uint64(i)))
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
		var e *events.Event
		if partial != "" {
			e, err = svc.Get(ctx, partial)
			partial = ""
		} else {
			e, err = svc.Create(ctx, in)
		}
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
		if err := p.mark(ctx, stepEvent, strconv.Itoa(i), e.ID); err != nil {
			return err
		}
	}
	return nil
}

// quiet is the demo's events notifier: it tells nobody, on purpose (the
// demo's people are made up, and its events mostly in the past).
type quiet struct{}

func (quiet) PlaceFreed(context.Context, *db.Tx, *events.Event, string) error { return nil }
func (quiet) FollowUp(context.Context, *db.Tx, *events.Event, []string) error { return nil }
func (quiet) Confirmed(context.Context, *db.Tx, *events.Event, *events.Shift, string, string) error {
	return nil
}
func (quiet) Changed(context.Context, *db.Tx, *events.Event, []string, string) error { return nil }
func (quiet) Cancelled(context.Context, *db.Tx, *events.Event, []string) error       { return nil }
func (quiet) Remind(context.Context, *db.Tx, *events.Event, string, []events.Reminder) error {
	return nil
}
func (quiet) HostReport(context.Context, *db.Tx, *events.Event, []string, events.HostReport) error {
	return nil
}

// unrecordedEvent is the event a killed run created and did not record as
// done (events are made one at a time, so there is at most one), or "".
func unrecordedEvent(ctx context.Context, a *app.App, done map[string]string) (string, error) {
	recorded := map[string]bool{}
	for _, id := range done {
		recorded[id] = true
	}
	rows, err := a.DB.Q().Query(ctx, `SELECT id FROM events ORDER BY id`)
	if err != nil {
		return "", fmt.Errorf("demo events: %w", err)
	}
	defer rows.Close()
	partial := ""
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		if !recorded[id] {
			if partial != "" {
				return "", fmt.Errorf("demo events: two events (%s, %s) are not recorded as done; this database was changed by something else", partial, id)
			}
			partial = id
		}
	}
	return partial, rows.Err()
}
