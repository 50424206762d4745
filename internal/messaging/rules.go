package messaging

import "github.com/momentum-movement/momentum/internal/platform/auth"

// The messaging actions. Resources are Kind "broadcast" with the sending
// group's id ("" for the network's broadcasts, where group clauses match
// no one, so only admins).
const (
	// ActSend is writing, previewing, counting, sending, pausing and
	// cancelling a broadcast, and seeing it and its figures: a group's
	// organisers for their group, whose targets must lie inside it.
	ActSend auth.Action = "messaging.send"
	// ActApprove is letting a group's broadcast go when the network asks
	// for approval: admins only.
	ActApprove auth.Action = "messaging.approve"
	// ActSettings is changing the network's messaging settings: admins.
	ActSettings auth.Action = "messaging.settings"
)

// Rules are the capability's rows of the policy table; app/build passes
// them to Policy.AddRules.
func Rules() []auth.Rule {
	return []auth.Rule{
		{Action: ActSend, GroupRoles: []string{"organiser"},
			Refusal: "Only admins, and a group's organisers for their own group's members, can send broadcasts."},
		{Action: ActApprove, Refusal: "Only admins can approve a group's broadcast."},
		{Action: ActSettings, Refusal: "Only admins can change the messaging settings."},
	}
}
