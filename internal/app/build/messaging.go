package build

import (
	"context"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/messaging"
)

// messagingEvents gives messaging what it asks of events (messaging may
// not import events: they are the same tier).
type messagingEvents struct{ events *events.Service }

func (m messagingEvents) Attendees(ctx context.Context, eventID, withinGroup string) ([]string, error) {
	return m.events.AttendeeIDs(ctx, eventID, withinGroup)
}

func (m messagingEvents) ComingUp(ctx context.Context, limit int) ([]messaging.UpcomingEvent, error) {
	evs, err := m.events.ComingUp(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]messaging.UpcomingEvent, 0, len(evs))
	for _, e := range evs {
		out = append(out, messaging.UpcomingEvent{ID: e.ID, GroupID: e.GroupID, Title: e.Title, Place: e.Place.Name,
			Start: e.Start, Point: e.Place.Location})
	}
	return out, nil
}

// messagingDecisions gives messaging a decision's electorate.
type messagingDecisions struct{ decisions *decisions.Service }

func (m messagingDecisions) Electorate(ctx context.Context, decisionID, withinGroup string) ([]string, error) {
	return m.decisions.ElectorateIDs(ctx, decisionID, withinGroup)
}
