package people

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// AddNote writes a private note on a person. With a groupID, the note
// belongs to that group: its organisers (of which the writer must be one,
// and the person a member) and admins read it. Without, only admins may
// write and read it.
//
// Errors: errs.Invalid (body), errs.NotFound, errs.Forbidden.
func (s *Service) AddNote(ctx context.Context, personID, groupID, body string) (*Note, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > maxNoteLen {
		return nil, errs.Fields(map[string]string{"body": "Write a note of at most 10,000 characters."})
	}
	n := &Note{ID: db.NewID(), PersonID: personID, GroupID: groupID, Body: body, CreatedAt: s.now()}
	if who := auth.PrincipalFrom(ctx); who != nil {
		n.AuthorID = who.UserID
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := findPerson(ctx, tx, personID)
		if db.IsNotFound(err) {
			return notFound()
		} else if err != nil {
			return err
		}
		a, via, err := s.viewerAccess(ctx, tx, p)
		if err != nil {
			return err
		}
		if !isAdmin(ctx) {
			if a == AccessNone {
				return notFound()
			}
			if groupID == "" || !slices.Contains(via, groupID) {
				return errs.E(errs.Forbidden, "Write notes as an organiser of one of this person's groups.")
			}
			if err := s.can(ctx, ActNotes, auth.Resource{Kind: "person", ID: personID, GroupID: groupID}); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO person_notes (id, person_id, author_id, group_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			n.ID, personID, nullStr(n.AuthorID), nullStr(groupID), body, n.CreatedAt)
		if err != nil {
			return fmt.Errorf("add note: %w", err)
		}
		return audit.Record(ctx, tx, "person.note_added", "person", personID, map[string]any{"note_id": n.ID, "group_id": groupID})
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Notes returns the notes on a person the viewer may read, newest first
// (at most 500): admins and the person themself all of them, a group's
// organisers their group's.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Notes(ctx context.Context, personID string) ([]Note, error) {
	q := s.db.Q()
	p, err := findPerson(ctx, q, personID)
	if db.IsNotFound(err) {
		return nil, notFound()
	} else if err != nil {
		return nil, err
	}
	a, via, err := s.viewerAccess(ctx, q, p)
	if err != nil {
		return nil, err
	}
	switch a {
	case AccessNone:
		return nil, notFound()
	case AccessFull:
		return queryNotes(ctx, q, `person_id = ?`, personID)
	case AccessGroup:
		var groups []string
		for _, g := range via {
			if s.can(ctx, ActNotes, auth.Resource{Kind: "person", ID: personID, GroupID: g}) == nil {
				groups = append(groups, g)
			}
		}
		if len(groups) > 0 {
			return queryNotes(ctx, q, `person_id = ? AND group_id IN (`+placeholders(len(groups))+`)`,
				append([]any{personID}, anys(groups)...)...)
		}
	}
	return nil, errs.E(errs.Forbidden, "Only admins and this person's organisers can read notes on them.")
}

func queryNotes(ctx context.Context, q db.Querier, where string, args ...any) ([]Note, error) {
	rows, err := q.Query(ctx, `SELECT id, person_id, COALESCE(author_id, ''), COALESCE(group_id, ''), body, created_at
		FROM person_notes WHERE `+where+` ORDER BY created_at DESC, id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.PersonID, &n.AuthorID, &n.GroupID, &n.Body, &n.CreatedAt); err != nil {
			return nil, err
		}
		n.CreatedAt = n.CreatedAt.UTC()
		out = append(out, n)
	}
	return out, rows.Err()
}
