// Package actions is what a campaign asks people to do from its own pages
// and from anywhere on the web: petitions (a target, a text, a signature
// goal with a live count, optional comments) and forms (sign-up and survey
// forms with custom questions mapped to person fields and custom fields).
// Signing or submitting matches or creates the person (people.SignupTx),
// records consent with the wording shown, applies the action's tags,
// appends an outbox event for webhooks, and queues a thank-you mail, all
// in one transaction. Where the network asks for double opt-in, a
// response waits unconfirmed until the link in the confirmation mail is
// followed.
//
// Subpackages: actionsweb (organiser pages, public pages, embeds),
// actionsapi (Action Network's petitions, signatures, forms and
// submissions), webhooks (endpoints and signed deliveries of the outbox).
//
// Files: service.go (Deps, New), rules.go (the policy's rows), action.go
// (validation, create, update, status, get, list), respond.go (Respond:
// checks, the one transaction), spam.go (honeypot, timing, rate, tokens),
// responses.go (Confirm, signer lists, public comments), mail.go and
// mail/*.tmpl (thank-you and confirmation mail), search.go (the index),
// merge.go (people.PersonMover), store*.go (SQL).
//
// Erasure: people.Erase has no hook for capabilities yet, so an erased
// person's responses keep their comment and answers (their name goes, as
// it is read from the person record).
package actions
