// Package opendata lets the movement's public information out (issue 13):
// the open-data page and its CSV and JSON exports of public decision
// records and public events, and each group's Atom feed of public activity
// (its public events and decision records, and the public threads and
// documents the search index holds).
//
// Everything here is read as nobody: public records only, whoever asks, so
// an export or a feed never holds what a visitor without a session could
// not see. It reads through the capabilities' services (decisions, events,
// groups) and platform/search; it writes nothing. It must not be imported
// by a capability.
package opendata
