// Package groups owns the network's groups: local groups with an area
// (postcode districts, or a centre and radius), the regions above them,
// working groups across the network, and memberships with their roles
// (organiser, moderator, member) and each member's choice to be listed by
// name. It owns the lifecycle too: a group with no activity turns dormant
// (a periodic job, DormantArgs), and can be revived, merged into another
// group (members, districts and history move) or archived (read-only, still
// listed and findable). It implements auth.GroupRoles, so the policy knows
// who organises which group.
//
// Tables: regions, groups, group_districts, group_members, group_log
// (migration 0006). It reads people, person_emails, users and
// postcode_districts, and relabels person_actions.group_id when groups
// merge, but writes no other capability's records.
//
// It imports platform packages (db, errs, auth, audit, geo, web, and River
// for its job) and, below it in the domain order, people — only for the
// type of a timeline entry, people.Action. It never calls people: what it
// needs from other capabilities are the small interfaces People, Recorder
// and Notifier (MailNotifier), given in its Deps. It must not import any capability that
// comes after it (events, meetings, …). Those call Service.Touch to mark a
// group active, and reach GroupRole through auth.Policy.
package groups
