package people

import (
	"context"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// maxBulk is how many people one bulk action may name (a page holds 50).
const maxBulk = 500

// TagPeople tags each of the people with ids with tag, in one transaction
// (issue 16: the people list's bulk "Tag"): all of them, or none when the
// viewer may not tag one of them. It returns how many were named.
//
// Errors: errs.Fields naming "id" (none or more than 500) or "tag";
// errs.NotFound, errs.Forbidden as Tag.
func (s *Service) TagPeople(ctx context.Context, ids []string, tag string) (int, error) {
	var uniq []string
	for _, id := range ids {
		if id != "" && !slices.Contains(uniq, id) {
			uniq = append(uniq, id)
		}
	}
	if len(uniq) == 0 || len(uniq) > maxBulk {
		return 0, errs.Fields(map[string]string{"id": "Choose at least one person (at most 500) with the boxes in the list."})
	}
	name, err := cleanTag(tag)
	if err != nil {
		return 0, errs.Fields(map[string]string{"tag": "Use a tag of 1 to 100 characters."})
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, id := range uniq {
			if err := s.canTag(ctx, tx, id); err != nil {
				return err
			}
			if err := s.TagTx(ctx, tx, id, name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(uniq), nil
}
