package talk

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// formerMember names the author of a comment whose account was erased
// (people.Erase blanks the account's name): their words stay, their name
// does not.
const formerMember = "a former member"

func authorName(name string) string {
	if strings.TrimSpace(name) == "" {
		return formerMember
	}
	return name
}

// threadSelect reads a thread with its group and, for the viewer (the
// first two arguments, "" for the anonymous), following and unread.
const threadSelect = `SELECT t.id, COALESCE(t.group_id, ''), COALESCE(g.name, ''), COALESCE(g.status, ''),
	t.subject_kind, t.subject_id, t.subject_url, t.title, t.body, t.visibility, COALESCE(t.author_id, ''), COALESCE(u.name, ''),
	t.pinned, t.locked, t.lock_reason, t.comment_count, t.last_post_at, t.created_at, t.updated_at,
	CASE WHEN f.user_id IS NULL THEN 0 ELSE 1 END, r.last_read_at,
	(SELECT COUNT(*) FROM talk_comments c WHERE c.thread_id = t.id AND (r.last_read_at IS NULL OR c.created_at > r.last_read_at)
		AND (c.author_id IS NULL OR c.author_id <> ?))
	FROM talk_threads t
	LEFT JOIN groups g ON g.id = t.group_id
	LEFT JOIN users u ON u.id = t.author_id
	LEFT JOIN talk_follows f ON f.thread_id = t.id AND f.user_id = ?
	LEFT JOIN talk_reads r ON r.thread_id = t.id AND r.user_id = ?`

func scanThread(sc interface{ Scan(...any) error }, uid string) (*Thread, error) {
	var t Thread
	var status string
	var following int
	var read sql.NullTime
	if err := sc.Scan(&t.ID, &t.GroupID, &t.GroupName, &status, &t.SubjectKind, &t.SubjectID, &t.SubjectURL, &t.Title,
		&t.Body, &t.Visibility, &t.AuthorUserID, &t.AuthorName, &t.Pinned, &t.Locked, &t.LockReason, &t.CommentCount,
		&t.LastPostAt, &t.CreatedAt, &t.UpdatedAt, &following, &read, &t.Unread); err != nil {
		return nil, err
	}
	t.Archived = status == "archived"
	t.AuthorName = authorName(t.AuthorName)
	if uid == "" {
		t.Unread = 0
	} else {
		t.Following = following == 1
		t.New = !read.Valid
	}
	return &t, nil
}

func getThread(ctx context.Context, q db.Querier, id, uid string) (*Thread, error) {
	t, err := scanThread(q.QueryRow(ctx, threadSelect+` WHERE t.id = ?`, uid, uid, uid, id), uid)
	if db.IsNotFound(err) {
		return nil, notFound("thread")
	}
	if err != nil {
		return nil, fmt.Errorf("thread %s: %w", id, err)
	}
	return t, nil
}

// threadIDBySubject is the id of the thread attached to a subject, or "".
func threadIDBySubject(ctx context.Context, q db.Querier, kind, id string) (string, error) {
	var tid string
	err := q.QueryRow(ctx, `SELECT id FROM talk_threads WHERE subject_kind = ? AND subject_id = ?`, kind, id).Scan(&tid)
	if db.IsNotFound(err) {
		return "", nil
	}
	return tid, err
}

