package actions

import "github.com/momentum-movement/momentum/internal/platform/auth"

// Rules are the capability's rows of the policy table; build adds them
// with Policy.AddRules(actions.Rules()...). Resources are Kind "action"
// with the action's GroupID, "" for the network's, where group clauses
// match no one (so only admins, tokens and the system pass). Responding
// and reading a public action need no rule: anyone may.
func Rules() []auth.Rule {
	return []auth.Rule{
		{Action: ActManage, GroupRoles: []string{"organiser"},
			Refusal: "Only this group's organisers can manage its petitions and forms; the network's are for admins."},
		{Action: ActView, GroupRoles: []string{"organiser"},
			Refusal: "Only this group's organisers can see who responded; for the network's actions, admins."},
	}
}
