package library

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// CreateDocument writes a new document in a folder, as its first
// revision, and indexes it.
//
// Errors: errs.Invalid naming the fields, errs.NotFound (the folder, or
// one the viewer may not see), errs.Forbidden, errs.Unauthorized,
// errs.Conflict (archived group).
func (s *Service) CreateDocument(ctx context.Context, in DocInput) (*Document, error) {
	f, err := s.NewDocument(ctx, in.FolderID)
	if err != nil {
		return nil, err
	}
	if err := in.validate(f); err != nil {
		return nil, err
	}
	now := s.clock()
	d := &Document{ID: db.NewID(), FolderID: f.ID, GroupID: f.GroupID, Title: in.Title, Body: in.Body,
		Visibility: in.Visibility, Revision: 1, CreatedBy: actor(ctx), CreatedAt: now, UpdatedAt: now}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := writable(ctx, tx, f.GroupID); err != nil {
			return err
		}
		if err := insertDoc(ctx, tx, d); err != nil {
			return err
		}
		if err := s.addRevision(ctx, tx, d, in.Note, 0); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "library.document_created", "library_document", d.ID, map[string]any{"group_id": d.GroupID})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// addRevision records d as its revision d.Revision and puts it into the
// search index, in tx.
func (s *Service) addRevision(ctx context.Context, tx *db.Tx, d *Document, note string, restored int) error {
	name, err := authorName(ctx, tx, actor(ctx))
	if err != nil {
		return err
	}
	d.UpdatedByName = name
	if err := insertRevision(ctx, tx, &Revision{DocumentID: d.ID, Number: d.Revision, Title: d.Title, Body: d.Body,
		Visibility: d.Visibility, Note: note, AuthorID: actor(ctx), AuthorName: name, RestoredFrom: restored, At: d.UpdatedAt}); err != nil {
		return err
	}
	ctxName, err := folderContext(ctx, tx, d.FolderID)
	if err != nil {
		return err
	}
	return search.Put(ctx, tx, searchDoc(d, ctxName))
}

// DocView is a document's page.
type DocView struct {
	Document    *Document
	Folder      *Folder
	Attachments []*Attachment
	// CanEdit: the viewer may save it and attach files; CanManage: delete
	// attachments.
	CanEdit, CanManage bool
	Archived           bool
}

// Document returns a document the viewer may read, with its folder and
// attachments.
//
// Errors: errs.NotFound (also for a document the viewer may not read).
func (s *Service) Document(ctx context.Context, id string) (*DocView, error) {
	d, err := s.readable(ctx, id)
	if err != nil {
		return nil, err
	}
	dv := &DocView{Document: d}
	if dv.Folder, err = findFolder(ctx, s.db.Q(), d.FolderID); err != nil {
		return nil, err
	}
	if dv.Attachments, err = listAttachments(ctx, s.db.Q(), d.ID); err != nil {
		return nil, err
	}
	dv.Archived = writable(ctx, s.db.Q(), d.GroupID) != nil
	dv.CanEdit = !dv.Archived && s.allowed(ctx, ActWrite, d.GroupID)
	dv.CanManage = !dv.Archived && s.allowed(ctx, ActManage, d.GroupID)
	return dv, nil
}

// readable finds a document the viewer may read; one they may not is not
// found.
func (s *Service) readable(ctx context.Context, id string) (*Document, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	d, err := findDoc(ctx, s.db.Q(), id)
	if err != nil {
		return nil, err
	}
	if !v.reads(d.Visibility, d.GroupID) {
		return nil, notFound("document")
	}
	return d, nil
}

// Edit returns a document for its edit form, when the viewer may save it.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived group).
func (s *Service) Edit(ctx context.Context, id string) (*DocView, error) {
	dv, err := s.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.can(ctx, ActWrite, "library_document", id, dv.Document.GroupID); err != nil {
		return nil, err
	}
	if err := writable(ctx, s.db.Q(), dv.Document.GroupID); err != nil {
		return nil, err
	}
	return dv, nil
}

