// Package sms sends text messages through a provider and reads the replies
// that come back. It is platform-like: it imports the standard library,
// golang.org/x/time/rate and Momentum's platform packages (db, errs, phone,
// reqctx), never another capability. People reach it through the small
// PhoneConsents interface the inbox takes (smsweb.PeopleConsents adapts
// people.Service).
//
//	provider.go   Provider, Message, Result and the permanent/temporary Error
//	twilio.go     Twilio: Twilio's REST API (and any provider that copies it)
//	disabled.go   Disabled: the provider when SMS is not configured; New picks one
//	segments.go   Segments: how many SMS parts a body costs (GSM-7 or UCS-2)
//	sender.go     Sender: a batch through a Provider, rate-limited, bounded
//	signature.go  Signature, ValidSignature: X-Twilio-Signature on webhooks
//	keyword.go    Keyword: STOP, START and HELP in a reply
//	inbox.go      Inbox: a reply's effect (consent, suppression) and its record
//
// # Sending a broadcast
//
// The messaging fan-out sends an SMS broadcast's claimed rows with
//
//	func (s *Sender) Send(ctx context.Context, batch []Outgoing) []Outcome
//
// one Outcome per Outgoing, in the same order, each carrying the caller's
// Key, the provider's message id, and, when it failed, the error and
// whether it is Permanent (the number is invalid or opted out: do not try
// again) or temporary (429, 5xx, the network: try again later). Its *Error
// also says when the outcome is unknown — Ambiguous: the request went out
// and no answer came, so the message may have been delivered — and when
// the message was never handed over at all (NotSent). Send
// returns when every message has an outcome or ctx ends (those not yet
// handed to the provider then come back temporary, with ctx's error).
// Before a batch, the fan-out asks Sender.Configured and refuses SMS
// broadcasts up front with NotConfiguredMessage when it is false.
//
// # Exactly once
//
// The discipline is mail's: the fan-out marks a row sent in the database
// before it hands the row to Send. An HTTP API is not two-phase — there is
// no "here is the message" followed by a separate "now deliver it" as in
// SMTP's DATA and final ".", so the commit cannot sit between the two.
// Marking first means a node that dies between the commit and the HTTP
// request loses at most the messages it had in flight (recorded sent, never
// delivered); it never sends one twice, which for a text message that costs
// money and annoys is the worse failure. A temporary failure the provider
// reports is put back to queued by the fan-out and tried again; an
// ambiguous one stays sent. internal/messaging/sms_send.go is that fan-out.
package sms
