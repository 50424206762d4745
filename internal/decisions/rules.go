package decisions

import "github.com/momentum-movement/momentum/internal/platform/auth"

// The decisions actions. Resources are Kind "decision" with the decision's
// GroupID ("" for network-wide ones, where group clauses match no one); for
// ActEditOwn, ID is the author's user id so that the Self clause applies.
const (
	// ActView is seeing a group's decisions and, once closed, their results:
	// the group's members.
	ActView auth.Action = "decisions.view"
	// ActViewNetwork is seeing network-wide decisions: every member. Anyone
	// in a decision's electorate may see it too (the service decides that).
	ActViewNetwork auth.Action = "decisions.view_network"
	// ActPropose is creating a proposal or poll (every kind but ranked and
	// election) in one's group.
	ActPropose auth.Action = "decisions.propose"
	// ActCreateElection is creating a ranked vote or an election in one's
	// group: its organisers.
	ActCreateElection auth.Action = "decisions.create_election"
	// ActManage is what a group's organisers do to its decisions: see
	// drafts, edit, start discussion and nominations, withdraw, publish.
	ActManage auth.Action = "decisions.manage"
	// ActEditOwn lets a decision's author do the same to their own decision.
	ActEditOwn auth.Action = "decisions.edit_own"
	// ActVote is casting or changing a vote; the electorate snapshot then
	// decides who may.
	ActVote auth.Action = "decisions.vote"
	// ActNominate is nominating and seconding; the electorate rule then
	// decides who may.
	ActNominate auth.Action = "decisions.nominate"
	// ActAdvance is opening and closing voting on time and listing every
	// decision: the system (the job) and admins.
	ActAdvance auth.Action = "decisions.advance"
)

// Rules are the capability's rows in the policy table; app adds them with
// policy.AddRules(decisions.Rules()...).
func Rules() []auth.Rule {
	members := []string{"member", "moderator", "organiser"}
	return []auth.Rule{
		{Action: ActView, GroupRoles: members,
			Refusal: "Only this group's members can see its decisions."},
		{Action: ActViewNetwork, MinRole: auth.RoleMember,
			Refusal: "Network decisions are for members. Ask an organiser about becoming one."},
		{Action: ActPropose, GroupRoles: members,
			Refusal: "Only this group's members can make proposals in it; network-wide decisions are for admins."},
		{Action: ActCreateElection, GroupRoles: []string{"organiser"},
			Refusal: "Only this group's organisers can start a ranked vote or an election."},
		{Action: ActManage, GroupRoles: []string{"organiser"},
			Refusal: "Only this group's organisers and the decision's author can do that."},
		{Action: ActEditOwn, Self: true,
			Refusal: "Only this group's organisers and the decision's author can do that."},
		{Action: ActVote, MinRole: auth.RoleSupporter, Refusal: "Log in to vote."},
		{Action: ActNominate, MinRole: auth.RoleSupporter, Refusal: "Log in to nominate."},
		{Action: ActAdvance,
			Refusal: "Voting opens and closes on time by itself; only admins can list every decision."},
	}
}
