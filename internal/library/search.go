package library

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// searchDoc is a document as the search index keeps it.
func searchDoc(d *Document, context string) search.Doc {
	return search.Doc{Kind: search.KindDocument, ID: d.ID, GroupID: d.GroupID, Visibility: search.Visibility(d.Visibility),
		Title: d.Title, Body: d.Body, Context: context, URL: "/library/d/" + d.ID, At: d.UpdatedAt}
}

// folderContext names where a document is, for a search hit: "Hackney ›
// Guides" or "Library › Guides".
func folderContext(ctx context.Context, q db.Querier, folderID string) (string, error) {
	f, err := findFolder(ctx, q, folderID)
	if err != nil {
		return "", err
	}
	where := "Library"
	if f.GroupName != "" {
		where = f.GroupName
	}
	return where + " › " + f.Name, nil
}

// SearchDocs emits every document, for rebuilding the search index
// (search.Source).
func (s *Service) SearchDocs(ctx context.Context, q db.Querier, emit func(search.Doc) error) error {
	rows, err := q.Query(ctx, `SELECT `+docCols+`, f.name, COALESCE(g.name, '') FROM library_documents d
		JOIN library_folders f ON f.id = d.folder_id LEFT JOIN groups g ON g.id = d.group_id ORDER BY d.id`)
	if err != nil {
		return fmt.Errorf("library search docs: %w", err)
	}
	type item struct {
		d     *Document
		where string
	}
	var items []item
	for rows.Next() {
		d := &Document{}
		var folder, group string
		if err := rows.Scan(&d.ID, &d.FolderID, &d.GroupID, &d.Title, &d.Body, &d.Visibility, &d.Revision,
			&d.CreatedBy, &d.CreatedAt, &d.UpdatedAt, &d.UpdatedByName, &folder, &group); err != nil {
			rows.Close()
			return err
		}
		if group == "" {
			group = "Library"
		}
		items = append(items, item{d, group + " › " + folder})
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Emitted after the rows are closed: emit may write with the same
	// connection (SQLite has one writer).
	for _, it := range items {
		if err := emit(searchDoc(it.d, it.where)); err != nil {
			return err
		}
	}
	return nil
}
