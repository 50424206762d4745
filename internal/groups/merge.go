package groups

import (
	"context"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Merge folds one group into another: its members move (someone in both
// keeps the higher role and the stronger status), its districts move, its
// history (the group's log and the timeline entries of its activity) is
// relabelled, and the source becomes archived with MergedInto set, so its
// page still answers and points to the new home. Both groups must be of the
// same kind, and the target not archived.
//
// Errors: errs.Forbidden (admins only), errs.NotFound, errs.Invalid on
// "into" (itself, another kind, or archived), errs.Conflict (the source is
// archived).
func (s *Service) Merge(ctx context.Context, fromID, intoID string) error {
	if err := s.can(ctx, ActLifecycle, fromID); err != nil {
		return err
	}
	if fromID == intoID {
		return errs.Fields(map[string]string{"into": "Choose another group: a group cannot be merged into itself."})
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		from, err := getGroup(ctx, tx, "id", fromID)
		if err != nil {
			return notFound(err)
		}
		into, err := getGroup(ctx, tx, "id", intoID)
		if err != nil {
			if db.IsNotFound(err) {
				return errs.Fields(map[string]string{"into": "Choose a group from the list."})
			}
			return err
		}
		switch {
		case from.Archived():
			return errArchived()
		case into.Archived():
			return errs.Fields(map[string]string{"into": "That group is archived: choose an active or dormant group."})
		case into.Kind != from.Kind:
			return errs.Fields(map[string]string{"into": "Merge a local group into a local group, and a working group into a working group."})
		}
		var c mergeCounts
		if c.Moved, c.Combined, err = moveMembers(ctx, tx, fromID, intoID); err != nil {
			return err
		}
		if c.Districts, err = moveDistricts(ctx, tx, fromID, intoID); err != nil {
			return err
		}
		if c.Actions, err = moveHistory(ctx, tx, fromID, intoID); err != nil {
			return err
		}
		now := s.clock()
		if err := archiveGroup(ctx, tx, fromID, intoID, now); err != nil {
			return err
		}
		// The merged group is as recently active as either was.
		if err := bumpActivity(ctx, tx, intoID, from.LastActivityAt); err != nil {
			return err
		}
		if err := addLog(ctx, tx, intoID, "merged", "", from.Name, now); err != nil {
			return err
		}
		if err := addLog(ctx, tx, fromID, "archived", "", "", now); err != nil {
			return err
		}
		if err := index(ctx, tx, fromID); err != nil { // issue 13: search index (a merged group leaves it)
			return err
		}
		if err := audit.Record(ctx, tx, "group.merged", "group", fromID, map[string]any{"into": intoID,
			"members_moved": c.Moved, "members_combined": c.Combined, "districts_moved": c.Districts, "actions_moved": c.Actions}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "group.merged_in", "group", intoID, map[string]any{"from": fromID})
	})
}
