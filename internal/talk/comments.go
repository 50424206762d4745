package talk

import (
	"context"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func checkComment(body string) error {
	fields := map[string]string{}
	checkText(fields, "body", "your comment", body, 1, MaxComment)
	return fieldErr(fields)
}

// Comment adds a comment or reply to a thread: its audience may, unless
// the thread is locked, the group archived or the author muted. @mentions
// of people who may read the thread notify them (notice kind
// "talk.mention"); followers get "talk.reply". The author follows.
//
// Errors: errs.Invalid naming body or parent_id, errs.NotFound,
// errs.Forbidden (not its audience, muted), errs.Unauthorized,
// errs.Conflict (locked, archived).
func (s *Service) Comment(ctx context.Context, threadID string, in CommentInput) (*Comment, error) {
	t, err := s.readable(ctx, threadID)
	if err != nil {
		return nil, err
	}
	if err := s.canPost(ctx, t); err != nil {
		return nil, err
	}
	uid := viewer(ctx)
	if uid == "" {
		return nil, errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	in.Body = strings.TrimSpace(in.Body)
	if err := checkComment(in.Body); err != nil {
		return nil, err
	}
	c := &Comment{ID: db.NewID(), ThreadID: t.ID, AuthorUserID: uid, Body: in.Body, Mine: true}
	if in.ParentID != "" {
		parent, err := getComment(ctx, s.d.DB.Q(), in.ParentID)
		if err != nil || parent.ThreadID != t.ID || len(in.ParentID) > 64 {
			return nil, errs.Fields(map[string]string{"parent_id": "There is no such comment in this thread to reply to."})
		}
		// Replies go one level deep: a reply to a reply joins its parent's.
		c.ParentID = parent.ID
		if parent.ParentID != "" {
			c.ParentID = parent.ParentID
		}
		c.Depth = 1
	}
	mentioned, err := s.mentions(ctx, t, uid, c.Body)
	if err != nil {
		return nil, err
	}
	followers, err := s.followers(ctx, t, uid, mentioned)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	c.CreatedAt, c.UpdatedAt = now, now
	err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO talk_comments (id, thread_id, parent_id, author_id, body, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, t.ID, nullable(c.ParentID), uid, c.Body, now, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE talk_threads SET comment_count = comment_count + 1, last_post_at = ?, updated_at = ?
			WHERE id = ?`, now, now, t.ID); err != nil {
			return err
		}
		if err := follow(ctx, tx, t.ID, uid, now); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, t.GroupID); err != nil {
			return err
		}
		if err := s.putComment(ctx, tx, t, c); err != nil {
			return err
		}
		return s.notify(ctx, tx, t, c, mentioned, followers)
	})
	if err != nil {
		return nil, err
	}
	c.AuthorName = authorName(s.userName(ctx, uid))
	return c, nil
}

// commentIn loads a comment and its thread, which the viewer must be able
// to read.
func (s *Service) commentIn(ctx context.Context, commentID string) (*Comment, *Thread, error) {
	if commentID == "" || len(commentID) > 64 {
		return nil, nil, notFound("comment")
	}
	c, err := getComment(ctx, s.d.DB.Q(), commentID)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.readable(ctx, c.ThreadID)
	if err != nil {
		return nil, nil, err
	}
	return c, t, nil
}

// Edit changes one's own comment (moderators: any), keeping the old text
// as a Revision. A hidden comment only a moderator can edit; people first
// mentioned in the new text are notified.
//
// Errors: errs.Invalid naming body, errs.NotFound, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (locked, archived).
func (s *Service) Edit(ctx context.Context, commentID, body string) (*Comment, error) {
	c, t, err := s.commentIn(ctx, commentID)
	if err != nil {
		return nil, err
	}
	uid := viewer(ctx)
	mod := s.moderates(ctx, t.GroupID)
	if err := writable(t); err != nil {
		return nil, err
	}
	if !mod {
		if uid == "" || c.AuthorUserID != uid {
			return nil, errs.E(errs.Forbidden, "You can edit only your own comments.")
		}
		if c.Hidden {
			return nil, errs.E(errs.Forbidden, "A moderator has hidden this comment; it can no longer be edited.")
		}
		if err := s.canPost(ctx, t); err != nil {
			return nil, err
		}
	}
	body = strings.TrimSpace(body)
	if err := checkComment(body); err != nil {
		return nil, err
	}
	if body == c.Body {
		return c, nil
	}
	mentioned, err := s.mentions(ctx, t, c.AuthorUserID, body)
	if err != nil {
		return nil, err
	}
	old := c.Body
	now := s.clock()
	c.Body, c.Edited, c.UpdatedAt = body, true, now
	err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO talk_revisions (id, comment_id, body, edited_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			db.NewID(), c.ID, old, nullable(uid), now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE talk_comments SET body = ?, edited = ?, updated_at = ? WHERE id = ?`,
			body, true, now, c.ID); err != nil {
			return err
		}
		if !c.Hidden {
			if err := s.putComment(ctx, tx, t, c); err != nil {
				return err
			}
		}
		if c.AuthorUserID != uid {
			if err := audited(ctx, tx, "talk.edit", "comment", c.ID, map[string]any{"thread_id": t.ID}); err != nil {
				return err
			}
		}
		// Only those the comment did not mention before hear of it.
		fresh, err := notYetMentioned(ctx, tx, c.ID, mentioned)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, t, c, fresh, nil)
	})
	if err != nil {
		return nil, err
	}
	c.Mine = uid != "" && c.AuthorUserID == uid
	return c, nil
}

