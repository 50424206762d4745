package talk

import (
	"context"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// subject returns a subject the viewer may see.
func (s *Service) subject(ctx context.Context, kind, id string) (*Subject, error) {
	if !slices.Contains([]string{SubjectDecision, SubjectEvent, SubjectMeeting}, kind) || id == "" || len(id) > 64 {
		return nil, notFound(kind)
	}
	return s.d.Subjects.Subject(ctx, kind, id)
}

// Attached returns the thread attached to a subject (SubjectDecision,
// SubjectEvent, SubjectMeeting), or nil and no error when none was started;
// the viewer must be able to see the subject.
//
// Errors: those of Subjects (errs.NotFound, errs.Forbidden,
// errs.Unauthorized), then those of Thread.
func (s *Service) Attached(ctx context.Context, kind, id string) (*Thread, []Comment, error) {
	if _, err := s.subject(ctx, kind, id); err != nil {
		return nil, nil, err
	}
	tid, err := threadIDBySubject(ctx, s.d.DB.Q(), kind, id)
	if err != nil || tid == "" {
		return nil, nil, err
	}
	return s.Thread(ctx, tid)
}

// Summary is the subject page's view of its discussion: its size, the
// viewer's unread comments, the newest three, and whether the viewer may
// comment.
//
// Errors: those of Attached.
func (s *Service) Summary(ctx context.Context, kind, id string) (*Summary, error) {
	sub, err := s.subject(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	sum := &Summary{URL: "/talk/on/" + kind + "/" + id}
	tid, err := threadIDBySubject(ctx, s.d.DB.Q(), kind, id)
	if err != nil {
		return nil, err
	}
	t := s.subjectThread(kind, id, sub)
	if tid != "" {
		var cs []Comment
		if t, cs, err = s.Thread(ctx, tid); err != nil {
			return nil, err
		}
		sum.ThreadID, sum.URL, sum.CommentCount, sum.Unread = t.ID, "/talk/t/"+t.ID, t.CommentCount, t.Unread
		slices.SortStableFunc(cs, func(a, b Comment) int { return a.CreatedAt.Compare(b.CreatedAt) })
		sum.Latest = cs[max(0, len(cs)-3):]
	} else if err := s.groupArchived(ctx, t); err != nil {
		return nil, err
	}
	sum.CanComment = viewer(ctx) != "" && s.canPost(ctx, t) == nil
	return sum, nil
}

// subjectThread is the thread a subject would have.
func (s *Service) subjectThread(kind, id string, sub *Subject) *Thread {
	vis := sub.Visibility
	if !slices.Contains([]string{Public, Members, Group}, vis) || (vis == Group && sub.GroupID == "") {
		vis = Members
	}
	return &Thread{GroupID: sub.GroupID, SubjectKind: kind, SubjectID: id, SubjectURL: sub.URL,
		Title: sub.Title, Visibility: vis}
}

func (s *Service) groupArchived(ctx context.Context, t *Thread) error {
	if t.GroupID == "" {
		return nil
	}
	var status string
	if err := s.d.DB.QueryRow(ctx, `SELECT name, status FROM groups WHERE id = ?`, t.GroupID).Scan(&t.GroupName, &status); err != nil {
		return err
	}
	t.Archived = status == "archived"
	return nil
}

// CommentOn comments on a subject's thread, starting it on the first comment.
//
// Errors: those of Attached and Comment.
func (s *Service) CommentOn(ctx context.Context, kind, id string, in CommentInput) (*Thread, *Comment, error) {
	sub, err := s.subject(ctx, kind, id)
	if err != nil {
		return nil, nil, err
	}
	tid, err := threadIDBySubject(ctx, s.d.DB.Q(), kind, id)
	if err != nil {
		return nil, nil, err
	}
	if tid == "" {
		t := s.subjectThread(kind, id, sub)
		if err := s.groupArchived(ctx, t); err != nil {
			return nil, nil, err
		}
		if err := s.canPost(ctx, t); err != nil {
			return nil, nil, err
		}
		if err := checkComment(in.Body); err != nil {
			return nil, nil, err
		}
		now := s.clock()
		t.ID, t.LastPostAt, t.CreatedAt, t.UpdatedAt = db.NewID(), now, now, now
		err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
			if err := insertThread(ctx, tx, t); err != nil {
				return err
			}
			return s.putThread(ctx, tx, t)
		})
		if db.IsUniqueViolation(err) { // someone else started it first
			err = nil
		}
		if err != nil {
			return nil, nil, err
		}
		if tid, err = threadIDBySubject(ctx, s.d.DB.Q(), kind, id); err != nil {
			return nil, nil, err
		}
	}
	if err := s.resync(ctx, tid, s.subjectThread(kind, id, sub)); err != nil {
		return nil, nil, err
	}
	c, err := s.Comment(ctx, tid, in)
	if err != nil {
		return nil, nil, err
	}
	t, err := getThread(ctx, s.d.DB.Q(), tid, viewer(ctx))
	if err != nil {
		return nil, nil, err
	}
	return t, c, nil
}

// resync brings an attached thread's title, visibility and group into
// line with its subject (an event made group-only after its discussion
// began), in the thread and in the search index, so the index never shows
// its comments wider than the subject is seen. Reading needs the subject
// visible anyway (canRead); this keeps search in step.
func (s *Service) resync(ctx context.Context, tid string, want *Thread) error {
	t, err := getThread(ctx, s.d.DB.Q(), tid, "")
	if err != nil {
		return err
	}
	if t.Visibility == want.Visibility && t.GroupID == want.GroupID && t.Title == want.Title {
		return nil
	}
	t.Visibility, t.GroupID, t.Title = want.Visibility, want.GroupID, want.Title
	if err := s.groupArchived(ctx, t); err != nil {
		return err
	}
	cs, err := threadComments(ctx, s.d.DB.Q(), tid)
	if err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE talk_threads SET visibility = ?, group_id = ?, title = ?, updated_at = ? WHERE id = ?`,
			t.Visibility, nullable(t.GroupID), t.Title, s.clock(), tid); err != nil {
			return err
		}
		if err := s.putThread(ctx, tx, t); err != nil {
			return err
		}
		for i := range cs {
			if !cs[i].Hidden {
				if err := s.putComment(ctx, tx, t, &cs[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
