package groups

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// DefaultDormantAfter is how long a group may go without activity before it
// turns dormant, unless configured otherwise.
const DefaultDormantAfter = 180 * 24 * time.Hour

// maxDormantPerRun bounds one run of MarkDormant; the next run takes the rest.
const maxDormantPerRun = 1000

// Touch records activity in a group (an event, a meeting, a decision), in
// the caller's transaction. A dormant group becomes active again. Other
// capabilities call it after their own permission checks.
func (s *Service) Touch(ctx context.Context, tx *db.Tx, groupID string) error {
	now := s.clock()
	woke, err := touchGroup(ctx, tx, groupID, now)
	if err != nil || !woke {
		return err
	}
	if err := addLog(ctx, tx, groupID, "revived", "", "", now); err != nil {
		return err
	}
	return audit.Record(ctx, tx, "group.revived", "group", groupID, map[string]any{"by": "activity"})
}

// MarkDormant turns active groups with no activity since now-after dormant,
// and tells their organisers and the admins through the Notifier. It returns
// the groups it changed (at most 1000 a run). The periodic DormantArgs job
// calls it as the system.
//
// Errors: errs.Forbidden for anyone but admins and the system.
func (s *Service) MarkDormant(ctx context.Context, now time.Time, after time.Duration) ([]Group, error) {
	if err := s.can(ctx, ActLifecycle, ""); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	var out []Group
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		stale, err := staleGroups(ctx, tx, now.Add(-after), maxDormantPerRun)
		if err != nil || len(stale) == 0 {
			return err
		}
		ids := make([]any, len(stale))
		for i := range stale {
			ids[i] = stale[i].ID
			stale[i].Status, stale[i].DormantAt, stale[i].UpdatedAt = StatusDormant, now, now
		}
		if err := markDormant(ctx, tx, ids, now); err != nil {
			return err
		}
		emails, err := organiserEmails(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, g := range stale {
			if err := addLog(ctx, tx, g.ID, "dormant", "", "", now); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, "group.dormant", "group", g.ID, map[string]any{
				"idle_days": int(now.Sub(g.LastActivityAt).Hours() / 24), "organisers": len(emails[g.ID])}); err != nil {
				return err
			}
			if err := s.notifier.GroupDormant(ctx, tx, g, emails[g.ID]); err != nil {
				return fmt.Errorf("tell organisers of %s: %w", g.ID, err)
			}
		}
		admins, err := adminEmails(ctx, tx)
		if err != nil {
			return err
		}
		if err := s.notifier.DormantDigest(ctx, tx, stale, admins); err != nil {
			return fmt.Errorf("tell admins of dormant groups: %w", err)
		}
		out = stale
		return nil
	})
	return out, err
}

// Revive makes a dormant group active again (its organisers or an admin),
// or brings back an archived one (admins only; not one that was merged).
// Errors: errs.Forbidden, errs.NotFound, errs.Conflict (already active, or
// merged).
func (s *Service) Revive(ctx context.Context, groupID string) error {
	if err := s.can(ctx, auth.ActGroupManage, groupID); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		g, err := getGroup(ctx, tx, "id", groupID)
		if err != nil {
			return notFound(err)
		}
		switch {
		case g.Status == StatusActive:
			return errs.E(errs.Conflict, "This group is already active.")
		case g.MergedInto != "":
			return errs.E(errs.Conflict, "This group was merged into another and cannot be revived: its members have moved.")
		case g.Archived():
			if err := s.can(ctx, ActLifecycle, groupID); err != nil {
				return errs.E(errs.Forbidden, "Only network admins can bring back an archived group.")
			}
		}
		now := s.clock()
		if err := reviveGroup(ctx, tx, groupID, now); err != nil {
			return err
		}
		if err := addLog(ctx, tx, groupID, "revived", "", "", now); err != nil {
			return err
		}
		if err := index(ctx, tx, groupID); err != nil { // issue 13: search index
			return err
		}
		return audit.Record(ctx, tx, "group.revived", "group", groupID, map[string]any{"was": g.Status})
	})
}

// Archive makes a group read-only: it stays listed and findable, with its
// members and history, but nobody can join, be invited or change roles.
// Errors: errs.Forbidden (admins only), errs.NotFound, errs.Conflict
// (already archived).
func (s *Service) Archive(ctx context.Context, groupID string) error {
	if err := s.can(ctx, ActLifecycle, groupID); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		g, err := getGroup(ctx, tx, "id", groupID)
		if err != nil {
			return notFound(err)
		}
		if g.Archived() {
			return errs.E(errs.Conflict, "This group is already archived.")
		}
		now := s.clock()
		if err := archiveGroup(ctx, tx, groupID, "", now); err != nil {
			return err
		}
		if err := addLog(ctx, tx, groupID, "archived", "", "", now); err != nil {
			return err
		}
		if err := index(ctx, tx, groupID); err != nil { // issue 13: search index
			return err
		}
		return audit.Record(ctx, tx, "group.archived", "group", groupID, map[string]any{"members": g.MemberCount})
	})
}
