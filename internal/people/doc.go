// Package people owns the network's person records: names, contact details,
// address and location, custom fields, tags, organisers' private notes,
// membership status, donations, consent per channel with its history, the
// timeline of what each person did across the platform, the engagement
// ladder computed from it, the people list with its filters and saved
// lists, duplicates and merging, and a person's data rights (export,
// erasure, retention).
//
// Who may see what is decided in one place: Project (visibility.go), fed by
// the access the service works out through auth.Policy.
//
// Tables: people, person_emails, person_phones, tags, person_tags,
// custom_field_defs, person_notes, donations, consents, consent_history,
// person_actions, people_lists (migration 0004). It reads group_members
// (owned by the groups capability) for the group filter, organisers'
// visibility and the organiser rung, and writes it only when merging two
// people.
//
// It imports platform packages only (db, errs, auth, audit, geo, phone,
// reqctx); never another capability. Other capabilities report what people
// do through the Recorder interface, and app wires the account eraser, the
// mail forgetter and the group joiner declared here.
package people
