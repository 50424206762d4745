// Package peoplecsv is the CSV format of people imports and exports: it
// reads the spreadsheets movements actually have (UTF-8 with or without a
// BOM, Windows-1252 from older Excel, comma, semicolon or tab separators,
// Excel's "sep=" line, quoted fields with newlines), detects which column
// holds which field from common headers ("First name", "Email address",
// "Post code", "Mobile"…), turns each row into a normalised Record or a
// RowError naming the line and column, and writes the canonical columns
// back, so an export imports again unchanged.
//
// It owns no table and does no I/O beyond the reader and writer it is
// given. It imports the standard library, golang.org/x/text (to decode
// Windows-1252), and platform/geo and platform/phone (for normalising)
// only: never platform/db, never a capability.
package peoplecsv
