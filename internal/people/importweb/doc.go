// Package importweb is the import wizard in the browser: upload a CSV file
// (with the tags to apply, the group for an organiser's import, and what the
// people in it agreed to), check and change the column mapping against the
// first rows, see a dry run listing every rejected row by its line, start
// the import as a background job and watch its progress, and look back at
// past imports.
//
// It owns the wizard's drafts: an uploaded file waits in
// <data dir>/import-drafts, private to the person who uploaded it, while
// its columns and dry run are checked (a day at most). Everything else
// belongs to internal/people/peopleio: the dry run and the import, staging
// the file for the job, the runs (import_runs) and their progress; the CSV
// format to peoplecsv. Who may import is peopleio's rule (ActImport), asked
// through auth.Policy.
//
// It imports peopleio, peoplecsv and the platform packages auth, db (ids and
// the clock only), errs and web; never another capability (the groups an
// organiser may import into come through the Groups interface, which app
// wires), and it writes no SQL.
package importweb
