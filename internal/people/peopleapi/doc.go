// Package peopleapi serves the people capability through the OSDI API
// (HAL+JSON under /api/v1, as Action Network does): people, tags and
// taggings, lists and their items, and the person signup helper. It owns no
// records and no SQL: every handler parses the request, calls the
// people.Service (which checks permission through auth.Policy, opens the
// transaction and writes the audit record) and writes the resource with
// platform/hal.
//
// It imports people and platform packages (auth, errs, geo, hal, web) only;
// never another capability and never app. Its tests use the real groups
// service for group roles, as app wires it.
package peopleapi
