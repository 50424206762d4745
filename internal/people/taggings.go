package people

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Tagging is a tag on a person, since CreatedAt.
type Tagging struct {
	TagID, TagName, PersonID string
	CreatedAt                time.Time
}

// TagsPage returns limit tags from offset in id order, with the number of
// tags and each tag's creation time in Tag.CreatedAt. Admins only.
//
// Errors: errs.Forbidden.
func (s *Service) TagsPage(ctx context.Context, offset, limit int) ([]Tag, int, error) {
	if err := s.can(ctx, ActTagsList, auth.Resource{Kind: "tag"}); err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM tags`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count tags: %w", err)
	}
	ts, err := queryTags(ctx, s.db.Q(), `ORDER BY t.id LIMIT ? OFFSET ?`, limit, max(offset, 0))
	return ts, total, err
}

// TagByID returns one tag. Admins only.
//
// Errors: errs.NotFound, errs.Forbidden.
func (s *Service) TagByID(ctx context.Context, id string) (*Tag, error) {
	if err := s.can(ctx, ActTagsList, auth.Resource{Kind: "tag"}); err != nil {
		return nil, err
	}
	ts, err := queryTags(ctx, s.db.Q(), `WHERE t.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, errs.E(errs.NotFound, "There is no such tag.")
	}
	return &ts[0], nil
}

// CreateTag makes a tag (tags compare without case: creating one that
// exists returns it, with created false). Admins only.
//
// Errors: errs.Invalid (name), errs.Forbidden.
func (s *Service) CreateTag(ctx context.Context, name string) (tag *Tag, created bool, err error) {
	if err := s.can(ctx, ActTagsList, auth.Resource{Kind: "tag"}); err != nil {
		return nil, false, err
	}
	clean, err := cleanTag(name)
	if err != nil {
		return nil, false, errs.Fields(map[string]string{"name": errs.FieldsOf(err)["tag"]})
	}
	var id string
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `INSERT INTO tags (id, name, name_key, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name_key) DO NOTHING`, db.NewID(), clean, strings.ToLower(clean), s.now())
		if err != nil {
			return fmt.Errorf("create tag: %w", err)
		}
		n, _ := res.RowsAffected()
		created = n > 0
		if err := tx.QueryRow(ctx, `SELECT id FROM tags WHERE name_key = ?`, strings.ToLower(clean)).Scan(&id); err != nil {
			return fmt.Errorf("create tag: %w", err)
		}
		if !created {
			return nil
		}
		return audit.Record(ctx, tx, "tag.created", "tag", id, map[string]any{"name": clean})
	})
	if err != nil {
		return nil, false, err
	}
	t, err := s.TagByID(ctx, id)
	return t, created, err
}

func queryTags(ctx context.Context, q db.Querier, tail string, args ...any) ([]Tag, error) {
	rows, err := q.Query(ctx, `SELECT t.id, t.name, t.created_at FROM tags t `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	defer rows.Close()
	var out []Tag
	for rows.Next() {
		var t Tag
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

// Taggings returns limit of a tag's taggings from offset, in person id
// order, and how many there are. The skipping walks person_tags' primary
// key (tag_id, person_id), so a deep page costs what the first does.
// Admins only.
//
// Errors: errs.NotFound (tag), errs.Forbidden.
func (s *Service) Taggings(ctx context.Context, tagID string, offset, limit int) ([]Tagging, int, error) {
	t, err := s.TagByID(ctx, tagID)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM person_tags WHERE tag_id = ?`, t.ID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count taggings: %w", err)
	}
	ts, err := queryTaggings(ctx, s.db.Q(), `WHERE pt.tag_id = ? ORDER BY pt.person_id LIMIT ? OFFSET ?`, t.ID, limit, max(offset, 0))
	return ts, total, err
}

// TaggingOf returns the tagging of a tag on a person. Admins only.
//
// Errors: errs.NotFound, errs.Forbidden.
func (s *Service) TaggingOf(ctx context.Context, tagID, personID string) (*Tagging, error) {
	if err := s.can(ctx, ActTagsList, auth.Resource{Kind: "tag"}); err != nil {
		return nil, err
	}
	ts, err := queryTaggings(ctx, s.db.Q(), `WHERE pt.tag_id = ? AND pt.person_id = ?`, tagID, personID)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, errs.E(errs.NotFound, "There is no such tagging.")
	}
	return &ts[0], nil
}

// PersonTaggings returns a person's taggings, by tag name, to whoever may
// see the person.
//
// Errors: as Get.
func (s *Service) PersonTaggings(ctx context.Context, personID string) ([]Tagging, error) {
	if _, err := s.Get(ctx, personID); err != nil {
		return nil, err
	}
	return queryTaggings(ctx, s.db.Q(), `WHERE pt.person_id = ? ORDER BY t.name_key`, personID)
}

func queryTaggings(ctx context.Context, q db.Querier, tail string, args ...any) ([]Tagging, error) {
	rows, err := q.Query(ctx, `SELECT pt.tag_id, t.name, pt.person_id, pt.created_at
		FROM person_tags pt JOIN tags t ON t.id = pt.tag_id `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("taggings: %w", err)
	}
	defer rows.Close()
	var out []Tagging
	for rows.Next() {
		var t Tagging
		if err := rows.Scan(&t.TagID, &t.TagName, &t.PersonID, &t.CreatedAt); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

// CanDefineFields reports whether the viewer may define custom fields
// (admins and network-wide tokens): the API's signups define the keys
// they send only for them.
func (s *Service) CanDefineFields(ctx context.Context) bool {
	return s.can(ctx, ActFields, auth.Resource{Kind: "person_field"}) == nil
}
