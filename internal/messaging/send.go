package messaging

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/timebound"
)

// The life of a broadcast:
//
//	draft ──Send/Schedule──▶ approval ──Approve──▶ scheduled ──(time)──▶ sending ──▶ sent
//	  ▲                         │Reject              │                    │  ▲
//	  └─────────────────────────┘                    └──Pause──▶ paused ◀─┘  │Resume
//	                                     any but sent ──Cancel──▶ cancelled
//
// Starting to send fixes the recipients and enqueues the fan-out job in
// one transaction (start), so a broadcast is never "sending" without its
// rows, nor its rows without their job: the scheduler's sweep re-enqueues
// the job of any sending broadcast each minute in case a node died.

// Send starts sending now, or asks an admin first when the network wants
// group broadcasts approved and the sender is not an admin.
//
// Errors: as Create; errs.Conflict unless it is a draft; errs.Invalid
// ("targets") when nobody would receive it.
func (s *Service) Send(ctx context.Context, id string) (*Broadcast, error) {
	return s.sendAt(ctx, id, time.Time{})
}

// Schedule sends at a time (or asks for approval first, as Send). A
// draft or a scheduled broadcast may be (re)scheduled.
//
// Errors: as Send, and errs.Invalid ("send_at") for a time not in the
// future.
func (s *Service) Schedule(ctx context.Context, id string, at time.Time) (*Broadcast, error) {
	if !at.After(s.clock()) || !timebound.In(at) {
		return nil, errs.Fields(map[string]string{"send_at": "Choose a time in the future."})
	}
	return s.sendAt(ctx, id, at.UTC().Truncate(time.Microsecond))
}

func (s *Service) sendAt(ctx context.Context, id string, at time.Time) (*Broadcast, error) {
	b, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.Status != StatusDraft && !(b.Status == StatusScheduled && !at.IsZero()) {
		return nil, errs.E(errs.Conflict, "Only a draft can be sent; this broadcast is %s.", b.Status)
	}
	// The targets are checked again with the sender's rights: an organiser
	// who lost their role, or a list moved to another group, stops here.
	in := b.Input()
	if err := s.checkInput(ctx, &in); err != nil {
		return nil, err
	}
	st, err := getSettings(ctx, s.d.DB.Q())
	if err != nil {
		return nil, err
	}
	if b.GroupID != "" && st.ApproveGroups && !isAdmin(ctx) {
		return s.transition(ctx, id, []string{StatusDraft, StatusScheduled}, "broadcast.approval_asked", func(b *Broadcast) {
			b.Status, b.SendAt = StatusApproval, at
		})
	}
	if !at.IsZero() {
		return s.transition(ctx, id, []string{StatusDraft, StatusScheduled}, "broadcast.scheduled", func(b *Broadcast) {
			b.Status, b.SendAt = StatusScheduled, at
		})
	}
	return s.start(ctx, id, []string{StatusDraft}, true)
}

// Input is what b was written with: for an edit form, or to Count a
// stored broadcast.
func (b *Broadcast) Input() Input {
	return Input{Channel: b.Channel, GroupID: b.GroupID, Subject: b.Subject, Body: b.Body, FromName: b.FromName,
		ReplyTo: b.ReplyTo, Targets: slices.Clone(b.Targets)}
}

// set copies in into b.
func (b *Broadcast) set(in Input) {
	b.Channel, b.GroupID, b.Subject, b.Body, b.FromName, b.ReplyTo, b.Targets =
		in.Channel, in.GroupID, in.Subject, in.Body, in.FromName, in.ReplyTo, in.Targets
}

// start fixes b's recipients and enqueues its fan-out, in one transaction,
// if its status is one of from. refuseEmpty makes a broadcast that would
// reach nobody an error (sending now) rather than sent at once (on time).
func (s *Service) start(ctx context.Context, id string, from []string, refuseEmpty bool) (*Broadcast, error) {
	b, err := getBroadcast(ctx, s.d.DB.Q(), id, false)
	if err != nil {
		return nil, err
	}
	sg, err := s.segmentOf(ctx, b.Channel, b.GroupID, b.Targets)
	if err != nil {
		return nil, err
	}
	st, err := getSettings(ctx, s.d.DB.Q())
	if err != nil {
		return nil, err
	}
	err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if b, err = getBroadcast(ctx, tx, id, true); err != nil {
			return err
		}
		if !slices.Contains(from, b.Status) {
			return errs.E(errs.Conflict, "This broadcast is %s and cannot start sending.", b.Status)
		}
		n, err := fixRecipients(ctx, tx, b.ID, sg)
		if err != nil {
			return err
		}
		if n == 0 && refuseEmpty {
			return errs.Fields(map[string]string{"targets": "Nobody would receive this: no one chosen has agreed to be contacted this way."})
		}
		now := s.clock()
		b.Status, b.StartedAt, b.UpdatedAt, b.Recipients, b.Track = StatusSending, now, now, n, st.Track
		if n == 0 {
			b.Status, b.FinishedAt = StatusSent, now
		}
		if err := updateBroadcast(ctx, tx, b); err != nil {
			return err
		}
		if n > 0 {
			if _, err := s.d.Jobs.InsertTx(ctx, tx, SendArgs{BroadcastID: b.ID}, nil); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, "broadcast.started", "broadcast", b.ID, map[string]any{"group_id": b.GroupID, "recipients": n})
	})
	if err != nil {
		return nil, err
	}
	s.publish(ctx, b.ID)
	return b, nil
}

