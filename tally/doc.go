// Package tally counts ballots: it owns the ballot model (candidates and
// compact weighted rankings), the exact arithmetic the counting rules
// prescribe, the BLT ballot format, the counting methods (instant-runoff,
// Scottish STV, Meek STV, the weighted inclusive Gregory method, approval,
// score, plurality, Schulze and consensus proposals) and the round-by-round
// explanation of a count that result pages and reports render.
//
// It is a public library with no knowledge of the platform: it imports only
// the standard library and must never import anything under internal/.
// Vote values are never float64: each rule's arithmetic is reproduced
// exactly (Fixed for fixed-point decimals, guarded decimals for Meek and
// WIGM as Droop defines them), so a count can be checked digit by digit
// against the tabulators election officials use.
package tally
