package groups

import "github.com/momentum-movement/momentum/internal/platform/auth"

// The actions of the groups capability. auth itself defines
// auth.ActGroupManage (a group's organisers: edit the group, decide requests,
// invite, change roles, revive) and auth.ActGroupModerate (organisers and
// moderators), because other capabilities check them too.
const (
	// ActMembersView lets organisers and moderators see every member of their
	// group by name. Members see only those who chose to be listed, and
	// everyone else the count: the service decides that, not the rule.
	ActMembersView auth.Action = "group.members.view"
	// ActJoin covers what a signed-in person does to their own membership:
	// join, ask to join, accept an invitation, leave, show or hide their name.
	ActJoin auth.Action = "group.join"
	// ActCreate is starting a group. Admin-only: a new local group is a
	// decision for the network. Members ask an admin (there is no proposal
	// flow yet).
	ActCreate auth.Action = "group.create"
	// ActLifecycle is archiving, merging and un-archiving: admin-only, since
	// they end a group or move its members.
	ActLifecycle auth.Action = "group.lifecycle"
	// ActRegionManage is creating regions: admin-only.
	ActRegionManage auth.Action = "region.manage"
)

// Rules are the capability's rows of the policy table; app passes them to
// Policy.AddRules. group.manage and group.moderate are already in auth's own
// table (adding them again would panic).
func Rules() []auth.Rule {
	return []auth.Rule{
		{Action: ActMembersView, GroupRoles: []string{RoleOrganiser, RoleModerator},
			Refusal: "Only this group's organisers and moderators can see its full member list."},
		{Action: ActJoin, MinRole: auth.RoleSupporter,
			Refusal: "Log in to join a group."},
		{Action: ActCreate,
			Refusal: "Only network admins can start a group. Ask an admin if your area needs one."},
		{Action: ActLifecycle,
			Refusal: "Only network admins can archive or merge groups."},
		{Action: ActRegionManage,
			Refusal: "Only network admins can manage regions."},
	}
}
