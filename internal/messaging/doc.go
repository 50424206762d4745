// Package messaging sends broadcasts: an email or SMS written once and sent
// to a segment of people (a saved list, a people filter, groups, a tag, an
// event's attendees, a decision's electorate), with consent, one-click
// unsubscribe, delivery tracking and exactly-once sending.
//
// The rooms, as in every capability:
//
//	service.go          Service, Deps and New; Create, Update, Get
//	broadcast.go        the Broadcast type and its input checks
//	rules.go            the policy rows: who may send to whom
//	segment.go          targets → one SQL condition on people (who a broadcast reaches)
//	list.go             List, Count, Stats, Settings
//	send.go             Send, Schedule, Approve, Reject, Pause, Resume, Cancel
//	render.go, compose.go, templates/   Markdown once per broadcast, placeholders per recipient
//	preview.go          Preview and TestSend
//	store.go, store_recipients.go      SQL, the same on SQLite and PostgreSQL
//	jobs.go             River workers: the scheduler and the fan-out
//
// # Who may send
//
// Admins send for the network to anyone. A group's organisers send for
// their group only, and a group's broadcast reaches only the group's
// active members whatever its targets: its lists and filters must be the
// group's own, and a tag, an event's attendees or a decision's electorate
// is cut down to the group's members (segment.go). With the network's
// ApproveGroups setting an organiser's broadcast waits for an admin.
//
// # Who receives
//
// A person is reached when a target names them, they have granted consent
// on the broadcast's channel (consents), they have an address, they are
// not erased and the address is not in suppressions. Count and Send ask
// this in one SQL statement whatever the number of people; Send writes the
// recipients (broadcast_recipients, one row per person, a fresh random
// 128-bit token each for the /u/{token} unsubscribe link) in the same
// transaction that enqueues the fan-out job. The fan-out asks consent and
// suppression again for each batch just before sending it.
//
// # Exactly once
//
// A recipient row goes queued → sending (claimed by one attempt of the
// fan-out job, claim = "jobID.attempt") → sent. The bulk sender
// (mail.SendBulk) carries each mail's SMTP transaction up to the final "."
// and then asks the journal (Accepting) to mark it sent; only once that
// statement has committed does it send the "." that makes the server
// deliver. A node that dies mid-send leaves its claimed rows 'sending'; the
// next attempt (River runs the job again as soon as jobs.RescueDead finds
// the node dead: at once on the same machine, within about 40 s elsewhere)
// first puts every 'sending' row of the broadcast back to 'queued', and
// only one fan-out job per broadcast runs at a time (unique by its args).
// So no row is handed over twice. The loss window is the other side: a
// node that dies after the commit and before the "." leaves rows marked
// sent that were never delivered (at most one group commit per SMTP
// connection), and a connection lost while the server answers the "."
// leaves the row sent with the error noted, since it may have gone. A sent
// row keeps the server's 250 once the answer is heard, so the rows of the
// window are those sent with smtp_code 0. The crash test
// (cmd/momentum TestBroadcastKilledHalfwayDeliversOnce) measures it: most
// kills lose nothing; some lose one mail.
//
// It imports people (the filter's SQL, lists, records) and the platform,
// never events or decisions, which are the same tier: it reaches them
// through the Events and Decisions interfaces, implemented by adapters in
// app/build.
package messaging
