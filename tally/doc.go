// Package tally counts ballots: it owns the ballot model (candidates and
// compact weighted rankings), the exact arithmetic the counting rules
// prescribe, the BLT ballot format, the counting methods (instant-runoff,
// Scottish STV, Meek STV, the weighted inclusive Gregory method, approval,
// score, plurality, Schulze, consensus proposals, dot votes and meeting-time
// polls) and the round-by-round explanation of a count that result pages and
// reports render. Scottish STV and Meek can reserve seats for a category of
// candidates (Election.MinRepresentation, see Reserve), as UK parties'
// minimum-representation rules require.
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
//
// Everything a person reads of a count shows it one way: rounds are
// numbered from 1 (Round.Number, as RCTab and count sheets number them) and
// every vote is written by FormatVotes at the count's own places
// (Result.Places: five for Scottish STV, eighteen for Meek and WIGM, none
// for whole votes), truncated, never rounded — in WriteText, the JSON, and
// the results pages and charts built on this package.
package tally
