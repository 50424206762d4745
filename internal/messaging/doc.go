// Package messaging sends broadcasts: an email or SMS written once and sent
// to a segment of people (a saved list, a people filter, groups, a tag, an
// event's attendees, a decision's electorate), with consent, one-click
// unsubscribe, delivery tracking and exactly-once sending.
//
// The rooms, as in every capability:
//
//	service.go     Service, Deps and New: the only entry for handlers and jobs
//	broadcast.go   the Broadcast type and its input checks
//	rules.go       the policy rows: who may send to whom
//	store*.go      SQL, the same on SQLite and PostgreSQL
//	jobs.go        River workers: the scheduler and the fan-out
//
// Sending first fixes a broadcast's recipients (broadcast_recipients, one
// row per person with consent and an address not suppressed), then a River
// job claims rows in batches and hands them to the mail package's bulk
// sender. A row is marked sent in the database before the SMTP server is
// told to deliver it (the final "." of DATA), so a node that dies mid-send
// never sends a row twice: rows it had claimed but not marked go back to the
// queue and the resumed job continues where it stopped.
package messaging
