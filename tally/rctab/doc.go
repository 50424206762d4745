// Package rctab is an RCTab-compatible ranked-choice tabulator.
//
// It owns everything needed to recount an election exactly as RCTab 2.0
// (the certified US tabulator by Bright Spots) does: the RCTab contest
// configuration JSON, the cast vote record readers RCTab accepts (ES&S xlsx,
// NIST CDF JSON, Dominion CvrExport.json folders, Clear Ballot CSV and
// generic CSV), the round-by-round count with every rule option RCTab
// offers, and writers for RCTab's detailed report (JSON and CSV, also per
// precinct and per batch), a readable text report, a structured
// explanation of every round, and the cast vote records as NIST CDF JSON
// (generateCdfJson) and RCTab's CVR CSV (Convert).
//
// RCTab's ballots are richer than plain rankings (overvotes at a rank,
// skipped ranks, undeclared write-ins, duplicates), so the package keeps
// its own cast vote record model instead of the root tally package's. Vote
// arithmetic uses a fixed-point decimal that mirrors Java's BigDecimal
// with RCTab's rounding (scale decimalPlacesForVoteArithmetic, rounding
// down); no floating point touches a vote value.
//
// rctab is a leaf library: it imports only the standard library and one
// xlsx reader, and must not import the platform's internal packages.
package rctab
