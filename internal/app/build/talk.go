package build

import (
	"context"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/talk"
)

// talkSubjects (issue 13) gives talk the decisions and events its threads
// attach to, as the viewer may see them: each service's own getter checks
// permission, so a thread on a decision one may not see cannot be read.
// A decision's discussion is its group's (group-only) or, network-wide,
// the members'; an event's has the event's visibility.
type talkSubjects struct {
	decisions *decisions.Service
	events    *events.Service
}

var _ talk.Subjects = talkSubjects{}

func (a talkSubjects) Subject(ctx context.Context, kind, id string) (*talk.Subject, error) {
	switch kind {
	case talk.SubjectDecision:
		d, err := a.decisions.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		vis := talk.Members
		if d.GroupID != "" {
			vis = talk.Group
		}
		return &talk.Subject{Title: d.Title, GroupID: d.GroupID, Visibility: vis, URL: "/decisions/" + d.ID}, nil
	case talk.SubjectEvent:
		e, err := a.events.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		vis := e.Visibility
		switch vis {
		case events.Public:
			vis = talk.Public
		case events.Group:
			vis = talk.Group
		default:
			vis = talk.Members
		}
		return &talk.Subject{Title: e.Title, GroupID: e.GroupID, Visibility: vis, URL: "/events/" + e.ID}, nil
	}
	return nil, errs.E(errs.NotFound, "There is no such %s.", kind)
}
