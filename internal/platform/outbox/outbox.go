// Package outbox records what happened that the world outside may be told
// of: a person signed up, a petition was signed, an RSVP changed, a
// decision closed. A capability calls Append inside the transaction of the
// write, as it calls audit.Record, so the event exists exactly when the
// change does; the webhooks capability (internal/actions/webhooks) reads
// the events in order (Pending, MarkDispatched) and turns them into
// deliveries. Nothing here knows what a person or a petition is: an event
// names its subject by kind and id, and whoever tells the world loads it.
//
// It imports only platform/db.
package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// The kinds of event. Webhook endpoints subscribe to these.
const (
	PersonCreated      = "person.created"      // subject person: a new person (signup, API, form, RSVP; not bulk imports)
	PersonUnsubscribed = "person.unsubscribed" // subject person: email consent withdrawn
	SignatureCreated   = "signature.created"   // subject signature: a petition was signed (confirmed, when double opt-in)
	SubmissionCreated  = "submission.created"  // subject submission: a form was submitted (confirmed, when double opt-in)
	AttendanceCreated  = "attendance.created"  // subject attendance: a new RSVP or recorded attendance
	RSVPChanged        = "rsvp.changed"        // subject attendance: an RSVP's status changed (cancelled, waitlist, checked in)
	DecisionClosed     = "decision.closed"     // subject decision: a decision closed with its outcome
)

// Kinds lists every kind, in the order forms show them.
var Kinds = []string{PersonCreated, PersonUnsubscribed, SignatureCreated, SubmissionCreated,
	AttendanceCreated, RSVPChanged, DecisionClosed}

// Event is one thing that happened.
type Event struct {
	Seq       int64 // the event's place in the outbox; set by the store
	ID        string
	Kind      string
	Subject   string // "person", "signature", "submission", "attendance", "decision"
	SubjectID string
	GroupID   string // the group it happened in; "" for the network
	// Data holds a few facts a receiver needs besides the subject (e.g.
	// "action_id", "event_id", "status"); never personal data beyond ids.
	Data map[string]any
	At   time.Time
}

// Append records e in the caller's transaction (q is a *db.Tx's Querier,
// or the database for writes outside one). ID and At are filled when
// empty.
func Append(ctx context.Context, q db.Querier, e Event) error {
	if e.Kind == "" || e.Subject == "" || e.SubjectID == "" {
		return fmt.Errorf("outbox: an event needs a kind, a subject and its id (got %q %q %q)", e.Kind, e.Subject, e.SubjectID)
	}
	if e.ID == "" {
		e.ID = db.NewID()
	}
	if e.At.IsZero() {
		e.At = db.Now()
	}
	if e.Data == nil {
		e.Data = map[string]any{}
	}
	js, err := json.Marshal(e.Data)
	if err != nil {
		return fmt.Errorf("outbox %s: data: %w", e.Kind, err)
	}
	if _, err := q.Exec(ctx, `INSERT INTO outbox_events (id, kind, subject, subject_id, group_id, data, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.ID, e.Kind, e.Subject, e.SubjectID, e.GroupID, string(js), e.At); err != nil {
		return fmt.Errorf("outbox %s: %w", e.Kind, err)
	}
	return nil
}

// Pending returns up to limit events not yet dispatched, oldest first.
func Pending(ctx context.Context, q db.Querier, limit int) ([]Event, error) {
	rows, err := q.Query(ctx, `SELECT seq, id, kind, subject, subject_id, group_id, data, at FROM outbox_events
		WHERE dispatched_at IS NULL ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox: pending: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var data string
		if err := rows.Scan(&e.Seq, &e.ID, &e.Kind, &e.Subject, &e.SubjectID, &e.GroupID, &data, &e.At); err != nil {
			return nil, fmt.Errorf("outbox: pending: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, fmt.Errorf("outbox: event %s: data: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// MarkDispatched records that the events with these sequence numbers were
// handed on, in the dispatcher's transaction.
func MarkDispatched(ctx context.Context, q db.Querier, at time.Time, seqs ...int64) error {
	for _, s := range seqs {
		if _, err := q.Exec(ctx, `UPDATE outbox_events SET dispatched_at = ? WHERE seq = ?`, at, s); err != nil {
			return fmt.Errorf("outbox: mark dispatched: %w", err)
		}
	}
	return nil
}
