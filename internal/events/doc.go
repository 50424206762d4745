// Package events owns events: a group's or the network's meetings, rallies,
// canvasses, phone banks, trainings and socials, with their places and
// times (in the event's own time zone), capacity, visibility, recurrence and
// volunteer shifts; and the RSVPs to them, in OSDI's attendance terms
// (accepted, tentative, declined) plus a waitlist that fills the places
// that free up, first come first served.
//
// It reads people and groups only through the small interfaces in
// service.go, which app wires to those capabilities. Tables: events,
// event_hosts, event_shifts, event_rsvps (migration 0009).
package events
