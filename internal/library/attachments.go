package library

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/files"
)

// Attach keeps a file with a document: its type is sniffed from its first
// bytes and checked, with its size, against the limits (files.Check)
// before anything is stored. size is the file's length as uploaded.
//
// Errors: errs.Invalid (field "file": too big, a type not allowed, empty),
// errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived group).
func (s *Service) Attach(ctx context.Context, docID, name string, r io.Reader, size int64) (*Attachment, error) {
	dv, err := s.Edit(ctx, docID)
	if err != nil {
		return nil, err
	}
	name = cleanName(name)
	if size <= 0 {
		return nil, errs.Fields(map[string]string{"file": "Choose a file to attach."})
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, errs.Fields(map[string]string{"file": "The file could not be read: send it again."})
	}
	head = head[:n]
	ct, err := files.Check(name, head, size, s.limits)
	if err != nil {
		return nil, err
	}
	a := &Attachment{ID: db.NewID(), DocumentID: docID, Name: name, ContentType: ct, Size: size, CreatedAt: s.clock()}
	a.Key = "attachments/" + a.ID
	if err := s.files.Put(ctx, a.Key, io.MultiReader(bytes.NewReader(head), r), size, ct); err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := writable(ctx, tx, dv.Document.GroupID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO library_attachments (id, document_id, name, content_type, size, storage_key,
			uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.DocumentID, a.Name, a.ContentType, a.Size, a.Key,
			nullable(actor(ctx)), a.CreatedAt); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "library.attachment_added", "library_document", docID, map[string]any{"attachment_id": a.ID, "size": size})
	})
	if err != nil {
		if derr := s.files.Delete(ctx, a.Key); derr != nil {
			s.log.Warn("library: attachment file left behind", "key", a.Key, "err", derr)
		}
		return nil, err
	}
	return a, nil
}

// cleanName keeps the last element of an uploaded file's name, without
// control characters, quotes or slashes, at most 120 characters.
func cleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		name = "attachment"
	}
	if utf8.RuneCountInString(name) > 120 {
		name = string([]rune(name)[:120])
	}
	return name
}

// OpenAttachment returns an attachment and its content, to someone who may
// read its document. The caller closes the reader.
//
// Errors: errs.NotFound (also when the viewer may not read the document).
func (s *Service) OpenAttachment(ctx context.Context, id string) (*Attachment, io.ReadCloser, error) {
	a, err := findAttachment(ctx, s.db.Q(), id)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.readable(ctx, a.DocumentID); err != nil {
		return nil, nil, notFound("attachment")
	}
	rc, err := s.files.Open(ctx, a.Key)
	if err != nil {
		return nil, nil, err
	}
	return a, rc, nil
}

// DeleteAttachment removes an attachment (the group's organisers; admins
// for the network's) and returns its document's id.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived group).
func (s *Service) DeleteAttachment(ctx context.Context, id string) (string, error) {
	a, err := findAttachment(ctx, s.db.Q(), id)
	if err != nil {
		return "", err
	}
	d, err := s.readable(ctx, a.DocumentID)
	if err != nil {
		return "", notFound("attachment")
	}
	if err := s.can(ctx, ActManage, "library_attachment", id, d.GroupID); err != nil {
		return "", err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := writable(ctx, tx, d.GroupID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM library_attachments WHERE id = ?`, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "library.attachment_deleted", "library_document", d.ID, map[string]any{"attachment_id": id, "name": a.Name})
	})
	if err != nil {
		return "", err
	}
	if err := s.files.Delete(ctx, a.Key); err != nil {
		s.log.Warn("library: attachment file left behind", "key", a.Key, "err", err)
	}
	return d.ID, nil
}
