package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Path is a learning path: documents to read in order, each ticked off by
// the reader.
type Path struct {
	ID          string
	GroupID     string // "" for the network's
	Title       string
	Description string
	Visibility  string
	CreatedAt   time.Time
	GroupName   string
	// Done and Total count the steps the viewer may read, and those of
	// them they ticked off.
	Done, Total int
}

// Step is one document of a path.
type Step struct {
	Document *Document
	Done     bool
}

// PathInput is a new path.
type PathInput struct {
	GroupID     string
	Title       string
	Description string
	Visibility  string // default Members
}

// PathView is a path's page.
type PathView struct {
	Path  *Path
	Steps []Step
	// CanManage: the viewer may add steps; Candidates are the documents
	// they may add (the path's library's, not yet in it).
	CanManage  bool
	Candidates []*Document
	// CanTick: the viewer is signed in.
	CanTick bool
}

const pathCols = `p.id, COALESCE(p.group_id, ''), p.title, p.description, p.visibility, p.created_at, COALESCE(g.name, '')`

func scanPath(r scanner) (*Path, error) {
	p := &Path{}
	if err := r.Scan(&p.ID, &p.GroupID, &p.Title, &p.Description, &p.Visibility, &p.CreatedAt, &p.GroupName); err != nil {
		return nil, err
	}
	p.CreatedAt = p.CreatedAt.UTC()
	return p, nil
}

