package eventsweb

import (
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Card is an event as lists and headings show it, with its times in its
// own zone.
type Card struct {
	ID, Title, Kind, When, Where, Places string
	Distance                             string
	Cancelled                            bool
}

func newCard(e *events.Event) Card {
	return Card{ID: e.ID, Title: e.Title, Kind: events.KindLabel(e.Kind), When: when(e), Where: where(e),
		Places: places(e), Cancelled: e.Status == events.Cancelled}
}

// when is the event's date and time in its own zone, said once: "Mon 9
// Mar 2026, 19:00–21:00 London time" (issue 16: the formatting layer).
func when(e *events.Event) string {
	if y, m, d := e.Start.Date(); e.End.Year() == y && e.End.Month() == m && e.End.Day() == d {
		return web.DayTime(e.Start, nil) + "–" + web.Clock(e.End, nil) + " " + web.ZoneLabel(e.Start.Location())
	}
	return web.DayTime(e.Start, nil) + " to " + web.DateTime(e.End, nil)
}

// where is the event's place on one line.
func where(e *events.Event) string {
	var parts []string
	for _, p := range []string{e.Place.Name, e.Place.Address, e.Place.Postcode} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 && e.OnlineURL != "" {
		return "Online"
	}
	return strings.Join(parts, ", ")
}

// places says how many places are left, or that people wait.
func places(e *events.Event) string {
	switch {
	case e.Capacity == 0:
		return ""
	case e.Full() && e.Waitlisted > 0:
		return fmt.Sprintf("Full: %d on the waiting list", e.Waitlisted)
	case e.Full():
		return "Full: you can join the waiting list"
	case e.Capacity-e.Accepted == 1:
		return "1 place left"
	}
	return fmt.Sprintf("%d places left", e.Capacity-e.Accepted)
}

// answerLabel names an RSVP status for people.
func answerLabel(status string) string {
	switch status {
	case events.Accepted:
		return "Yes, I'm coming"
	case events.Tentative:
		return "Maybe"
	case events.Declined:
		return "No"
	case events.Waitlisted:
		return "On the waiting list"
	}
	return ""
}
