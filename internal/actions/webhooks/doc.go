// Package webhooks tells the world outside what happened in Momentum: an
// admin registers endpoints (a URL, the kinds of event it wants, for the
// whole network or for one group), and the outbox's events
// (platform/outbox) become signed HTTP deliveries to them, shaped as
// Action Network sends its webhooks — a JSON array of objects, each with
// one resource under its curie ("osdi:person", "osdi:signature",
// "osdi:attendance", "momentum:decision") and an "idempotency_key".
//
// Two River jobs do the work (jobs.go):
//   - webhooks.dispatch, periodic (every 2 s) and one at a time, reads the
//     outbox in order, renders each event's resource once (Renderer),
//     writes one delivery per matching enabled endpoint with the
//     endpoint's next sequence number, marks the events dispatched and
//     enqueues webhooks.deliver for each endpoint concerned, all in one
//     transaction.
//   - webhooks.deliver, one per endpoint at a time, POSTs the endpoint's
//     pending deliveries in sequence order and stops at the first failure,
//     which River retries with this package's backoff (RetryDelays). After
//     MaxAttempts a delivery is marked failed and the endpoint's later
//     deliveries go on.
//
// Delivery is at least once: a node that dies between a receiver's 2xx and
// the commit that marks the delivery sends it again, with the same
// idempotency key (and X-Momentum-Delivery header), by which receivers
// deduplicate. Receivers check X-Momentum-Signature with Verify.
//
// It imports the platform (db, auth, jobs, outbox, audit, errs), never a
// capability: what a person or a signature looks like comes from the
// Renderer that app/build gives it.
package webhooks
