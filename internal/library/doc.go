// Package library is the knowledge base: folders of Markdown documents for
// the network and for each group, every save kept as a numbered revision
// (with its author, time and note) that can be compared with any other and
// restored; attachments kept in a files.Store; and learning paths, ordered
// documents that each member ticks off.
//
// Who may do what (rules.go): anyone reads a public document, signed-in
// members of the network and the group's own members a members-only one,
// and only the group's members a group-only one. A group's members write
// and edit documents in its folders; its organisers also make folders,
// delete documents and attachments and make learning paths; the network's
// library is the admins'. An archived group's library stays readable and
// searchable but refuses every write. A document is never more open than
// its folder, nor a folder than its parent, so a document's own visibility
// is all a reader's check (and the search index) needs.
//
// Every save puts the document into the search index (platform/search) in
// the same transaction. Tables: library_* (migration 0031). Its pages are
// in libraryweb. It imports the platform only, never another capability:
// it reads groups' names, statuses and memberships from their tables.
package library