func findPath(ctx context.Context, q db.Querier, id string) (*Path, error) {
	p, err := scanPath(q.QueryRow(ctx, `SELECT `+pathCols+` FROM library_paths p LEFT JOIN groups g ON g.id = p.group_id WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("learning path")
	}
	if err != nil {
		return nil, fmt.Errorf("find path: %w", err)
	}
	return p, nil
}

// CreatePath adds a learning path to a group (its organisers) or the
// network (admins).
//
// Errors: errs.Invalid naming the fields, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (archived group).
func (s *Service) CreatePath(ctx context.Context, in PathInput) (*Path, error) {
	if err := s.can(ctx, ActManage, "library_path", "", in.GroupID); err != nil {
		return nil, err
	}
	if in.Visibility == "" {
		in.Visibility = Members
	}
	bad := map[string]string{}
	if m := text(&in.Title, "a title", maxTitle, true); m != "" {
		bad["title"] = m
	}
	if m := text(&in.Description, "the description", maxDesc, false); m != "" {
		bad["description"] = m
	}
	if m := checkVisibility(in.Visibility, in.GroupID, ""); m != "" {
		bad["visibility"] = m
	}
	if err := errs.Fields(bad); err != nil {
		return nil, err
	}
	p := &Path{ID: db.NewID(), GroupID: in.GroupID, Title: in.Title, Description: in.Description, Visibility: in.Visibility,
		CreatedAt: s.clock()}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := writable(ctx, tx, p.GroupID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO library_paths (id, group_id, title, description, visibility, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, p.ID, nullable(p.GroupID), p.Title, p.Description, p.Visibility, nullable(actor(ctx)), p.CreatedAt); err != nil {
			return fmt.Errorf("insert path: %w", err)
		}
		return audit.Record(ctx, tx, "library.path_created", "library_path", p.ID, map[string]any{"group_id": p.GroupID})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// PathsPage lists learning paths the viewer may see, each with how far
// they got.
type PathsPage struct {
	Paths []*Path
	// CanCreate: the viewer may make a network path; Groups are the groups
	// they organise (and may make paths for).
	CanCreate bool
	Groups    []GroupRef
}

// Paths lists the learning paths the viewer may see (at most 200), the
// network's first, each with "x of y done" for the viewer.
func (s *Service) Paths(ctx context.Context) (*PathsPage, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Q().Query(ctx, `SELECT `+pathCols+` FROM library_paths p LEFT JOIN groups g ON g.id = p.group_id
		ORDER BY CASE WHEN p.group_id IS NULL THEN 0 ELSE 1 END, p.title, p.id LIMIT 200`)
	if err != nil {
		return nil, fmt.Errorf("list paths: %w", err)
	}
	page := &PathsPage{}
	byID := map[string]*Path{}
	for rows.Next() {
		p, err := scanPath(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if v.reads(p.Visibility, p.GroupID) {
			page.Paths = append(page.Paths, p)
			byID[p.ID] = p
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	// Every path's steps in one query: what the viewer may read, and done.
	srows, err := s.db.Q().Query(ctx, `SELECT st.path_id, d.visibility, COALESCE(d.group_id, ''),
		CASE WHEN pp.user_id IS NULL THEN 0 ELSE 1 END
		FROM library_path_steps st JOIN library_documents d ON d.id = st.document_id
		LEFT JOIN library_path_progress pp ON pp.path_id = st.path_id AND pp.document_id = st.document_id AND pp.user_id = ?
		LIMIT 20000`, v.userID)
	if err != nil {
		return nil, fmt.Errorf("list path steps: %w", err)
	}
	defer srows.Close()
	for srows.Next() {
		var pathID, vis, group string
		var done int
		if err := srows.Scan(&pathID, &vis, &group, &done); err != nil {
			return nil, err
		}
		if p := byID[pathID]; p != nil && v.reads(vis, group) {
			p.Total++
			p.Done += done
		}
	}
	if err := srows.Err(); err != nil {
		return nil, err
	}
	page.CanCreate = s.allowed(ctx, ActManage, "")
	if v.userID != "" {
		grows, err := s.db.Q().Query(ctx, `SELECT g.id, g.slug, g.name FROM groups g JOIN group_members gm ON gm.group_id = g.id
			JOIN people pe ON pe.id = gm.person_id WHERE pe.user_id = ? AND gm.status = 'active' AND gm.role = 'organiser'
			AND g.status <> 'archived' ORDER BY g.name LIMIT 100`, v.userID)
		if err != nil {
			return nil, err
		}
		defer grows.Close()
		for grows.Next() {
			var g GroupRef
			if err := grows.Scan(&g.ID, &g.Slug, &g.Name); err != nil {
				return nil, err
			}
			page.Groups = append(page.Groups, g)
		}
		if err := grows.Err(); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// Path returns a learning path the viewer may see, its steps they may
// read, in order, each ticked or not.
//
// Errors: errs.NotFound (also for a path the viewer may not see).
func (s *Service) Path(ctx context.Context, id string) (*PathView, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	p, err := findPath(ctx, s.db.Q(), id)
	if err != nil {
		return nil, err
	}
	if !v.reads(p.Visibility, p.GroupID) {
		return nil, notFound("learning path")
	}
	pv := &PathView{Path: p, CanTick: v.signedIn()}
	rows, err := s.db.Q().Query(ctx, `SELECT `+docCols+`, CASE WHEN pp.user_id IS NULL THEN 0 ELSE 1 END
		FROM library_path_steps st JOIN library_documents d ON d.id = st.document_id
		LEFT JOIN library_path_progress pp ON pp.path_id = st.path_id AND pp.document_id = st.document_id AND pp.user_id = ?
		WHERE st.path_id = ? ORDER BY st.position LIMIT 500`, v.userID, id)
	if err != nil {
		return nil, fmt.Errorf("path steps: %w", err)
	}
	defer rows.Close()
	in := map[string]bool{}
	for rows.Next() {
		d := &Document{}
		var done int
		if err := rows.Scan(&d.ID, &d.FolderID, &d.GroupID, &d.Title, &d.Body, &d.Visibility, &d.Revision,
			&d.CreatedBy, &d.CreatedAt, &d.UpdatedAt, &d.UpdatedByName, &done); err != nil {
			return nil, err
		}
		in[d.ID] = true
		if !v.reads(d.Visibility, d.GroupID) {
			continue
		}
		pv.Steps = append(pv.Steps, Step{Document: d, Done: done == 1})
		p.Total++
		p.Done += done
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	pv.CanManage = writable(ctx, s.db.Q(), p.GroupID) == nil && s.allowed(ctx, ActManage, p.GroupID)
	if pv.CanManage {
		where, args := `d.group_id IS NULL`, []any{}
		if p.GroupID != "" {
			where, args = `d.group_id = ?`, []any{p.GroupID}
		}
		docs, err := queryDocs(ctx, s.db.Q(), where, args...)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			if !in[d.ID] {
				pv.Candidates = append(pv.Candidates, d)
			}
		}
	}
	return pv, nil
}

// AddStep puts a document at the end of a path. The document must be in
// the path's library (the group's, or the network's).
//
// Errors: errs.Invalid (document_id), errs.NotFound, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (archived group).
func (s *Service) AddStep(ctx context.Context, pathID, docID string) error {
	v, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	p, err := findPath(ctx, s.db.Q(), pathID)
	if err != nil {
		return err
	}
	if !v.reads(p.Visibility, p.GroupID) {
		return notFound("learning path")
	}
	if err := s.can(ctx, ActManage, "library_path", p.ID, p.GroupID); err != nil {
		return err
	}
	d, err := findDoc(ctx, s.db.Q(), docID)
	if err != nil || d.GroupID != p.GroupID {
		return errs.Fields(map[string]string{"document_id": "Choose a document from this path's library."})
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := writable(ctx, tx, p.GroupID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `INSERT INTO library_path_steps (path_id, document_id, position)
			SELECT ?, ?, COALESCE(MAX(position), 0) + 1 FROM library_path_steps WHERE path_id = ?
			ON CONFLICT (path_id, document_id) DO NOTHING`, p.ID, d.ID, p.ID)
		if err != nil {
			return fmt.Errorf("add step: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.Fields(map[string]string{"document_id": "That document is already on this path."})
		}
		return audit.Record(ctx, tx, "library.path_step_added", "library_path", p.ID, map[string]any{"document_id": d.ID})
	})
}

// Tick marks a step of a path done (or not done) for the signed-in
// person. It works in archived groups too: reading is not writing.
//
// Errors: errs.Invalid (document_id: not a step), errs.NotFound,
// errs.Unauthorized.
func (s *Service) Tick(ctx context.Context, pathID, docID string, done bool) error {
	if err := s.can(ctx, ActTick, "library_path", pathID, ""); err != nil {
		return err
	}
	pv, err := s.Path(ctx, pathID)
	if err != nil {
		return err
	}
	uid := actor(ctx)
	if uid == "" {
		return errs.E(errs.Forbidden, "Only a person can tick off a step.")
	}
	found := false
	for _, st := range pv.Steps {
		found = found || st.Document.ID == docID
	}
	if !found {
		return errs.Fields(map[string]string{"document_id": "That document is not a step of this path."})
	}
	if !done {
		_, err := s.db.Exec(ctx, `DELETE FROM library_path_progress WHERE path_id = ? AND document_id = ? AND user_id = ?`, pathID, docID, uid)
		return err
	}
	_, err = s.db.Exec(ctx, `INSERT INTO library_path_progress (path_id, document_id, user_id, done_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (path_id, user_id, document_id) DO NOTHING`, pathID, docID, uid, s.clock())
	return err
}
