package talk

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// The search index holds every thread and every comment not hidden, each
// with its thread's visibility and group, written in the transaction that
// writes the record.

func threadDoc(t *Thread) search.Doc {
	return search.Doc{Kind: search.KindThread, ID: t.ID, GroupID: t.GroupID, Visibility: search.Visibility(t.Visibility),
		Title: t.Title, Body: t.Body, Context: t.GroupName, URL: "/talk/t/" + t.ID, At: t.CreatedAt}
}

func commentDoc(t *Thread, c *Comment) search.Doc {
	return search.Doc{Kind: search.KindComment, ID: c.ID, GroupID: t.GroupID, Visibility: search.Visibility(t.Visibility),
		Body: c.Body, Context: t.Title, URL: "/talk/t/" + t.ID + "#c-" + c.ID, At: c.CreatedAt}
}

func (s *Service) putThread(ctx context.Context, tx *db.Tx, t *Thread) error {
	return s.indexed(search.Put(ctx, tx, threadDoc(t)))
}

func (s *Service) putComment(ctx context.Context, tx *db.Tx, t *Thread, c *Comment) error {
	return s.indexed(search.Put(ctx, tx, commentDoc(t, c)))
}

func (s *Service) unindexComment(ctx context.Context, tx *db.Tx, id string) error {
	return s.indexed(search.Delete(ctx, tx, search.KindComment, id))
}

// indexed names an index failure (the write then rolls back).
func (s *Service) indexed(err error) error {
	if err != nil {
		return fmt.Errorf("talk: search index: %w", err)
	}
	return nil
}

var _ search.Source = (*Service)(nil)

// SearchDocs emits a Doc for every thread and every comment not hidden,
// for rebuilding the index (search.Source).
func (s *Service) SearchDocs(ctx context.Context, q db.Querier, emit func(search.Doc) error) error {
	ts, err := listThreads(ctx, q, "", "1 = 1", nil, 1<<30, 0)
	if err != nil {
		return err
	}
	byID := make(map[string]*Thread, len(ts))
	for i := range ts {
		byID[ts[i].ID] = &ts[i]
		if err := emit(threadDoc(&ts[i])); err != nil {
			return err
		}
	}
	rows, err := q.Query(ctx, `SELECT id, thread_id, body, created_at FROM talk_comments WHERE hidden = ? ORDER BY id`, false)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.ID, &c.ThreadID, &c.Body, &c.CreatedAt); err != nil {
			return err
		}
		if t := byID[c.ThreadID]; t != nil {
			if err := emit(commentDoc(t, &c)); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}
