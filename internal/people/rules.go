package people

import "github.com/momentum-movement/momentum/internal/platform/auth"

// The people actions. Resources are Kind "person"; ID is the person's
// account id for the *_own actions (so the policy's Self clause applies),
// the person's id otherwise; GroupID is the group through which an
// organiser acts.
const (
	ActView       auth.Action = "people.view"       // a group's organisers see its members (projected)
	ActViewOwn    auth.Action = "people.view_own"   // a person sees their own record
	ActViewNames  auth.Action = "people.view_names" // members see the names of people who show them
	ActCreate     auth.Action = "people.create"     // a group's organisers add people to their group
	ActEdit       auth.Action = "people.edit"       // a group's organisers edit what they see of members
	ActEditOwn    auth.Action = "people.edit_own"
	ActList       auth.Action = "people.list"   // the people list, filtered to a group for organisers
	ActExport     auth.Action = "people.export" // CSV export of a filtered list
	ActNotes      auth.Action = "people.notes"  // read and write a group's notes on its members
	ActTag        auth.Action = "people.tag"    // tag and untag a group's members
	ActConsent    auth.Action = "people.consent"
	ActConsentOwn auth.Action = "people.consent_own"
	ActResolve    auth.Action = "people.resolve"  // find the person linked to an account
	ActDataOwn    auth.Action = "people.data_own" // download or erase one's own record
	ActFieldsView auth.Action = "people.fields_view"

	// Admin-only (no clause).
	ActFields     auth.Action = "people.fields" // define custom fields
	ActTagsList   auth.Action = "people.tags"
	ActMembership auth.Action = "people.membership"
	ActDonations  auth.Action = "people.donations"
	ActMerge      auth.Action = "people.merge" // duplicates and merging
	ActErase      auth.Action = "people.erase"
	ActData       auth.Action = "people.data" // export anyone's data, retention
	ActLadders    auth.Action = "people.ladders"
	ActMatch      auth.Action = "people.match" // find a person by email or phone (imports, API)
)

const refuseOrganiser = "Only admins, and the organisers of a group this person belongs to, can do that."

// Rules are the people capability's rows in the policy table; app adds them
// with policy.AddRules(people.Rules()...). Admins, the system and
// network-wide tokens may do everything.
func Rules() []auth.Rule {
	org := []string{"organiser"}
	return []auth.Rule{
		{Action: ActView, GroupRoles: org, Refusal: refuseOrganiser},
		{Action: ActViewOwn, Self: true},
		{Action: ActViewNames, MinRole: auth.RoleMember},
		{Action: ActCreate, GroupRoles: org, Refusal: "Only admins, and a group's organisers for their own group, can add people."},
		{Action: ActEdit, GroupRoles: org, Refusal: refuseOrganiser},
		{Action: ActEditOwn, Self: true},
		{Action: ActList, GroupRoles: org, Refusal: "Only admins see the whole network; organisers see their own group's members."},
		{Action: ActExport, GroupRoles: org, Refusal: "Only admins, and a group's organisers for their own group, can export people."},
		{Action: ActNotes, GroupRoles: org, Refusal: "Only this group's organisers can read and write its notes."},
		{Action: ActTag, GroupRoles: org, Refusal: refuseOrganiser},
		{Action: ActConsent, GroupRoles: org, Refusal: refuseOrganiser},
		{Action: ActConsentOwn, Self: true},
		{Action: ActResolve, MinRole: auth.RoleSupporter},
		{Action: ActDataOwn, Self: true},
		{Action: ActFieldsView, MinRole: auth.RoleSupporter},
		{Action: ActFields},
		{Action: ActTagsList},
		{Action: ActMembership},
		{Action: ActDonations},
		{Action: ActMerge},
		{Action: ActErase},
		{Action: ActData},
		{Action: ActLadders},
		{Action: ActMatch},
	}
}
