package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

type scanner interface{ Scan(...any) error }

const folderCols = `f.id, COALESCE(f.group_id, ''), COALESCE(f.parent_id, ''), f.name, f.visibility, f.created_at,
	COALESCE(g.name, ''), COALESCE(g.slug, '')`

const folderFrom = ` FROM library_folders f LEFT JOIN groups g ON g.id = f.group_id`

func scanFolder(r scanner) (*Folder, error) {
	f := &Folder{}
	if err := r.Scan(&f.ID, &f.GroupID, &f.ParentID, &f.Name, &f.Visibility, &f.CreatedAt, &f.GroupName, &f.GroupSlug); err != nil {
		return nil, err
	}
	f.CreatedAt = f.CreatedAt.UTC()
	return f, nil
}

func findFolder(ctx context.Context, q db.Querier, id string) (*Folder, error) {
	f, err := scanFolder(q.QueryRow(ctx, `SELECT `+folderCols+folderFrom+` WHERE f.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("folder")
	}
	if err != nil {
		return nil, fmt.Errorf("find folder %s: %w", id, err)
	}
	return f, nil
}

// listFolders lists a library's folders (groupID "" the network's), at
// most 500, by name.
func listFolders(ctx context.Context, q db.Querier, groupID string) ([]*Folder, error) {
	where := `f.group_id IS NULL`
	args := []any{}
	if groupID != "" {
		where, args = `f.group_id = ?`, append(args, groupID)
	}
	return queryFolders(ctx, q, `SELECT `+folderCols+folderFrom+` WHERE `+where+` ORDER BY f.name, f.id LIMIT 500`, args...)
}

func childFolders(ctx context.Context, q db.Querier, parentID string) ([]*Folder, error) {
	return queryFolders(ctx, q, `SELECT `+folderCols+folderFrom+` WHERE f.parent_id = ? ORDER BY f.name, f.id LIMIT 500`, parentID)
}

func queryFolders(ctx context.Context, q db.Querier, query string, args ...any) ([]*Folder, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list folders: %w", err)
	}
	defer rows.Close()
	var out []*Folder
	for rows.Next() {
		f, err := scanFolder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func insertFolder(ctx context.Context, tx *db.Tx, f *Folder, by string) error {
	_, err := tx.Exec(ctx, `INSERT INTO library_folders (id, group_id, parent_id, name, visibility, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, nullable(f.GroupID), nullable(f.ParentID), f.Name, f.Visibility, nullable(by), f.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert folder: %w", err)
	}
	return nil
}

const docCols = `d.id, d.folder_id, COALESCE(d.group_id, ''), d.title, d.body, d.visibility, d.revision,
	COALESCE(d.created_by, ''), d.created_at, d.updated_at,
	COALESCE((SELECT r.author_name FROM library_revisions r WHERE r.document_id = d.id AND r.number = d.revision), '')`

func scanDoc(r scanner) (*Document, error) {
	d := &Document{}
	if err := r.Scan(&d.ID, &d.FolderID, &d.GroupID, &d.Title, &d.Body, &d.Visibility, &d.Revision,
		&d.CreatedBy, &d.CreatedAt, &d.UpdatedAt, &d.UpdatedByName); err != nil {
		return nil, err
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, nil
}

func findDoc(ctx context.Context, q db.Querier, id string) (*Document, error) {
	d, err := scanDoc(q.QueryRow(ctx, `SELECT `+docCols+` FROM library_documents d WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("document")
	}
	if err != nil {
		return nil, fmt.Errorf("find document %s: %w", id, err)
	}
	return d, nil
}

// queryDocs lists documents by where (with args), by title, at most 500.
func queryDocs(ctx context.Context, q db.Querier, where string, args ...any) ([]*Document, error) {
	rows, err := q.Query(ctx, `SELECT `+docCols+` FROM library_documents d WHERE `+where+` ORDER BY d.title, d.id LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var out []*Document
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func insertDoc(ctx context.Context, tx *db.Tx, d *Document) error {
	_, err := tx.Exec(ctx, `INSERT INTO library_documents (id, folder_id, group_id, title, body, visibility, revision,
		created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.FolderID, nullable(d.GroupID), d.Title, d.Body, d.Visibility, d.Revision, nullable(d.CreatedBy), d.CreatedAt, d.UpdatedAt)
	if err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	return nil
}

// updateDoc writes a new current revision, only over base: it reports
// false when someone else saved since.
func updateDoc(ctx context.Context, tx *db.Tx, d *Document, base int) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE library_documents SET title = ?, body = ?, visibility = ?, revision = ?, updated_at = ?
		WHERE id = ? AND revision = ?`, d.Title, d.Body, d.Visibility, d.Revision, d.UpdatedAt, d.ID, base)
	if err != nil {
		return false, fmt.Errorf("update document: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func insertRevision(ctx context.Context, tx *db.Tx, r *Revision) error {
	_, err := tx.Exec(ctx, `INSERT INTO library_revisions (document_id, number, title, body, visibility, note, author_id,
		author_name, restored_from, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.DocumentID, r.Number, r.Title, r.Body, r.Visibility, r.Note, nullable(r.AuthorID), r.AuthorName, r.RestoredFrom, r.At)
	if err != nil {
		return fmt.Errorf("insert revision: %w", err)
	}
	return nil
}

const revCols = `document_id, number, title, body, visibility, note, COALESCE(author_id, ''), author_name, restored_from, created_at`

func scanRevision(r scanner) (*Revision, error) {
	v := &Revision{}
	if err := r.Scan(&v.DocumentID, &v.Number, &v.Title, &v.Body, &v.Visibility, &v.Note, &v.AuthorID, &v.AuthorName,
		&v.RestoredFrom, &v.At); err != nil {
		return nil, err
	}
	v.At = v.At.UTC()
	return v, nil
}

func findRevision(ctx context.Context, q db.Querier, docID string, n int) (*Revision, error) {
	v, err := scanRevision(q.QueryRow(ctx, `SELECT `+revCols+` FROM library_revisions WHERE document_id = ? AND number = ?`, docID, n))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("revision")
	}
	if err != nil {
		return nil, fmt.Errorf("find revision: %w", err)
	}
	return v, nil
}

func listRevisions(ctx context.Context, q db.Querier, docID string, limit int) ([]*Revision, error) {
	rows, err := q.Query(ctx, `SELECT `+revCols+` FROM library_revisions WHERE document_id = ? ORDER BY number DESC LIMIT ?`, docID, limit)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	defer rows.Close()
	var out []*Revision
	for rows.Next() {
		v, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const attCols = `id, document_id, name, content_type, size, storage_key, created_at`

func scanAttachment(r scanner) (*Attachment, error) {
	a := &Attachment{}
	if err := r.Scan(&a.ID, &a.DocumentID, &a.Name, &a.ContentType, &a.Size, &a.Key, &a.CreatedAt); err != nil {
		return nil, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return a, nil
}

func findAttachment(ctx context.Context, q db.Querier, id string) (*Attachment, error) {
	a, err := scanAttachment(q.QueryRow(ctx, `SELECT `+attCols+` FROM library_attachments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("attachment")
	}
	if err != nil {
		return nil, fmt.Errorf("find attachment: %w", err)
	}
	return a, nil
}

func listAttachments(ctx context.Context, q db.Querier, docID string) ([]*Attachment, error) {
	rows, err := q.Query(ctx, `SELECT `+attCols+` FROM library_attachments WHERE document_id = ? ORDER BY created_at, id LIMIT 200`, docID)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	defer rows.Close()
	var out []*Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