// Save writes a new revision of a document. in.BaseRevision must be the
// current revision: a save over someone else's newer one is refused, so
// that nobody's words are lost silently.
//
// Errors: errs.Invalid naming the fields, errs.NotFound, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (someone else saved since; archived
// group).
func (s *Service) Save(ctx context.Context, id string, in DocInput) (*Document, error) {
	dv, err := s.Edit(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := in.validate(dv.Folder); err != nil {
		return nil, err
	}
	return s.write(ctx, dv.Document, in.Title, in.Body, in.Visibility, in.Note, in.BaseRevision, 0)
}

// write saves a new revision over base.
func (s *Service) write(ctx context.Context, d *Document, title, body, vis, note string, base, restored int) (*Document, error) {
	if base != d.Revision {
		return nil, staleSave(d)
	}
	nd := *d
	nd.Title, nd.Body, nd.Visibility, nd.Revision, nd.UpdatedAt = title, body, vis, base+1, s.clock()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := writable(ctx, tx, d.GroupID); err != nil {
			return err
		}
		ok, err := updateDoc(ctx, tx, &nd, base)
		if err != nil {
			return err
		}
		if !ok {
			return staleSave(d)
		}
		if err := s.addRevision(ctx, tx, &nd, note, restored); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "library.document_saved", "library_document", d.ID, map[string]any{"revision": nd.Revision})
	})
	if err != nil {
		return nil, err
	}
	return &nd, nil
}

// msgStale is what a refused save says.
const msgStale = "Someone else saved this document while you were editing it. Your text is kept below: " +
	"compare it with the latest revision, then save again."

func staleSave(d *Document) error { return errs.E(errs.Conflict, "%s", msgStale) }

// IsStale reports whether err is Save refusing a save over someone else's
// newer revision (not another conflict, such as an archived group).
func IsStale(err error) bool { return errs.Is(err, errs.Conflict) && errs.MessageOf(err) == msgStale }

// Revisions lists a document's revisions, newest first (at most 500).
//
// Errors: errs.NotFound.
func (s *Service) Revisions(ctx context.Context, id string) (*Document, []*Revision, error) {
	d, err := s.readable(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	rs, err := listRevisions(ctx, s.db.Q(), id, 500)
	return d, rs, err
}

// Revision returns one revision of a document the viewer may read.
//
// Errors: errs.NotFound.
func (s *Service) Revision(ctx context.Context, id string, n int) (*Revision, error) {
	if _, err := s.readable(ctx, id); err != nil {
		return nil, err
	}
	return findRevision(ctx, s.db.Q(), id, n)
}

// Restore brings an old revision back as a new revision (the history
// keeps everything in between).
//
// Errors: errs.Invalid (revision), errs.NotFound, errs.Forbidden,
// errs.Unauthorized, errs.Conflict (archived group).
func (s *Service) Restore(ctx context.Context, id string, n int) (*Document, error) {
	dv, err := s.Edit(ctx, id)
	if err != nil {
		return nil, err
	}
	d := dv.Document
	old, err := findRevision(ctx, s.db.Q(), id, n)
	if err != nil {
		return nil, errs.Fields(map[string]string{"revision": "There is no such revision of this document."})
	}
	if n == d.Revision {
		return nil, errs.Fields(map[string]string{"revision": "That is already the current revision."})
	}
	vis := old.Visibility
	if checkVisibility(vis, d.GroupID, dv.Folder.Visibility) != "" {
		vis = d.Visibility // the folder has narrowed since: keep the document within it
	}
	return s.write(ctx, d, old.Title, old.Body, vis, "", d.Revision, n)
}

// DeleteDocument removes a document with its revisions and attachments,
// and takes it out of the search index (the group's organisers; admins
// for the network's).
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived group).
func (s *Service) DeleteDocument(ctx context.Context, id string) error {
	d, err := s.readable(ctx, id)
	if err != nil {
		return err
	}
	if err := s.can(ctx, ActManage, "library_document", id, d.GroupID); err != nil {
		return err
	}
	atts, err := listAttachments(ctx, s.db.Q(), id)
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := writable(ctx, tx, d.GroupID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM library_documents WHERE id = ?`, id); err != nil {
			return err
		}
		if err := search.Delete(ctx, tx, search.KindDocument, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "library.document_deleted", "library_document", id, map[string]any{"title": d.Title})
	})
	if err != nil {
		return err
	}
	for _, a := range atts {
		if err := s.files.Delete(ctx, a.Key); err != nil {
			s.log.Warn("library: attachment file left behind", "key", a.Key, "err", err)
		}
	}
	return nil
}
