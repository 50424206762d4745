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
// Files: service.go (Deps, New), action.go (Action, Question, create,
// update, get, list), respond.go (Sign, Submit, Confirm, spam checks),
// responses.go (signer lists), store*.go (SQL), jobs.go, mail/*.tmpl.
package actions
