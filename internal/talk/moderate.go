package talk

import (
	"context"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// moderated loads a thread the viewer moderates, in a group not archived.
func (s *Service) moderated(ctx context.Context, threadID string) (*Thread, error) {
	t, err := s.readable(ctx, threadID)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActModerate, t.GroupID); err != nil {
		return nil, err
	}
	return t, writable(t)
}

// moderatedComment loads a comment whose thread the viewer moderates.
func (s *Service) moderatedComment(ctx context.Context, commentID string) (*Comment, *Thread, error) {
	c, t, err := s.commentIn(ctx, commentID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.can(ctx, ActModerate, t.GroupID); err != nil {
		return nil, nil, err
	}
	return c, t, writable(t)
}

// Pin pins or unpins a thread (the group's organisers and moderators).
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived).
func (s *Service) Pin(ctx context.Context, threadID string, on bool) error {
	t, err := s.moderated(ctx, threadID)
	if err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE talk_threads SET pinned = ? WHERE id = ?`, on, t.ID); err != nil {
			return err
		}
		return audited(ctx, tx, "talk.pin", "thread", t.ID, map[string]any{"on": on, "group_id": t.GroupID})
	})
}

// Lock locks (with a reason) or unlocks a thread (moderators): a locked
// thread takes no new comments but a moderator's.
//
// Errors: errs.Invalid naming reason, errs.NotFound, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (archived).
func (s *Service) Lock(ctx context.Context, threadID string, on bool, reason string) error {
	reason = strings.TrimSpace(reason)
	fields := map[string]string{}
	if on {
		checkText(fields, "reason", "why the thread is locked", reason, 1, MaxReason)
	} else {
		reason = ""
	}
	if err := fieldErr(fields); err != nil {
		return err
	}
	t, err := s.moderated(ctx, threadID)
	if err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE talk_threads SET locked = ?, lock_reason = ?, updated_at = ? WHERE id = ?`,
			on, reason, s.clock(), t.ID); err != nil {
			return err
		}
		return audited(ctx, tx, "talk.lock", "thread", t.ID, map[string]any{"on": on, "reason": reason, "group_id": t.GroupID})
	})
}

// Flag reports a comment to the moderators with a reason; flagging again
// replaces one's reason.
//
// Errors: errs.Invalid naming reason, errs.NotFound, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (archived).
func (s *Service) Flag(ctx context.Context, commentID, reason string) error {
	reason = strings.TrimSpace(reason)
	fields := map[string]string{}
	checkText(fields, "reason", "what is wrong with it", reason, 1, MaxReason)
	if err := fieldErr(fields); err != nil {
		return err
	}
	c, t, err := s.commentIn(ctx, commentID)
	if err != nil {
		return err
	}
	if err := s.can(ctx, ActFlag, t.GroupID); err != nil {
		return err
	}
	if err := writable(t); err != nil {
		return err
	}
	_, err = s.d.DB.Exec(ctx, `INSERT INTO talk_flags (id, comment_id, user_id, reason, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (comment_id, user_id) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at,
		resolved_at = NULL, resolution = ''`, db.NewID(), c.ID, viewer(ctx), reason, s.clock())
	return err
}

// Hide hides a comment with a reason shown in its place (moderators); it
// leaves the search index and its flags are resolved.
//
// Errors: errs.Invalid naming reason, errs.NotFound, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (archived).
func (s *Service) Hide(ctx context.Context, commentID, reason string) error {
	reason = strings.TrimSpace(reason)
	fields := map[string]string{}
	checkText(fields, "reason", "why it is hidden", reason, 1, MaxReason)
	if err := fieldErr(fields); err != nil {
		return err
	}
	c, t, err := s.moderatedComment(ctx, commentID)
	if err != nil {
		return err
	}
	now := s.clock()
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE talk_comments SET hidden = ?, hidden_reason = ?, hidden_by = ?, hidden_at = ? WHERE id = ?`,
			true, reason, nullable(viewer(ctx)), now, c.ID); err != nil {
			return err
		}
		if err := resolveFlags(ctx, tx, c.ID, "hidden", now); err != nil {
			return err
		}
		if err := s.unindexComment(ctx, tx, c.ID); err != nil {
			return err
		}
		return audited(ctx, tx, "talk.hide", "comment", c.ID, map[string]any{"reason": reason, "thread_id": t.ID})
	})
}

func resolveFlags(ctx context.Context, tx *db.Tx, commentID, how string, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE talk_flags SET resolved_at = ?, resolution = ? WHERE comment_id = ? AND resolved_at IS NULL`,
		now, how, commentID)
	return err
}

// Unhide shows a hidden comment again (moderators), back in the index.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived).
func (s *Service) Unhide(ctx context.Context, commentID string) error {
	c, t, err := s.moderatedComment(ctx, commentID)
	if err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE talk_comments SET hidden = ?, hidden_reason = '', hidden_by = NULL, hidden_at = NULL
			WHERE id = ?`, false, c.ID); err != nil {
			return err
		}
		if err := s.putComment(ctx, tx, t, c); err != nil {
			return err
		}
		return audited(ctx, tx, "talk.unhide", "comment", c.ID, map[string]any{"thread_id": t.ID})
	})
}

// Dismiss clears a comment's flags without hiding it (moderators).
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived).
func (s *Service) Dismiss(ctx context.Context, commentID string) error {
	c, t, err := s.moderatedComment(ctx, commentID)
	if err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := resolveFlags(ctx, tx, c.ID, "dismissed", s.clock()); err != nil {
			return err
		}
		return audited(ctx, tx, "talk.dismiss", "comment", c.ID, map[string]any{"thread_id": t.ID})
	})
}
