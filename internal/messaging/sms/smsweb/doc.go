// Package smsweb is the SMS provider's inbound webhook, POST
// /hooks/sms/inbound: the replies people text to the network's number
// (STOP, START, HELP), delivered by the provider as a form post signed
// with X-Twilio-Signature, answered with TwiML. It is authenticated by that
// signature alone, so app/routes.go exempts it from the cookie and Origin
// checks meant for browsers (web.SkipFor). It also holds PeopleConsents,
// the adapter through which the sms inbox changes people's consent.
package smsweb