func notYetMentioned(ctx context.Context, tx *db.Tx, commentID string, ps []recipient) ([]recipient, error) {
	var out []recipient
	for _, p := range ps {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM talk_mentions WHERE comment_id = ? AND user_id = ?`,
			commentID, p.UserID).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

// History lists a comment's earlier texts, newest first. A hidden
// comment's history is for moderators only.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) History(ctx context.Context, commentID string) ([]Revision, error) {
	c, t, err := s.commentIn(ctx, commentID)
	if err != nil {
		return nil, err
	}
	if c.Hidden && !s.moderates(ctx, t.GroupID) {
		return nil, errs.E(errs.Forbidden, "A moderator has hidden this comment.")
	}
	rows, err := s.d.DB.Query(ctx, `SELECT r.body, COALESCE(u.name, ''), r.created_at FROM talk_revisions r
		LEFT JOIN users u ON u.id = r.edited_by WHERE r.comment_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT 500`, c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		if err := rows.Scan(&r.Body, &r.EditedBy, &r.At); err != nil {
			return nil, err
		}
		r.EditedBy = authorName(r.EditedBy)
		out = append(out, r)
	}
	return out, rows.Err()
}

// React adds (on) or takes back the viewer's reaction, one of Reactions:
// the thread's audience may, in a locked thread too, never in an archived
// group.
//
// Errors: errs.Invalid naming emoji, errs.NotFound, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (archived).
func (s *Service) React(ctx context.Context, commentID, emoji string, on bool) error {
	if !slices.Contains(Reactions, emoji) {
		return errs.Fields(map[string]string{"emoji": "Choose one of the reactions offered."})
	}
	c, t, err := s.commentIn(ctx, commentID)
	if err != nil {
		return err
	}
	uid := viewer(ctx)
	if uid == "" {
		return errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	if err := writable(t); err != nil {
		return err
	}
	if err := s.can(ctx, audience(t.GroupID), t.GroupID); err != nil {
		return err
	}
	if on {
		_, err = s.d.DB.Exec(ctx, `INSERT INTO talk_reactions (comment_id, user_id, emoji, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, c.ID, uid, emoji, s.clock())
	} else {
		_, err = s.d.DB.Exec(ctx, `DELETE FROM talk_reactions WHERE comment_id = ? AND user_id = ? AND emoji = ?`, c.ID, uid, emoji)
	}
	return err
}
