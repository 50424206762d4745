// Package peopleapi serves the people capability through the OSDI API
// (HAL+JSON under /api/v1) as Action Network's API v2 answers it (issue
// 14): people, the signup helper at POST /people (people.Signup, one
// transaction), tags and taggings, lists and their items, queries, and
// metadata with the custom fields. docs/API.md lists every difference. It owns no
// records and no SQL: every handler parses the request, calls the
// people.Service (which checks permission through auth.Policy, opens the
// transaction and writes the audit record) and writes the resource with
// platform/hal.
//
// It imports people and platform packages (auth, errs, geo, hal, web) only;
// never another capability and never app. Its tests use the real groups
// service for group roles, as app wires it.
package peopleapi
