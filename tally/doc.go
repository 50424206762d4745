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
//
// # Limits
//
// No count returns a wrong answer because a number grew too large: each
// method either counts exactly or refuses up front with a *CountError that
// names its limit (the momentum CLI exits 1 with it). Every count holds its
// number of ballots in an int64, so Validate refuses ballots whose weights
// add up to more than 2^63−1 (BLT lines carry at most 2^40 each, so only
// the Go API, Ballots.Add, reaches it with fewer than 8.4 million lines).
// Where a rule fixes its precision, a wider type would be a different
// rule, so the method refuses; elsewhere wider arithmetic is cheap, so it
// counts exactly:
//
//	Method                 Most ballots          Arithmetic ("exact": no overflow)
//	IRV, plurality,        2^63−1, exact         int64 tallies (no tally exceeds the ballots;
//	approval                                       the majority test is v > active−v, not 2v)
//	Score (Borda)          2^63−1, exact         128-bit totals (up to (n−1)·2^63 points)
//	Schulze                2^63−1, exact         int64 pairwise counts, strengths compared
//	                                               as 128-bit cross products
//	WIGM                   2^63−1, exact         math/big, Droop's guarded 18+9 places
//	meek-prf, Warren       2^63−1                math/big (9 fixed places; guarded 18+9)
//	Scottish STV           ⌊(2^63−1)/10^5⌋       int64 units of 10^-5 (rule 48(3)), products
//	                       = 92,233,720,368,547    in 128 bits; refuses above
//	Meek                   10^11                 128-bit guarded units of 10^-27; refuses above
//	CountDots,             2^63−1 ballots cast   128-bit totals (dots or scores × count)
//	CountScoreBallots
//	CountMeetingTime       2^63−1 ballots cast   int64 mark totals (each at most the ballots)
//	DecideProposal         any int counts        shares compared as 128-bit cross products
//
// Fixed itself panics on overflow rather than wrap; no method reaches that
// panic.
//
// Everything a person reads of a count shows it one way: rounds are
// numbered from 1 (Round.Number, as RCTab and count sheets number them) and
// every vote is written by FormatVotes at the count's own places
// (Result.Places: five for Scottish STV, eighteen for Meek and WIGM, none
// for whole votes), truncated, never rounded — in WriteText, the JSON, and
// the results pages and charts built on this package.
package tally
