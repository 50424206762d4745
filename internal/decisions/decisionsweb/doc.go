// Package decisionsweb serves the decisions pages — the list, the form for
// a new decision (one per kind), a decision's page with its ballot,
// nominations and live turnout, the receipt, the results with the
// round-by-round count and its chart, the receipt checker and the ballot
// downloads — and the decisions API under the momentum: curie.
//
// Handlers parse, call one decisions.Service method and render; who may do
// what is the service's business. Times are entered and shown in the
// network's time zone (MOMENTUM_TIME_ZONE, Europe/London by default) and
// stored in UTC. A receipt code appears only in the
// ballot form's hidden field, on the receipt page and in the checker's
// query: never in a log line, a mail or a redirect.
//
// It imports the decisions capability, its roundchart, the platform's web,
// live, hal, errs and auth packages, and tally for the count's types.
package decisionsweb
