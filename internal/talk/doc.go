// Package talk is discussion: threads in groups and network-wide, and
// threads attached to decisions, events and meetings; Markdown comments
// with replies, @mentions that notify, reactions, edit history, pinned
// and followed threads, unread markers; and moderation (flags, hiding
// with a reason, locking, muting, a queue, the code of conduct).
//
// Every write updates the search index (platform/search) in its own
// transaction and is audited where it is a moderator's act.
package talk
