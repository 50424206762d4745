// Package decisions owns how a group or the whole network decides:
// consensus proposals, polls, approval, ranked and score votes, dot votes,
// meeting-time polls and STV elections with nominations; their lifecycle
// (draft → discussion → nominations → voting → closed → published, or
// withdrawn), the electorate frozen when voting opens, secret and named
// ballots with receipt codes, and counting with the tally package.
//
// # Secret ballots
//
// The threat model is docs/SECURITY.md ("Ballot secrecy"); this is how it
// is made true. Three tables, none with a timestamp:
//
//   - decision_voters: who voted (decision, person) and a change key.
//   - decision_sealed: ballots waiting for the box, each sealed with
//     AES-256-GCM under a per-decision key (random 128-bit row id, no
//     person).
//   - decision_ballots, the ballot box: random 128-bit id, receipt hash,
//     content (and the person, for named votes only).
//
// Everything secret derives from the node's BallotKey, a secret in a file
// outside the database (LoadBallotKey; every node of a network needs the
// same one, and CheckBallotKey refuses a node with another): by
// HKDF-SHA256, the per-decision sealing key, the HMAC keys of receipt
// hashes and change keys, the key that signs ballot tokens and the one
// that derives receipt codes.
//
// A secret vote's transaction writes the voter row and a sealed row, and
// nothing else: no audit record (its actor and time would date the vote).
// On PostgreSQL the two rows share an xmin, which is why the ballot in
// the second must be unreadable without the key, and padded so that its
// length does not tell it either (pad). MoveBallots, run by the
// minute job, takes a decision's sealed rows once at least BatchMin wait,
// opens them, and in one transaction inserts the ballots into the box in
// a random order, deletes the sealed rows (and the box rows that changed
// votes replace), and records "decision.ballots_cast" with the count. So
// a box row's xmin is its batch's, its ctid is random within the batch,
// and its id says nothing: a reader can tell at best the batch of at
// least BatchMin in which a ballot arrived. Close moves whatever is left,
// however few, then on PostgreSQL rewrites the whole box in a random order
// in the same transaction, so after the close not even the batch shows;
// counting reads only the box. After a move or a close, PostgreSQL's dead
// rows are vacuumed at once; SQLite's secure_delete zeroes freed pages.
//
// Receipt codes: the ballot form carries a ballot token (128 random bits
// signed for the user and decision), never a code. Vote derives the code
// from the token and the code it replaces (receiptFor): 25 Crockford
// base32 characters, 125 bits. So no one can choose a code, the same form
// sent twice gives the same code and counts once, and a voter's chain of
// codes never comes round again. The box keeps HMAC(code) and the voter
// row HMAC(decision, code) under another key, so the two cannot be matched
// without the code and the key, and a stolen database cannot be swept. A
// change is allowed only with the code whose change key the voter row
// holds; its sealed ballot names the hash it replaces. Codes made before
// issue 11 (12 characters, plain sha256) are still found by the checker.
// Published ballots and exports are ordered by receipt fingerprint.
//
// Named (open) votes need no secrecy: they go into the box at once with
// the voter, and are audited as "decision.voted".
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
// TurnoutTopic(id) (Deps.Live): two numbers, nothing about the ballot; at
// most every turnoutEvery per decision and node, since each count scans the
// decision's voters (the last vote is always published). A day
// before the close (RemindBefore), RemindWorker hands the addresses of
// those in the electorate who have not voted to a Reminder (Deps.Reminder;
// app mails them) in the transaction that sets decisions.reminded_at, so
// each decision's reminders go once. Who has voted is not secret (it is
// decision_voters); how they voted is.
//
// It imports platform packages and tally; never app, and no capability of
// its own tier.
package decisions
