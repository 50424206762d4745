package events

import "github.com/momentum-movement/momentum/internal/platform/auth"

// The actions of the events capability.
const (
	// ActManage is creating, changing and cancelling a group's events and
	// checking people in: the group's organisers (admins for network
	// events).
	ActManage auth.Action = "events.manage"
	// ActRSVP is saying whether one is coming: any signed-in person, for
	// themselves.
	ActRSVP auth.Action = "events.rsvp"
	// ActAttendees is seeing who said they are coming: the group's
	// organisers and the event's hosts (the service checks hosts).
	ActAttendees auth.Action = "events.attendees"
)

// Rules are the capability's rows of the policy table; app passes them to
// Policy.AddRules.
func Rules() []auth.Rule {
	return []auth.Rule{
		{Action: ActManage, GroupRoles: []string{"organiser"},
			Refusal: "Only this group's organisers can manage its events; network events are for admins."},
		{Action: ActRSVP, MinRole: auth.RoleSupporter,
			Refusal: "Log in to say whether you are coming."},
		{Action: ActAttendees, GroupRoles: []string{"organiser"},
			Refusal: "Only the event's hosts and the group's organisers can see who is coming."},
	}
}
