package library

import "github.com/momentum-movement/momentum/internal/platform/auth"

// The actions of the library.
const (
	// ActWrite is creating and editing documents and adding attachments in
	// a group's folders: the group's members (any role). The network's
	// folders are the admins'.
	ActWrite auth.Action = "library.write"
	// ActManage is making folders and learning paths, deleting documents
	// and attachments: the group's organisers (admins for the network).
	ActManage auth.Action = "library.manage"
	// ActTick is ticking off a step of a learning path, for oneself: any
	// signed-in person (who may read the step's document).
	ActTick auth.Action = "library.tick"
)

// Rules are the library's rows of the policy table; app passes them to
// Policy.AddRules.
func Rules() []auth.Rule {
	return []auth.Rule{
		{Action: ActWrite, GroupRoles: []string{"organiser", "moderator", "member"},
			Refusal: "Only this group's members can write in its library; the network's library is for admins."},
		{Action: ActManage, GroupRoles: []string{"organiser"},
			Refusal: "Only this group's organisers can do that; the network's library is for admins."},
		{Action: ActTick, MinRole: auth.RoleSupporter,
			Refusal: "Log in to keep track of your progress."},
	}
}
