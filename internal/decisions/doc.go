// Package decisions owns how a group or the whole network decides:
// consensus proposals, polls, approval, ranked and score votes, dot votes,
// meeting-time polls and STV elections with nominations; their lifecycle
// (draft → discussion → nominations → voting → closed → published, or
// withdrawn), the electorate frozen when voting opens, secret and named
// ballots with receipt codes, and counting with the tally package.
//
// # Secret ballots
//
// What was voted (decision_ballots) is stored apart from who voted
// (decision_voters). A ballot row holds a random 128-bit id, the decision,
// hex(sha256(receipt code)) and the content; no person, user, time or
// sequence. A voter row holds the decision, the person and a change key:
// sha256 of the decision and the receipt code under another domain than the
// ballot's hash, so it names no ballot, but lets ChangeVote check that the
// code a voter gives is their own (otherwise anyone who learnt another's
// code could replace that ballot with a second of their own). The receipt
// code is made when the ballot form is shown
// (BallotForm, NewReceipt), comes back with the vote and is stored nowhere
// in plain text; audit records say "voted in decision X" and nothing of the
// ballot; nothing in this package logs a receipt, its hash or a ballot.
// Published ballots and exports are ordered by receipt fingerprint.
//
// Storage order: on SQLite decision_ballots is WITHOUT ROWID, so rows sit
// in random-key order. On PostgreSQL the heap keeps insertion order while
// voting is open, so Close deletes and reinserts a decision's ballots in a
// random order in one transaction. Until then, someone with raw access to
// the database files (or PostgreSQL's dead tuples and WAL, or SQLite's
// freed pages, until they are reused) could compare physical order with
// other records; no column, index or log line links a voter to a ballot.
//
// The receipt hash of a ballot is not salted per decision: with 60 random
// bits in a code, it cannot be found from the hash by guessing.
//
// # Reading other capabilities' tables
//
// The store reads people (user_id, membership_status, member_since,
// erased_at, names) and group_members (group_id, person_id, status) and
// groups (name) read-only: to snapshot the electorate in one INSERT …
// SELECT, to tell someone why they may not vote, to list a member's
// groups' decisions, and to name candidates and named voters. Reminders
// read users (email) read-only for the addresses of electorate members who
// have not voted. It writes only the decision_* tables.
//
// # Live turnout and reminders
//
// After a vote commits, the service publishes "N of M have voted" on
// TurnoutTopic(id) (SetLive): two numbers, nothing about the voter. A day
// before the close (RemindBefore), RemindWorker hands the addresses of
// those in the electorate who have not voted to a Reminder (SetReminder;
// app mails them) in the transaction that sets decisions.reminded_at, so
// each decision's reminders go once. Who has voted is not secret (it is
// decision_voters); how they voted is.
//
// It imports platform packages and tally; never app, and no capability of
// its own tier.
package decisions
