package eventsweb

import (
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/events"
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

// when is the event's date and time in its own zone: "Mon 9 Mar 2026,
// 19:00–21:00 GMT (Europe/London)".
func when(e *events.Event) string {
	s := e.Start.Format("Mon 2 Jan 2006, 15:04")
	if e.End.Format("2006-01-02") == e.Start.Format("2006-01-02") {
		s += "–" + e.End.Format("15:04")
	} else {
		s += " to " + e.End.Format("Mon 2 Jan, 15:04")
	}
	return s + " " + e.Start.Format("MST") + " (" + e.TimeZone + ")"
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