// transition changes a broadcast whose status is one of from, in a
// transaction, and audits it as action.
func (s *Service) transition(ctx context.Context, id string, from []string, action string, change func(b *Broadcast)) (*Broadcast, error) {
	var b *Broadcast
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if b, err = getBroadcast(ctx, tx, id, true); err != nil {
			return err
		}
		if !slices.Contains(from, b.Status) {
			return errs.E(errs.Conflict, "This broadcast is %s: that cannot be done now.", b.Status)
		}
		was := b.Status
		change(b)
		b.UpdatedAt = s.clock()
		if err := updateBroadcast(ctx, tx, b); err != nil {
			return err
		}
		if b.Status == StatusSending && was != StatusSending {
			if _, err := s.d.Jobs.InsertTx(ctx, tx, SendArgs{BroadcastID: b.ID}, nil); err != nil {
				return err
			}
		}
		if b.Status == StatusCancelled {
			if err := skipRemaining(ctx, tx, b.ID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, action, "broadcast", b.ID, map[string]any{"group_id": b.GroupID, "from": was, "to": b.Status})
	})
	if err != nil {
		return nil, err
	}
	s.publish(ctx, b.ID)
	return b, nil
}

// Approve lets a group's broadcast go (admins); it then sends now or at its
// scheduled time.
//
// Errors: errs.Forbidden, errs.NotFound, errs.Conflict unless it waits for
// approval.
func (s *Service) Approve(ctx context.Context, id string) (*Broadcast, error) {
	b, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActApprove, b.GroupID); err != nil {
		return nil, err
	}
	who := ""
	if p := auth.PrincipalFrom(ctx); p != nil {
		who = p.UserID
	}
	later := !b.SendAt.IsZero() && b.SendAt.After(s.clock())
	b, err = s.transition(ctx, id, []string{StatusApproval}, "broadcast.approved", func(b *Broadcast) {
		b.ApprovedBy, b.ApprovedAt = who, s.clock()
		b.Status = StatusScheduled
		if !later {
			b.SendAt = s.clock() // due now: started below, or by the scheduler's next minute
		}
	})
	if err != nil || later {
		return b, err
	}
	return s.start(ctx, id, []string{StatusScheduled}, false)
}

// Reject sends a broadcast waiting for approval back to draft, with a
// reason for its writer (kept in the audit log).
//
// Errors: errs.Invalid ("reason"), errs.Forbidden, errs.NotFound,
// errs.Conflict.
func (s *Service) Reject(ctx context.Context, id, reason string) (*Broadcast, error) {
	b, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActApprove, b.GroupID); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 1000 {
		return nil, errs.Fields(map[string]string{"reason": "Say why, in at most 1,000 characters."})
	}
	return s.transition(ctx, id, []string{StatusApproval}, "broadcast.rejected", func(b *Broadcast) {
		b.Status, b.SendAt = StatusDraft, time.Time{}
	})
}

// Pause stops a sending or scheduled broadcast; the fan-out stops after
// its current batch. Resume continues it where it stopped.
//
// Errors: as Get, errs.Conflict.
func (s *Service) Pause(ctx context.Context, id string) (*Broadcast, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.transition(ctx, id, []string{StatusSending, StatusScheduled}, "broadcast.paused", func(b *Broadcast) {
		b.Status = StatusPaused
	})
}

// Resume continues a paused broadcast: sending again if it had started,
// else scheduled (a time already past starts it within the minute).
func (s *Service) Resume(ctx context.Context, id string) (*Broadcast, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.transition(ctx, id, []string{StatusPaused}, "broadcast.resumed", func(b *Broadcast) {
		if b.StartedAt.IsZero() {
			b.Status = StatusScheduled
		} else {
			b.Status = StatusSending
		}
	})
}

// Cancel stops a broadcast for good: the recipients not yet handed to the
// server are skipped (a mail already one "." away is not delivered either:
// its row is no longer the job's to mark sent).
func (s *Service) Cancel(ctx context.Context, id string) (*Broadcast, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.transition(ctx, id, []string{StatusDraft, StatusApproval, StatusScheduled, StatusSending, StatusPaused},
		"broadcast.cancelled", func(b *Broadcast) {
			b.Status, b.FinishedAt = StatusCancelled, s.clock()
		})
}
