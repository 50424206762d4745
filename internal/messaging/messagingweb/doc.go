// Package messagingweb is the organiser's messaging pages: the list of
// broadcasts, writing one (to a group, a filtered people list, a saved list,
// an event's attendees or a decision's electorate), its preview as a chosen
// recipient, the test send to yourself, sending now or at a time (after a
// page that states the count), an admin's approval, and the progress page
// that updates live while a broadcast goes out, with pause, resume and
// cancel. Admins also get the network's messaging settings.
//
// Handlers parse the request, call messaging.Service and render: who may
// write to whom is decided by the service, never here. Every page works
// without JavaScript and on a phone; app.js adds the live preview while
// typing and the live progress.
//
// It imports internal/messaging, the capabilities whose records it names
// (groups, people, events, decisions) and the platform packages web, errs,
// live and timebound. It must not import app, and holds no SQL.
package messagingweb
