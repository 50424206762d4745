// Package talk is discussion: threads in groups and network-wide, and
// threads attached to decisions, events and meetings; Markdown comments
// with replies, @mentions that notify, reactions, edit history, pinned
// and followed threads, unread markers; and moderation (flags, hiding
// with a reason, locking, muting, a queue, the code of conduct).
//
// Every write updates the search index (platform/search) in its own
// transaction and is audited where it is a moderator's act.
//
// It imports the platform and the notices package it sends through, never
// decisions or events (its own tier): the subjects of attached threads come
// through the Subjects interface, which app/build adapts. Markdown is stored
// as written; the pages render it through web.Markdown only.
package talk
