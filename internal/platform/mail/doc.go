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
// The mailtest sub-package starts a real SMTP server (mailpit) for the mail
// tests of every package.
//
// This package imports only platform/db, platform/errs and River; it knows
// nothing of the domain.
package mail
