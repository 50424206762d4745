package talk

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

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
