// Package live carries small "something changed" events to live pages.
//
// It owns three things: the [Event] and [Broker] types that services publish
// to ("queue changed", "question voted"); two brokers, [Memory] for a single
// process (used with SQLite) and [Postgres], which sends every event through
// PostgreSQL LISTEN/NOTIFY so that several `momentum serve` processes sharing
// one database all see it; and [ServeSSE], which streams a page's topics to a
// browser as Server-Sent Events.
//
// Events are hints, not records: they are small (see [MaxDataSize]), they are
// dropped for a subscriber that does not keep up, and they are lost while a
// PostgreSQL listener reconnects. A page that receives one re-reads the state
// it shows from the service; the database stays the only source of truth.
//
// The package imports only the standard library and pgx. It must not import
// any other Momentum package: it knows nothing of the domain, and services
// choose the topic names (for example "meeting:<id>:queue").
package live
