// Package tally counts ballots: it owns the ballot model (candidates and
// compact weighted rankings), the exact arithmetic the counting rules
// prescribe, the BLT ballot format, the counting methods (instant-runoff,
// Scottish STV, Meek STV, the weighted inclusive Gregory method, approval,
// score, plurality, Schulze, consensus proposals, dot votes and meeting-time
// polls) and the round-by-round explanation of a count that result pages and
// reports render. Scottish STV and Meek can reserve seats for a category of
// candidates (Election.MinRepresentation, see Reserve), as UK parties'
// minimum-representation rules require. Droop's other Meek-family
// reference rules are here too, for recounts and checks: the PR
// Foundation's Meek (CountMeekPRF) and Warren's STV (CountWarren).
//
// BLT files carry rankings only: a recount from BLT of an election with
// reserved seats does not apply the reservation.
//
// It is a public library with no knowledge of the platform: it imports only
// the standard library and must never import anything under internal/.
// Vote values are never float64: each rule's arithmetic is reproduced
// exactly (Fixed for fixed-point decimals, guarded decimals for Meek and
// WIGM as Droop defines them), so a count can be checked digit by digit
// against the tabulators election officials use.
package tally
