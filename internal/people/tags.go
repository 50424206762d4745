package people

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// cleanTag trims a tag name; tags compare without case.
func cleanTag(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || utf8.RuneCountInString(name) > maxTagLen || strings.ContainsAny(name, ",;") {
		return "", errs.Fields(map[string]string{"tag": "Use a tag of 1 to 100 characters, without commas or semicolons."})
	}
	return name, nil
}

// Tag puts a tag on a person, creating the tag on first use (tags are
// case-insensitive: "Volunteer" and "volunteer" are one tag). Admins, and
// organisers for their groups' members.
//
// Errors: errs.Invalid (tag), errs.NotFound, errs.Forbidden.
func (s *Service) Tag(ctx context.Context, personID, tag string) error {
	name, err := cleanTag(tag)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := s.canTag(ctx, tx, personID); err != nil {
			return err
		}
		return s.TagTx(ctx, tx, personID, name)
	})
}

// TagTx tags a person inside the caller's transaction without a permission
// check (for importers whose service has checked).
func (s *Service) TagTx(ctx context.Context, tx *db.Tx, personID, tag string) error {
	return s.tagTx(ctx, tx, personID, tag, true)
}

// tagTx is TagTx; touch says whether to mark the person updated (a
// signup has done so already in its transaction).
func (s *Service) tagTx(ctx context.Context, tx *db.Tx, personID, tag string, touch bool) error {
	name, err := cleanTag(tag)
	if err != nil {
		return err
	}
	tagID, err := ensureTag(ctx, tx, name, s.now())
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `INSERT INTO person_tags (tag_id, person_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (tag_id, person_id) DO NOTHING`, tagID, personID, s.now())
	if err != nil {
		return fmt.Errorf("tag person: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if !touch {
		return audit.Record(ctx, tx, "person.tagged", "person", personID, map[string]any{"tag_id": tagID})
	}
	if _, err := tx.Exec(ctx, `UPDATE people SET updated_at = ? WHERE id = ?`, s.now(), personID); err != nil {
		return fmt.Errorf("tag person: %w", err)
	}
	return audit.Record(ctx, tx, "person.tagged", "person", personID, map[string]any{"tag_id": tagID})
}

// Untag takes a tag off a person (nothing happens if they lack it).
//
// Errors: errs.Invalid (tag), errs.NotFound, errs.Forbidden.
func (s *Service) Untag(ctx context.Context, personID, tag string) error {
	name, err := cleanTag(tag)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := s.canTag(ctx, tx, personID); err != nil {
			return err
		}
		return untagTx(ctx, tx, personID, name, s.now())
	})
}

// untagTx takes the tag called name (already cleaned) off a person in tx.
func untagTx(ctx context.Context, tx *db.Tx, personID, name string, now time.Time) error {
	var tagID string
	err := tx.QueryRow(ctx, `SELECT id FROM tags WHERE name_key = ?`, strings.ToLower(name)).Scan(&tagID)
	if db.IsNotFound(err) {
		return nil
	} else if err != nil {
		return fmt.Errorf("untag: %w", err)
	}
	res, err := tx.Exec(ctx, `DELETE FROM person_tags WHERE tag_id = ? AND person_id = ?`, tagID, personID)
	if err != nil {
		return fmt.Errorf("untag: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE people SET updated_at = ? WHERE id = ?`, now, personID); err != nil {
		return fmt.Errorf("untag: %w", err)
	}
	return audit.Record(ctx, tx, "person.untagged", "person", personID, map[string]any{"tag_id": tagID})
}

func (s *Service) canTag(ctx context.Context, q db.Querier, personID string) error {
	p, err := findPerson(ctx, q, personID)
	if db.IsNotFound(err) {
		return notFound()
	} else if err != nil {
		return err
	}
	_, _, err = s.canManage(ctx, q, p, ActTag, "")
	return err
}

// ensureTag returns the id of the tag with this name, creating it.
func ensureTag(ctx context.Context, tx *db.Tx, name string, now time.Time) (string, error) {
	key := strings.ToLower(name)
	if _, err := tx.Exec(ctx, `INSERT INTO tags (id, name, name_key, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name_key) DO NOTHING`, db.NewID(), name, key, now); err != nil {
		return "", fmt.Errorf("create tag: %w", err)
	}
	var id string
	if err := tx.QueryRow(ctx, `SELECT id FROM tags WHERE name_key = ?`, key).Scan(&id); err != nil {
		return "", fmt.Errorf("find tag: %w", err)
	}
	return id, nil
}

// ListTags returns every tag (the first 1,000 by name) with how many
// people carry it. Admins only.
//
// Errors: errs.Forbidden.
func (s *Service) ListTags(ctx context.Context) ([]Tag, error) {
	if err := s.can(ctx, ActTagsList, auth.Resource{Kind: "tag"}); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT t.id, t.name, (SELECT COUNT(*) FROM person_tags pt WHERE pt.tag_id = t.id)
		FROM tags t ORDER BY t.name_key LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	defer rows.Close()
	var out []Tag
	for rows.Next() {
		var t Tag
		if err := rows.Scan(&t.ID, &t.Name, &t.Count); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
