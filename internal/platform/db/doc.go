// Package db opens Momentum's database — SQLite (pure Go, modernc.org/sqlite)
// by default, PostgreSQL (pgx) when a postgres:// URL is given — applies the
// embedded migrations for that dialect, and gives the rest of the code one small
// surface to run SQL on either engine:
//
//   - SQL is written with ? placeholders and rebound for PostgreSQL here, once.
//   - DB and Tx both satisfy Querier, so store helpers take a Querier and work
//     inside or outside a transaction.
//   - Driver errors are normalised here (ErrNotFound, IsUniqueViolation).
//
// On SQLite there is one writer connection (SQLite allows one writer at a
// time; queuing in Go is kinder than SQLITE_BUSY) and a pool of readers.
// Transactions always run on the writer.
//
// This package knows nothing of the domain. The dbtest sub-package runs a test
// once per engine on a fresh database.
package db
