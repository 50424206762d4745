// Package mail sends Momentum's mail and keeps the development outbox.
//
// Every mail is first a row in mail_messages, inserted by Service.Queue in the
// transaction of the change that caused it (a sign-up, a broadcast), so the
// mail commits or rolls back with that change and is never lost between the
// two. After the commit Queue enqueues a SendArgs job; the SendWorker claims
// queued rows in batches of up to 500, sends them over one SMTP connection,
// and records the outcome on each row. A periodic job (PeriodicSweep) enqueues
// the worker every minute, which catches any mail whose enqueue was lost.
// Delivery is at least once: a process that dies between the SMTP server's
// acceptance and the row's update sends that mail again later.
//
// With no SMTP URL configured, mail is stored with status 'kept' and never
// sent: the development outbox, which /admin/outbox shows. With one, the
// stored copy loses its links once the server accepts it (redact.go), and
// PurgeOld deletes mail that has left the queue after Config.Retention.
//
// Logs name a mail by its id, the recipient's domain, its kind, its related
// label and its status — never its address, subject or body, which may carry
// sign-in links.
//
// # Bulk mail
//
// Broadcasts do not go through mail_messages: the messaging fan-out job
// claims its recipient rows in batches of about 500 and calls SendBulk
// (bulk.go), which composes each mail (bulkcompose.go) and sends the batch
// over a pool of SMTP connections kept on the Service between calls
// (bulkconn.go: Config.Connections, default 4, idle ones closed after 30 s),
// throttled to Config.Rate mails per second on this node. Where the server's
// EHLO offers PIPELINING (RFC 2920), MAIL FROM, RCPT TO and DATA go in one
// write; otherwise one command at a time.
//
// The promise is at most once, which with retries of everything not sent
// makes exactly once. For each mail SendBulk gets the server to accept the
// recipient and DATA and sends the whole content except the final
// "\r\n.\r\n": the server now holds the mail but delivers nothing until
// that "." arrives. Mails ready like this on all connections are handed
// together to the caller's BulkJournal.Accepting, which marks them sent in
// one transaction (a group commit: one database commit for many mails).
// Only when Accepting has returned nil — committed — are the dots written
// and the server's verdicts read and reported through BulkJournal.Done. If
// Accepting fails, or the send is stopped first, those connections are
// dropped (inside DATA there is no RSET: everything before the "." is mail
// text) and the server, never having seen the ".", discards the mails;
// they come back as temporary failures, still unsent in the journal.
//
// So a process killed at any moment never leaves a mail delivered whose
// row does not already say sent: killed before Accepting commits, the
// server loses the connection before the "." and delivers nothing; killed
// after, the row says sent. The one window for loss is after Accepting's
// commit and before the server has received the dot (a few microseconds
// of writing, plus the network's delivery of those five bytes): a process
// killed there leaves the row marked sent for a mail the server never
// delivered, and it will not be sent again. A connection lost while the
// server answers the "." is the same case seen from the other side: the
// result says Journaled with an error, and whether the mail went is
// unknown, as it is with any SMTP client (RFC 1047). Neither case ever
// produces a duplicate.
//
// The mailtest sub-package starts a real SMTP server (mailpit) for the mail
// tests of every package.
//
// This package imports only platform/db, platform/errs, River and
// golang.org/x/time/rate; it knows nothing of the domain.
package mail
