// Package admin is the network admin's console: an overview of the network
// and its machinery, the accounts list with role changes, the audit log, the
// mail outbox, background jobs (with retry, cancel and a test "ping"), and
// live announcements pushed to everyone online, and the style guide of the
// design system (issue 16).
//
// Every method of Service asks auth.Policy first; handlers only parse, call
// one method and render. It imports platform packages only.
package admin
