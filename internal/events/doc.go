// Package events owns events: a group's or the network's meetings, rallies,
// canvasses, phone banks, trainings and socials, with their places and
// times (in the event's own time zone), capacity, visibility, recurrence and
// volunteer shifts; and the RSVPs to them, in OSDI's attendance terms
// (accepted, tentative, declined) plus a waitlist that fills the places
// that free up, first come first served.
//
// Visitors who are not signed in answer public events as guests, and hosts
// add walk-ins at the door: both become people through the person-signup
// path it is given (Guests: PeopleGuests). After an event ends, the events.follow_up job
// thanks those who came (Notifier.FollowUp).
//
// It reads people and groups only through the small interfaces in
// service.go and guest.go, which app/build fills with those capabilities. Tables:
// events, event_hosts, event_shifts, event_rsvps (migration 0009),
// event_feed_tokens (0010), events.followed_up_at (0011), event_reminders
// and event_cancel_links (0013). Its pages are in eventsweb.
//
// Mobilising: organisers change events (Update: a change of time or place
// bumps the sequence and tells those coming, Notifier.Changed) and add
// volunteer shifts with their own places and waitlists (AddShift); a yes is
// confirmed by mail (Notifier.Confirmed); the events.remind job reminds
// those who said yes or maybe a day and two hours before (SendReminders,
// once each); every confirmation and reminder carries an "I can't come any
// more" link, a random token kept hashed, which only shows a page on GET
// and cancels on POST (CancelLink, CancelByLink). These mails are service
// messages, sent whatever a person's marketing consent.
package events
