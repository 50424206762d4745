// Package notices delivers the notifications capabilities send to one
// person about their own business (an event's reminder, a changed time, a
// ballot closing soon) as each person chose: at once, in one daily digest,
// or not at all. It is not for broadcasts (package messaging) and never
// sends a campaign.
//
// Each capability declares its kinds of notice (Kind: "events.reminder",
// with a label for the preferences page, and whether it is service mail
// that always goes: a log-in link, a receipt, the confirmation of one's own
// RSVP) and hands every notice to Service.Send inside the transaction of
// the change that caused it. Send reads the person's mode for that kind
// (instant when they chose nothing): instant queues the mail in that
// transaction (mail.Service.Queue), digest keeps it as a row of
// notification_digest, off drops it. Service kinds ignore the mode.
//
// The digest job (DigestArgs, daily at Deps.DigestHour in the network's
// zone) sends each person with waiting rows one mail listing them all. It
// takes a person's rows out of the table (DELETE … RETURNING) in the
// transaction that queues that mail, so a row goes once even when the job runs twice or on
// two nodes.
//
// The rooms: kind.go (Kind, Mode, Notice), service.go (Send and the
// preferences), store.go (SQL), digest.go (the job), merge.go (a merged
// person's choices follow them), web.go + templates/
// (/account/notifications).
//
// It imports the platform and people (for merges) only; events and
// decisions import it, so it must never import them, groups, nor package
// messaging.
package notices
