// Package smsweb is the SMS provider's inbound webhook, POST
// /hooks/sms/inbound: the replies people text to the network's number
// (STOP, START, HELP), delivered by the provider as a form post signed
// with X-Twilio-Signature, answered with TwiML. It is authenticated by that
// signature alone, so internal/app/routes.go lets it past the cross-origin
// check meant for browsers (a bypass pattern of web.CrossOrigin; it carries
// no cookie, so RequireOrigin does not apply). It also holds
// PeopleConsents, the adapter through which the sms inbox changes people's
// consent.
package smsweb
