package talk

import (
	"context"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// EditThread changes a thread's title and opening post: its author may, as
// may the group's moderators (admins the network's threads). The earlier
// title and text are kept (ThreadHistory) and the search index is updated
// in the same transaction. Nobody edits a thread of an archived group; the
// author cannot while the thread is locked or while muted. An attached
// thread has no opening post of its own to edit.
//
// Errors: errs.Invalid naming title or body, errs.NotFound,
// errs.Forbidden, errs.Unauthorized, errs.Conflict (locked, archived).
func (s *Service) EditThread(ctx context.Context, threadID, title, body string) (*Thread, error) {
	uid := viewer(ctx)
	if uid == "" {
		return nil, errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	t, err := s.readable(ctx, threadID)
	if err != nil {
		return nil, err
	}
	if err := writable(t); err != nil {
		return nil, err
	}
	if t.SubjectKind != "" {
		return nil, errs.E(errs.Conflict, "This discussion is about its subject: it has no opening post to edit.")
	}
	mod := s.moderates(ctx, t.GroupID)
	if !mod {
		if t.AuthorUserID == "" || t.AuthorUserID != uid {
			return nil, errs.E(errs.Forbidden, "Only the person who started this discussion, or a moderator, can edit it.")
		}
		if err := s.canPost(ctx, t); err != nil {
			return nil, err
		}
	}
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	fields := map[string]string{}
	checkText(fields, "title", "a title", title, 1, MaxTitle)
	checkText(fields, "body", "the opening post", body, 1, MaxBody)
	if err := fieldErr(fields); err != nil {
		return nil, err
	}
	if title == t.Title && body == t.Body {
		return t, nil
	}
	told, err := s.mentions(ctx, t, t.AuthorUserID, body)
	if err != nil {
		return nil, err
	}
	// Only those the earlier text did not mention hear of it.
	before, err := s.mentions(ctx, t, t.AuthorUserID, t.Body)
	if err != nil {
		return nil, err
	}
	told = without(told, before)
	oldTitle, oldBody := t.Title, t.Body
	now := s.clock()
	t.Title, t.Body, t.UpdatedAt = title, body, now
	err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO talk_thread_revisions (id, thread_id, title, body, edited_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			db.NewID(), t.ID, oldTitle, oldBody, nullable(uid), now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE talk_threads SET title = ?, body = ?, updated_at = ? WHERE id = ?`,
			title, body, now, t.ID); err != nil {
			return err
		}
		if err := s.putThread(ctx, tx, t); err != nil {
			return err
		}
		if t.AuthorUserID != uid {
			if err := audited(ctx, tx, "talk.edit_thread", "thread", t.ID, nil); err != nil {
				return err
			}
		}
		return s.notify(ctx, tx, t, nil, told, nil)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// without is ps less those in qs (by account).
func without(ps, qs []recipient) []recipient {
	var out []recipient
	for _, p := range ps {
		seen := false
		for _, q := range qs {
			if q.UserID == p.UserID {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, p)
		}
	}
	return out
}

// ThreadHistory lists a thread's earlier titles and opening posts, newest
// first: whoever may read the thread may read them.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) ThreadHistory(ctx context.Context, threadID string) ([]Revision, error) {
	t, err := s.readable(ctx, threadID)
	if err != nil {
		return nil, err
	}
	rows, err := s.d.DB.Query(ctx, `SELECT r.title, r.body, COALESCE(u.name, ''), r.created_at FROM talk_thread_revisions r
		LEFT JOIN users u ON u.id = r.edited_by WHERE r.thread_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT 500`, t.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		if err := rows.Scan(&r.Title, &r.Body, &r.EditedBy, &r.At); err != nil {
			return nil, err
		}
		r.EditedBy = authorName(r.EditedBy)
		out = append(out, r)
	}
	return out, rows.Err()
}
