package talk

import (
	"context"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
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

// Mute bounds.
const (
	MinMute = time.Hour
	MaxMute = 365 * 24 * time.Hour
)

// moderatedGroup checks the viewer moderates a group ("" the network:
// admins) and that it is not archived.
func (s *Service) moderatedGroup(ctx context.Context, groupID string, write bool) error {
	if len(groupID) > 64 {
		return notFound("group")
	}
	if err := s.can(ctx, ActModerate, groupID); err != nil {
		return err
	}
	if groupID == "" {
		return nil
	}
	var status string
	err := s.d.DB.QueryRow(ctx, `SELECT status FROM groups WHERE id = ?`, groupID).Scan(&status)
	if db.IsNotFound(err) {
		return notFound("group")
	} else if err != nil {
		return err
	}
	if write && status == "archived" {
		return errArchived()
	}
	return nil
}

// Mute stops a person posting in a group (GroupID "": the network's
// threads) for a time (the group's moderators; admins).
//
// Errors: errs.Invalid naming user_id, days or reason; errs.NotFound,
// errs.Forbidden, errs.Unauthorized, errs.Conflict (archived).
func (s *Service) Mute(ctx context.Context, in MuteInput) error {
	in.Reason = strings.TrimSpace(in.Reason)
	fields := map[string]string{}
	if in.For < MinMute || in.For > MaxMute {
		fields["days"] = "Mute for between an hour and 365 days."
	}
	checkText(fields, "reason", "why", in.Reason, 1, MaxReason)
	if in.UserID == "" || len(in.UserID) > 64 {
		fields["user_id"] = "Choose whom to mute."
	} else if in.UserID == viewer(ctx) {
		fields["user_id"] = "You cannot mute yourself."
	}
	if err := fieldErr(fields); err != nil {
		return err
	}
	if err := s.moderatedGroup(ctx, in.GroupID, true); err != nil {
		return err
	}
	now := s.clock()
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ?`, in.UserID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.Fields(map[string]string{"user_id": "There is no such person."})
		}
		if _, err := tx.Exec(ctx, `INSERT INTO talk_mutes (group_id, user_id, muted_until, reason, by_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_id, user_id) DO UPDATE SET muted_until = excluded.muted_until,
			reason = excluded.reason, by_id = excluded.by_id, created_at = excluded.created_at`,
			in.GroupID, in.UserID, now.Add(in.For), in.Reason, nullable(viewer(ctx)), now); err != nil {
			return err
		}
		return audited(ctx, tx, "talk.mute", "user", in.UserID, map[string]any{"group_id": in.GroupID,
			"until": now.Add(in.For), "reason": in.Reason})
	})
}

// Unmute lifts a mute early.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived).
func (s *Service) Unmute(ctx context.Context, groupID, userID string) error {
	if err := s.moderatedGroup(ctx, groupID, true); err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM talk_mutes WHERE group_id = ? AND user_id = ?`, groupID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("mute")
		}
		return audited(ctx, tx, "talk.unmute", "user", userID, map[string]any{"group_id": groupID})
	})
}

