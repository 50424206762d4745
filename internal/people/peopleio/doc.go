// Package peopleio brings people into the network from CSV files and takes
// them out again. It owns the import engine — matching rows to people by
// email, then phone, then name and postcode; merging what they add; the
// bulk writes of each batch; resumable runs recorded in import_runs — the
// import job of the web wizard (ImportArgs, Stage, Run, Runs), and Export.
// The CSV format itself is package peoplecsv.
//
// Imports are the hot path: they write people, person_emails,
// person_phones, tags, person_tags, consents, consent_history, donations
// and person_actions with SQL of their own (store.go, bulk.go), a batch of
// rows per transaction, rather than through people.Service one person at a
// time. They follow people's rules for what those rows mean (people.NameKey,
// people.EmailKey, the statuses, the ladder's lower rungs). Export goes
// through people.Service.Each, which checks permission and projects each
// person for the viewer.
//
// It imports people, peoplecsv and platform packages (db, errs, auth,
// audit, jobs, reqctx); never another capability, and never app. The
// groups capability comes in through people.GroupJoiner.
package peopleio
