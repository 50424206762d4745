package talk

import "github.com/momentum-movement/momentum/internal/platform/auth"

// The actions of the talk capability. Resources are Kind "thread" (or
// "comment") with the thread's GroupID, "" for the network's threads,
// where group clauses match no one.
const (
	// ActGroup is reading a group's group-only and members' threads and
	// posting in the group's threads: the group's members.
	ActGroup auth.Action = "talk.group"
	// ActNetwork is reading members' threads and posting in the network's:
	// members of the network (role member or admin).
	ActNetwork auth.Action = "talk.network"
	// ActFlag is reporting a comment one can read: anyone signed in.
	ActFlag auth.Action = "talk.flag"
	// ActModerate is pinning, locking, hiding, muting and the queue: the
	// group's organisers and moderators; the network's threads are admins'.
	ActModerate auth.Action = "talk.moderate"
	// ActConduct is writing the code of conduct: admins.
	ActConduct auth.Action = "talk.conduct"
)

// Rules are the capability's rows in the policy table; app adds them with
// policy.AddRules(talk.Rules()...).
func Rules() []auth.Rule {
	return []auth.Rule{
		{Action: ActGroup, GroupRoles: []string{"member", "moderator", "organiser"},
			Refusal: "Only this group's members can take part in its discussions."},
		{Action: ActNetwork, MinRole: auth.RoleMember,
			Refusal: "Network discussions are for members. Ask an organiser about becoming one."},
		{Action: ActFlag, MinRole: auth.RoleSupporter, Refusal: "Log in to report a comment."},
		{Action: ActModerate, GroupRoles: []string{"organiser", "moderator"},
			Refusal: "Only this group's organisers and moderators can do that; the network's discussions are moderated by admins."},
		{Action: ActConduct, Refusal: "Only admins can change the code of conduct."},
	}
}
