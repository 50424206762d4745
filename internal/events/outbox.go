package events

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// Issue 14 (webhooks): every RSVP write tells the outbox, in its
// transaction — attendance.created for a first answer (or a walk-in
// checked in), rsvp.changed when an answer's status changes, someone
// moves up from the waitlist, or is checked in. The subject is the
// attendance as the API names it: AttendanceID (api_signup.go),
// "<event id>.<person id>", one part without a colon (merge of webhooks
// and apievents).

// rsvpOutbox appends the event for r, given the answer it replaced (nil
// for none); nothing when nothing a receiver would see changed.
func rsvpOutbox(ctx context.Context, tx *db.Tx, e *Event, old, r *RSVP) error {
	kind := outbox.AttendanceCreated
	if old != nil {
		if old.Status == r.Status && (old.AttendedAt != nil) == (r.AttendedAt != nil) {
			return nil
		}
		kind = outbox.RSVPChanged
	}
	data := map[string]any{"event_id": e.ID, "person_id": r.PersonID, "status": r.Status}
	if r.ShiftID != "" {
		data["shift_id"] = r.ShiftID
	}
	if r.AttendedAt != nil {
		data["attended"] = true
	}
	return outbox.Append(ctx, tx, outbox.Event{Kind: kind, Subject: "attendance", SubjectID: AttendanceID(e.ID, r.PersonID),
		GroupID: e.GroupID, Data: data})
}
