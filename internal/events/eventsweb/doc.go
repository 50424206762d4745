// Package eventsweb is the events pages: finding events near a postcode,
// an event's page with its RSVP buttons (and a guest form for visitors who
// are not signed in), the form to create an event, the check-in page for
// hosts at the door, and the calendar feeds (the network's, a group's, one
// event's file, and a person's private feed).
//
// Handlers parse the request, call one events.Service method and render:
// who may see or do what is decided by the service, never here. Every page
// works without JavaScript and on a phone.
//
// It imports internal/events and the platform packages web, errs and ical.
// It must not import app, and holds no SQL.
package eventsweb
