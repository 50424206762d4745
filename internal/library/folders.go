package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Shelf is a library's front page: the network's (Group nil) or a
// group's, with the folders the viewer may see.
type Shelf struct {
	Group   *GroupRef
	Folders []*FolderNode
	// CanManage: the viewer may make folders here (not in an archived
	// group's library).
	CanManage bool
	// Groups are the viewer's groups, whose libraries the network's page
	// links to.
	Groups []GroupRef
}

// FolderNode is a top-level folder with its subfolders.
type FolderNode struct {
	*Folder
	Children []*Folder
}

// Shelf returns the network's library (groupID "") or a group's, as the
// viewer may see it.
//
// Errors: errs.NotFound (no such group).
func (s *Service) Shelf(ctx context.Context, groupID string) (*Shelf, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	sh := &Shelf{}
	if groupID != "" {
		g := &GroupRef{ID: groupID}
		var status string
		err := s.db.Q().QueryRow(ctx, `SELECT slug, name, status FROM groups WHERE id = ?`, groupID).Scan(&g.Slug, &g.Name, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("group")
		}
		if err != nil {
			return nil, fmt.Errorf("library shelf: group %s: %w", groupID, err)
		}
		g.Archived = status == "archived"
		sh.Group = g
	}
	all, err := listFolders(ctx, s.db.Q(), groupID)
	if err != nil {
		return nil, err
	}
	byID := map[string]*FolderNode{}
	for _, f := range all {
		if f.ParentID == "" && v.reads(f.Visibility, f.GroupID) {
			n := &FolderNode{Folder: f}
			byID[f.ID] = n
			sh.Folders = append(sh.Folders, n)
		}
	}
	for _, f := range all {
		if n := byID[f.ParentID]; n != nil && v.reads(f.Visibility, f.GroupID) {
			n.Children = append(n.Children, f)
		}
	}
	sh.CanManage = s.allowed(ctx, ActManage, groupID) && (sh.Group == nil || !sh.Group.Archived)
	if groupID == "" && v.userID != "" {
		rows, err := s.db.Q().Query(ctx, `SELECT g.id, g.slug, g.name, g.status FROM groups g
			JOIN group_members gm ON gm.group_id = g.id JOIN people p ON p.id = gm.person_id
			WHERE p.user_id = ? AND gm.status = 'active' ORDER BY g.name LIMIT 100`, v.userID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var g GroupRef
			var status string
			if err := rows.Scan(&g.ID, &g.Slug, &g.Name, &status); err != nil {
				return nil, err
			}
			g.Archived = status == "archived"
			sh.Groups = append(sh.Groups, g)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return sh, nil
}

// CreateFolder adds a folder to a group's library (its organisers) or the
// network's (admins), at the top level or inside a top-level folder.
//
// Errors: errs.Invalid naming the fields, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (archived group).
func (s *Service) CreateFolder(ctx context.Context, in FolderInput) (*Folder, error) {
	var parent *Folder
	if in.ParentID != "" {
		p, err := findFolder(ctx, s.db.Q(), in.ParentID)
		if err != nil {
			return nil, errs.Fields(map[string]string{"parent_id": "There is no such folder."})
		}
		if p.ParentID != "" {
			return nil, errs.Fields(map[string]string{"parent_id": "Folders nest two levels deep: put this one beside its parent instead."})
		}
		parent, in.GroupID = p, p.GroupID
	}
	if err := s.can(ctx, ActManage, "library_folder", "", in.GroupID); err != nil {
		return nil, err
	}
	if err := in.validate(parent); err != nil {
		return nil, err
	}
	f := &Folder{ID: db.NewID(), GroupID: in.GroupID, ParentID: in.ParentID, Name: in.Name, Visibility: in.Visibility,
		CreatedAt: s.clock()}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := writable(ctx, tx, f.GroupID); err != nil {
			return err
		}
		if err := insertFolder(ctx, tx, f, actor(ctx)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "library.folder_created", "library_folder", f.ID, map[string]any{"group_id": f.GroupID, "name": f.Name})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// FolderView is a folder's page.
type FolderView struct {
	Folder    *Folder
	Parent    *Folder // nil at the top level
	Children  []*Folder
	Documents []*Document
	// CanWrite: the viewer may add documents; CanManage: subfolders.
	CanWrite, CanManage bool
	Archived            bool
}

// Folder returns a folder the viewer may see, with its subfolders and
// documents that they may see.
//
// Errors: errs.NotFound (also for a folder the viewer may not see).
func (s *Service) Folder(ctx context.Context, id string) (*FolderView, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	f, err := findFolder(ctx, s.db.Q(), id)
	if err != nil {
		return nil, err
	}
	if !v.reads(f.Visibility, f.GroupID) {
		return nil, notFound("folder")
	}
	fv := &FolderView{Folder: f}
	if f.ParentID != "" {
		if fv.Parent, err = findFolder(ctx, s.db.Q(), f.ParentID); err != nil {
			return nil, err
		}
	}
	kids, err := childFolders(ctx, s.db.Q(), f.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range kids {
		if v.reads(k.Visibility, k.GroupID) {
			fv.Children = append(fv.Children, k)
		}
	}
	docs, err := queryDocs(ctx, s.db.Q(), `d.folder_id = ?`, f.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if v.reads(d.Visibility, d.GroupID) {
			fv.Documents = append(fv.Documents, d)
		}
	}
	fv.Archived = writable(ctx, s.db.Q(), f.GroupID) != nil
	fv.CanWrite = !fv.Archived && s.allowed(ctx, ActWrite, f.GroupID)
	fv.CanManage = !fv.Archived && f.ParentID == "" && s.allowed(ctx, ActManage, f.GroupID)
	return fv, nil
}

// NewDocument checks the viewer may write a document in a folder, for the
// form's page, and returns the folder.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived group).
func (s *Service) NewDocument(ctx context.Context, folderID string) (*Folder, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	f, err := findFolder(ctx, s.db.Q(), folderID)
	if err != nil {
		return nil, err
	}
	if !v.reads(f.Visibility, f.GroupID) {
		return nil, notFound("folder")
	}
	if err := s.can(ctx, ActWrite, "library_folder", f.ID, f.GroupID); err != nil {
		return nil, err
	}
	if err := writable(ctx, s.db.Q(), f.GroupID); err != nil {
		return nil, err
	}
	return f, nil
}

// Recent lists the documents of a group's library (groupID "" the
// network's) most recently saved that the viewer may read, at most n
// (1–20): a group page's panel shows them.
func (s *Service) Recent(ctx context.Context, groupID string, n int) ([]*Document, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	n = min(max(n, 1), 20)
	where, args := `d.group_id IS NULL`, []any{}
	if groupID != "" {
		where, args = `d.group_id = ?`, []any{groupID}
	}
	// Newest first, a bounded window read, the viewer's filter applied here.
	rows, err := s.db.Q().Query(ctx, `SELECT `+docCols+` FROM library_documents d WHERE `+where+
		` ORDER BY d.updated_at DESC, d.id LIMIT 200`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Document
	for rows.Next() && len(out) < n {
		d, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		if v.reads(d.Visibility, d.GroupID) {
			out = append(out, d)
		}
	}
	return out, rows.Err()
}
