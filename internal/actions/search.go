package actions

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// issue 14: open actions are public and findable; drafts and closed ones
// are not in the index.

// searchDoc is an action as the search index holds it.
func searchDoc(a *Action) search.Doc {
	ctx := "Petition"
	if a.Kind == KindForm {
		ctx = "Form"
	}
	if a.Target != "" {
		ctx += " to " + a.Target
	}
	return search.Doc{Kind: search.KindAction, ID: a.ID, GroupID: a.GroupID, Visibility: search.Public,
		Title: a.Title, Body: a.Text, Context: ctx, URL: "/act/" + a.Slug, At: a.CreatedAt}
}

// index writes a's state to the search index in tx.
func (s *Service) index(ctx context.Context, tx *db.Tx, a *Action) error {
	if a.Status == StatusOpen {
		return search.Put(ctx, tx, searchDoc(a))
	}
	return search.Delete(ctx, tx, search.KindAction, a.ID)
}

// SearchDocs emits every open action for the search index (search.Source).
func (s *Service) SearchDocs(ctx context.Context, q db.Querier, emit func(search.Doc) error) error {
	rows, err := q.Query(ctx, `SELECT `+actionCols+` FROM actions a WHERE a.status = 'open' ORDER BY a.id`)
	if err != nil {
		return fmt.Errorf("actions for search: %w", err)
	}
	var all []*Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("actions for search: %w", err)
		}
		all = append(all, a)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Emitted after the rows are closed: emit may write on the same
	// connection (SQLite has one writer).
	for _, a := range all {
		if err := emit(searchDoc(a)); err != nil {
			return err
		}
	}
	return nil
}

var _ search.Source = (*Service)(nil)