// Mutes lists a group's current mutes (moderators), ending soonest first.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Mutes(ctx context.Context, groupID string) ([]Mute, error) {
	if err := s.moderatedGroup(ctx, groupID, false); err != nil {
		return nil, err
	}
	rows, err := s.d.DB.Query(ctx, `SELECT m.group_id, m.user_id, COALESCE(u.name, ''), m.muted_until, m.reason,
		COALESCE(b.name, ''), m.created_at FROM talk_mutes m LEFT JOIN users u ON u.id = m.user_id
		LEFT JOIN users b ON b.id = m.by_id WHERE m.group_id = ? AND m.muted_until > ? ORDER BY m.muted_until, m.user_id LIMIT 500`,
		groupID, s.clock())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Mute
	for rows.Next() {
		var m Mute
		if err := rows.Scan(&m.GroupID, &m.UserID, &m.Name, &m.Until, &m.Reason, &m.ByName, &m.CreatedAt); err != nil {
			return nil, err
		}
		m.Name, m.ByName = authorName(m.Name), authorName(m.ByName)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Queue lists flagged comments the viewer moderates, oldest flag first: a
// group's for its organisers and moderators (groupID given), every group's
// and the network's for admins (groupID ""); a group moderator asking for
// "" gets the queues of every group they moderate.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Queue(ctx context.Context, groupID string) ([]QueueItem, error) {
	var where string
	var args []any
	switch {
	case groupID != "":
		if err := s.moderatedGroup(ctx, groupID, false); err != nil {
			return nil, err
		}
		where, args = `t.group_id = ?`, []any{groupID}
	case s.can(ctx, ActModerate, "") == nil:
		where = `1 = 1`
	default:
		p := auth.PrincipalFrom(ctx)
		if p == nil {
			return nil, errs.E(errs.Unauthorized, "Please log in to continue.")
		}
		var n int
		if err := s.d.DB.QueryRow(ctx, `SELECT COUNT(*) FROM group_members m JOIN people p ON p.id = m.person_id
			WHERE p.user_id = ? AND m.status = 'active' AND m.role IN ('organiser', 'moderator')`, p.UserID).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, errs.E(errs.Forbidden, "The moderation queue is for groups' organisers and moderators, and admins.")
		}
		where, args = `t.group_id IN (SELECT m.group_id FROM group_members m JOIN people p ON p.id = m.person_id
			WHERE p.user_id = ? AND m.status = 'active' AND m.role IN ('organiser', 'moderator'))`, []any{p.UserID}
	}
	rows, err := s.d.DB.Query(ctx, `SELECT c.id, c.thread_id, COALESCE(c.parent_id, ''), COALESCE(c.author_id, ''),
		COALESCE(u.name, ''), c.body, c.hidden, c.hidden_reason, c.edited, c.created_at, c.updated_at,
		t.title, COALESCE(t.group_id, ''), COALESCE(g.name, ''), MIN(fl.created_at)
		FROM talk_flags fl JOIN talk_comments c ON c.id = fl.comment_id JOIN talk_threads t ON t.id = c.thread_id
		LEFT JOIN users u ON u.id = c.author_id LEFT JOIN groups g ON g.id = t.group_id
		WHERE fl.resolved_at IS NULL AND `+where+`
		GROUP BY c.id, c.thread_id, c.parent_id, c.author_id, u.name, c.body, c.hidden, c.hidden_reason, c.edited,
			c.created_at, c.updated_at, t.title, t.group_id, g.name
		ORDER BY MIN(fl.created_at), c.id LIMIT 200`, args...)
	if err != nil {
		return nil, err
	}
	var items []QueueItem
	var ids []any
	for rows.Next() {
		var it QueueItem
		var first any
		c := &it.Comment
		if err := rows.Scan(&c.ID, &c.ThreadID, &c.ParentID, &c.AuthorUserID, &c.AuthorName, &c.Body, &c.Hidden,
			&c.HiddenReason, &c.Edited, &c.CreatedAt, &c.UpdatedAt, &it.ThreadTitle, &it.GroupID, &it.GroupName, &first); err != nil {
			rows.Close()
			return nil, err
		}
		c.AuthorName = authorName(c.AuthorName)
		if c.ParentID != "" {
			c.Depth = 1
		}
		it.ThreadID = c.ThreadID
		items = append(items, it)
		ids = append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(items) == 0 {
		return items, err
	}
	frows, err := s.d.DB.Query(ctx, `SELECT fl.id, fl.comment_id, COALESCE(u.name, ''), fl.reason, fl.created_at
		FROM talk_flags fl LEFT JOIN users u ON u.id = fl.user_id
		WHERE fl.resolved_at IS NULL AND fl.comment_id IN (`+placeholders(len(ids))+`) ORDER BY fl.created_at, fl.id`, ids...)
	if err != nil {
		return nil, err
	}
	defer frows.Close()
	at := map[string]int{}
	for i, it := range items {
		at[it.Comment.ID] = i
	}
	for frows.Next() {
		var f Flag
		if err := frows.Scan(&f.ID, &f.CommentID, &f.ByName, &f.Reason, &f.CreatedAt); err != nil {
			return nil, err
		}
		f.ByName = authorName(f.ByName)
		items[at[f.CommentID]].Flags = append(items[at[f.CommentID]].Flags, f)
	}
	return items, frows.Err()
}

// DefaultCodeOfConduct is the code of conduct until an admin writes one.
const DefaultCodeOfConduct = `# Code of conduct

We are here to organise together. In every discussion:

- **Be respectful.** Disagree with ideas, not people. No harassment, insults or discrimination.
- **Stay on topic** and keep the group's discussions about the group's work.
- **Protect people's privacy.** Do not share anyone's personal details without their consent.
- **Assume good faith**, and ask before you accuse.

Moderators may hide comments that break this code (saying why), lock threads, and mute a person for a time.
If you see something wrong, use "Report" on the comment.`

// CodeOfConduct returns the network's code of conduct (Markdown) and when
// it last changed; a default text until an admin writes one. Public.
func (s *Service) CodeOfConduct(ctx context.Context) (string, time.Time, error) {
	var body string
	var at time.Time
	err := s.d.DB.QueryRow(ctx, `SELECT code_of_conduct, updated_at FROM talk_settings WHERE id = 1`).Scan(&body, &at)
	if db.IsNotFound(err) {
		return DefaultCodeOfConduct, time.Time{}, nil
	}
	return body, at, err
}

// MaxCodeOfConduct bounds the code of conduct, in characters.
const MaxCodeOfConduct = 50000

// SetCodeOfConduct replaces the code of conduct (admins), keeping the
// old text in the audit log.
//
// Errors: errs.Invalid naming body, errs.Forbidden, errs.Unauthorized.
func (s *Service) SetCodeOfConduct(ctx context.Context, body string) error {
	if err := s.can(ctx, ActConduct, ""); err != nil {
		return err
	}
	body = strings.TrimSpace(body)
	fields := map[string]string{}
	checkText(fields, "body", "the code of conduct", body, 1, MaxCodeOfConduct)
	if err := fieldErr(fields); err != nil {
		return err
	}
	old, _, err := s.CodeOfConduct(ctx)
	if err != nil {
		return err
	}
	now := s.clock()
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO talk_settings (id, code_of_conduct, updated_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET code_of_conduct = excluded.code_of_conduct, updated_at = excluded.updated_at`,
			body, now); err != nil {
			return err
		}
		return audited(ctx, tx, "talk.code_of_conduct", "settings", "code_of_conduct", map[string]any{"previous": old})
	})
}
