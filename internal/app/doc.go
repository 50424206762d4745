// Package app wires Momentum together: it opens the database, has every
// service built from the Config (internal/app/build), mounts their routes
// behind the shared middleware, and runs the web server and the job workers
// until the context ends. The mail the capabilities send and their workers
// live in the capabilities; app only wires.
//
// It is the only package that imports every domain; domains never import it.
// A test or a command starts the real program with New and Run, on port 0 if
// it likes (the WTF Dial "Main" pattern).
package app