// listQuery is a page of threads: where is the filter, args its values.
func listThreads(ctx context.Context, q db.Querier, uid, where string, args []any, limit, offset int) ([]Thread, error) {
	all := append([]any{uid, uid, uid}, args...)
	all = append(all, limit, offset)
	rows, err := q.Query(ctx, threadSelect+` WHERE `+where+` ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT ? OFFSET ?`, all...)
	if err != nil {
		return nil, fmt.Errorf("list threads: %w", err)
	}
	defer rows.Close()
	var out []Thread
	for rows.Next() {
		t, err := scanThread(rows, uid)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

func insertThread(ctx context.Context, tx *db.Tx, t *Thread) error {
	_, err := tx.Exec(ctx, `INSERT INTO talk_threads (id, group_id, subject_kind, subject_id, subject_url, title, body, visibility,
		author_id, last_post_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, nullable(t.GroupID), t.SubjectKind, t.SubjectID, t.SubjectURL, t.Title, t.Body, t.Visibility,
		nullable(t.AuthorUserID), t.LastPostAt, t.CreatedAt, t.UpdatedAt)
	return err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const commentSelect = `SELECT c.id, c.thread_id, COALESCE(c.parent_id, ''), COALESCE(c.author_id, ''), COALESCE(u.name, ''), c.body,
	c.hidden, c.hidden_reason, c.edited, c.created_at, c.updated_at
	FROM talk_comments c LEFT JOIN users u ON u.id = c.author_id`

func scanComment(sc interface{ Scan(...any) error }) (*Comment, error) {
	var c Comment
	if err := sc.Scan(&c.ID, &c.ThreadID, &c.ParentID, &c.AuthorUserID, &c.AuthorName, &c.Body, &c.Hidden, &c.HiddenReason,
		&c.Edited, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	c.AuthorName = authorName(c.AuthorName)
	if c.ParentID != "" {
		c.Depth = 1
	}
	return &c, nil
}

func getComment(ctx context.Context, q db.Querier, id string) (*Comment, error) {
	c, err := scanComment(q.QueryRow(ctx, commentSelect+` WHERE c.id = ?`, id))
	if db.IsNotFound(err) {
		return nil, notFound("comment")
	}
	if err != nil {
		return nil, fmt.Errorf("comment %s: %w", id, err)
	}
	return c, nil
}

func queryComments(ctx context.Context, q db.Querier, where string, args ...any) ([]Comment, error) {
	rows, err := q.Query(ctx, commentSelect+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// threadComments are a thread's comments, oldest first, each reply after
// its parent.
func threadComments(ctx context.Context, q db.Querier, threadID string) ([]Comment, error) {
	cs, err := queryComments(ctx, q, `c.thread_id = ? ORDER BY c.created_at, c.id`, threadID)
	if err != nil {
		return nil, err
	}
	replies := map[string][]Comment{}
	var top []Comment
	for _, c := range cs {
		if c.ParentID == "" {
			top = append(top, c)
		} else {
			replies[c.ParentID] = append(replies[c.ParentID], c)
		}
	}
	out := make([]Comment, 0, len(cs))
	for _, c := range top {
		out = append(out, c)
		out = append(out, replies[c.ID]...)
	}
	return out, nil
}

// reactions fills in the reactions of cs (one query), in the order of
// Reactions.
func reactions(ctx context.Context, q db.Querier, threadID, uid string, cs []Comment) error {
	rows, err := q.Query(ctx, `SELECT r.comment_id, r.emoji, COUNT(*), SUM(CASE WHEN r.user_id = ? THEN 1 ELSE 0 END)
		FROM talk_reactions r JOIN talk_comments c ON c.id = r.comment_id WHERE c.thread_id = ? GROUP BY r.comment_id, r.emoji`,
		uid, threadID)
	if err != nil {
		return fmt.Errorf("reactions: %w", err)
	}
	defer rows.Close()
	got := map[string]map[string]Reaction{}
	for rows.Next() {
		var cid string
		var r Reaction
		var mine int
		if err := rows.Scan(&cid, &r.Emoji, &r.Count, &mine); err != nil {
			return err
		}
		r.Mine = mine > 0
		if got[cid] == nil {
			got[cid] = map[string]Reaction{}
		}
		got[cid][r.Emoji] = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range cs {
		for _, e := range Reactions {
			if r, ok := got[cs[i].ID][e]; ok {
				cs[i].Reactions = append(cs[i].Reactions, r)
			}
		}
	}
	return nil
}

func lastRead(ctx context.Context, q db.Querier, uid, threadID string) (time.Time, bool, error) {
	var at time.Time
	err := q.QueryRow(ctx, `SELECT last_read_at FROM talk_reads WHERE user_id = ? AND thread_id = ?`, uid, threadID).Scan(&at)
	if db.IsNotFound(err) {
		return time.Time{}, false, nil
	}
	return at, err == nil, err
}

func mutedUntil(ctx context.Context, q db.Querier, groupID, uid string, now time.Time) (time.Time, error) {
	var until time.Time
	err := q.QueryRow(ctx, `SELECT muted_until FROM talk_mutes WHERE group_id = ? AND user_id = ? AND muted_until > ?`,
		groupID, uid, now).Scan(&until)
	if db.IsNotFound(err) {
		return time.Time{}, nil
	}
	return until, err
}

func follow(ctx context.Context, tx *db.Tx, threadID, uid string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO talk_follows (thread_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		threadID, uid, now)
	return err
}

func markRead(ctx context.Context, q db.Querier, uid, threadID string, now time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO talk_reads (user_id, thread_id, last_read_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_at = excluded.last_read_at`, uid, threadID, now)
	return err
}

// placeholders is "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
