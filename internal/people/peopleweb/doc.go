// Package peopleweb is the people pages for admins and organisers: the
// people list with its filters, saved lists and CSV export; a person's
// record with its tags, consent and its history, notes, donations,
// membership and timeline; the create and edit forms; duplicates and
// merging; and the admin pages for custom fields and retention.
//
// Handlers parse the request, call the people service and render: who may
// see or change what, and which contact details a viewer sees, is decided
// by people.Service (its policy rules and its projection), never here.
// Where a section of a page is refused to the viewer (consent history and
// donations for organisers), the page leaves it out.
//
// It imports internal/people, internal/people/peoplecsv (the export's
// canonical columns), internal/groups (to offer a choice of group) and the
// platform packages web, errs and geo. It must not import app or any
// capability after groups, and holds no SQL: where the list needs a
// postcode's position it asks a Locator.
package peopleweb
