package talk

import (
	"context"
	"slices"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Threads lists threads the viewer may read, pinned first, then by latest
// post: a group's, the network's, or those the viewer follows.
//
// Errors: errs.Invalid (no list asked for), errs.Unauthorized (Following
// for the anonymous).
func (s *Service) Threads(ctx context.Context, f ThreadFilter) ([]Thread, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	f.Offset = max(f.Offset, 0)
	uid := viewer(ctx)
	var where string
	var args []any
	switch {
	case f.Following:
		if uid == "" {
			return nil, errs.E(errs.Unauthorized, "Please log in to continue.")
		}
		where, args = `t.id IN (SELECT thread_id FROM talk_follows WHERE user_id = ?)`, []any{uid}
	case f.GroupID != "":
		vis := s.visibleIn(ctx, f.GroupID)
		where, args = `t.group_id = ? AND t.visibility IN (`+placeholders(len(vis))+`)`, append([]any{f.GroupID}, vis...)
	case f.Network:
		vis := s.visibleIn(ctx, "")
		where, args = `t.group_id IS NULL AND t.visibility IN (`+placeholders(len(vis))+`)`, vis
	default:
		return nil, errs.Fields(map[string]string{"group": "Choose a group, the network or the threads you follow."})
	}
	ts, err := listThreads(ctx, s.d.DB.Q(), uid, where, args, f.Limit, f.Offset)
	if err != nil {
		return nil, err
	}
	// Followed threads may have gone out of reach (one left the group);
	// attached ones follow their subject (a decision back in draft).
	out := ts[:0]
	for _, t := range ts {
		if f.Following || t.SubjectKind != "" {
			if err := s.canRead(ctx, &t); err != nil {
				if errs.CodeOf(err) == errs.Internal {
					return nil, err
				}
				continue
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// visibleIn is the visibilities of a group's (or the network's) threads
// the viewer may read.
func (s *Service) visibleIn(ctx context.Context, groupID string) []any {
	vis := []any{Public}
	if groupID != "" && s.can(ctx, ActGroup, groupID) == nil {
		return []any{Public, Members, Group}
	}
	if s.can(ctx, ActNetwork, "") == nil {
		vis = append(vis, Members)
	}
	return vis
}

// Thread returns a thread and its comments (oldest first, replies after
// their parent), as the viewer may see them. It does not mark them read.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Thread(ctx context.Context, id string) (*Thread, []Comment, error) {
	t, err := s.readable(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	cs, err := s.comments(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	return t, cs, nil
}

// comments are t's comments as the viewer sees them.
func (s *Service) comments(ctx context.Context, t *Thread) ([]Comment, error) {
	q := s.d.DB.Q()
	cs, err := threadComments(ctx, q, t.ID)
	if err != nil {
		return nil, err
	}
	uid := viewer(ctx)
	if err := reactions(ctx, q, t.ID, uid, cs); err != nil {
		return nil, err
	}
	mod := s.moderates(ctx, t.GroupID)
	read, seen, err := lastRead(ctx, q, uid, t.ID)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		c := &cs[i]
		c.Mine = uid != "" && c.AuthorUserID == uid
		if c.Hidden && !mod {
			c.Body = ""
		}
		c.Unread = uid != "" && !c.Mine && (!seen || c.CreatedAt.After(read))
	}
	return cs, nil
}

// StartThread starts a free-standing thread in a group (its members) or
// the network (its members); the author follows it.
//
// Errors: errs.Invalid naming group_id, title, body or visibility;
// errs.Forbidden, errs.Unauthorized, errs.Conflict (archived group).
func (s *Service) StartThread(ctx context.Context, in ThreadInput) (*Thread, error) {
	in.Title, in.Body = strings.TrimSpace(in.Title), strings.TrimSpace(in.Body)
	fields := map[string]string{}
	checkText(fields, "title", "a title", in.Title, 1, MaxTitle)
	checkText(fields, "body", "the opening post", in.Body, 1, MaxBody)
	switch {
	case in.Visibility == "" && in.GroupID != "":
		in.Visibility = Group
	case in.Visibility == "":
		in.Visibility = Members
	case !slices.Contains([]string{Public, Members, Group}, in.Visibility):
		fields["visibility"] = "Choose who can read it."
	case in.Visibility == Group && in.GroupID == "":
		fields["visibility"] = "A network thread is for the public or the network's members."
	}
	if len(in.GroupID) > 64 {
		fields["group_id"] = "There is no such group."
	}
	if err := fieldErr(fields); err != nil {
		return nil, err
	}
	t := &Thread{ID: db.NewID(), GroupID: in.GroupID, Title: in.Title, Body: in.Body, Visibility: in.Visibility,
		AuthorUserID: viewer(ctx)}
	if in.GroupID != "" {
		var name, status string
		err := s.d.DB.QueryRow(ctx, `SELECT name, status FROM groups WHERE id = ?`, in.GroupID).Scan(&name, &status)
		if db.IsNotFound(err) {
			return nil, errs.Fields(map[string]string{"group_id": "There is no such group."})
		} else if err != nil {
			return nil, err
		}
		t.GroupName, t.Archived = name, status == "archived"
	}
	if err := s.canPost(ctx, t); err != nil {
		return nil, err
	}
	told, err := s.mentions(ctx, t, t.AuthorUserID, t.Body)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	t.LastPostAt, t.CreatedAt, t.UpdatedAt = now, now, now
	err = s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := insertThread(ctx, tx, t); err != nil {
			return err
		}
		if t.AuthorUserID != "" {
			if err := follow(ctx, tx, t.ID, t.AuthorUserID, now); err != nil {
				return err
			}
		}
		if err := s.touch(ctx, tx, t.GroupID); err != nil {
			return err
		}
		if err := s.putThread(ctx, tx, t); err != nil {
			return err
		}
		return s.notify(ctx, tx, t, nil, told, nil)
	})
	if err != nil {
		return nil, err
	}
	t.Following = t.AuthorUserID != ""
	t.AuthorName = authorName(s.userName(ctx, t.AuthorUserID))
	return t, nil
}

func (s *Service) userName(ctx context.Context, uid string) string {
	var name string
	if uid != "" {
		_ = s.d.DB.QueryRow(ctx, `SELECT name FROM users WHERE id = ?`, uid).Scan(&name)
	}
	return name
}

// Follow starts or stops the viewer following a thread they may read.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived group).
func (s *Service) Follow(ctx context.Context, threadID string, on bool) error {
	uid := viewer(ctx)
	if uid == "" {
		return errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	t, err := s.readable(ctx, threadID)
	if err != nil {
		return err
	}
	if err := writable(t); err != nil && on {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if on {
			return follow(ctx, tx, t.ID, uid, s.clock())
		}
		_, err := tx.Exec(ctx, `DELETE FROM talk_follows WHERE thread_id = ? AND user_id = ?`, t.ID, uid)
		return err
	})
}

// MarkRead records that the viewer has read a thread up to now. It is the
// viewer's own marker, so it works in an archived group's threads too; for
// the anonymous it does nothing.
//
// Errors: errs.NotFound, errs.Forbidden.
func (s *Service) MarkRead(ctx context.Context, threadID string) error {
	uid := viewer(ctx)
	if uid == "" {
		return nil
	}
	t, err := s.readable(ctx, threadID)
	if err != nil {
		return err
	}
	return markRead(ctx, s.d.DB.Q(), uid, t.ID, s.clock())
}

// Mentionable lists the @handles the viewer might mention in a thread:
// the people taking part in it and, in a group's thread, the group's
// members (at most 200), sorted.
//
// Errors: those of Thread.
func (s *Service) Mentionable(ctx context.Context, threadID string) ([]string, error) {
	t, err := s.readable(ctx, threadID)
	if err != nil {
		return nil, err
	}
	rows, err := s.d.DB.Query(ctx, `SELECT u.name FROM users u WHERE u.id IN (
			SELECT author_id FROM talk_comments WHERE thread_id = ? UNION SELECT author_id FROM talk_threads WHERE id = ?
			UNION SELECT p.user_id FROM group_members m JOIN people p ON p.id = m.person_id
				WHERE m.group_id = ? AND m.status = 'active' AND p.user_id IS NOT NULL)
		AND u.disabled_at IS NULL AND u.name <> '' LIMIT 200`, t.ID, t.ID, t.GroupID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if h := Handle(name); h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out, rows.Err()
}

// audited records a moderator's act on a thread.
func audited(ctx context.Context, tx *db.Tx, action, targetType, id string, details map[string]any) error {
	return audit.Record(ctx, tx, action, targetType, id, details)
}

// principalOf is a user as the policy sees them, to ask what they may read.
func principalOf(uid string, role auth.Role) *auth.Principal {
	return &auth.Principal{UserID: uid, Role: role, Verified: true, Label: "talk:" + uid}
}
