package groups

import (
	"context"
	"time"
)

// ActivityItem is one line of a group's recent activity.
type ActivityItem struct {
	At   time.Time
	Kind string // joined, left, role, dormant, revived, merged, archived, or a timeline kind ("event.attended")
	// PersonID is set only when the viewer may see who it was.
	PersonID string
	// Text is the sentence to show, with the person's name only where the
	// viewer may see it ("A member joined." otherwise).
	Text string
}

// Activity returns the group's latest activity, newest first (limit: default
// 20, at most 100): joins, departures, role changes and lifecycle from the
// group's own log, and, for its members, what people did in the group
// according to their timelines (person_actions with this group_id). Names
// follow the Members rules. Public. Errors: errs.NotFound.
func (s *Service) Activity(ctx context.Context, groupID string, limit int) ([]ActivityItem, error) {
	if _, err := s.Get(ctx, groupID); err != nil {
		return nil, err
	}
	level, _, err := s.access(ctx, groupID)
	if err != nil {
		return nil, err
	}
	return s.activity(ctx, groupID, level, limit)
}

func (s *Service) activity(ctx context.Context, groupID string, level Access, limit int) ([]ActivityItem, error) {
	switch {
	case limit <= 0:
		limit = 20
	case limit > 100:
		limit = 100
	}
	rows, err := activityRows(ctx, s.db.Q(), groupID, level > SeeCount, limit)
	if err != nil {
		return nil, err
	}
	out := make([]ActivityItem, 0, len(rows))
	for _, r := range rows {
		it := ActivityItem{At: r.At, Kind: r.Kind}
		who := "A member"
		if r.PersonID != "" && (level == SeeAll || (level == SeeShown && r.Shown)) {
			it.PersonID = r.PersonID
			if r.Name != "" {
				who = r.Name
			}
		}
		if r.FromTimeline {
			it.Text = who + ": " + r.Detail
		} else {
			it.Text = logText(r.Kind, who, r.Detail)
		}
		out = append(out, it)
	}
	return out, nil
}

// logText is the sentence for a group_log entry.
func logText(kind, who, detail string) string {
	switch kind {
	case "joined":
		return who + " joined."
	case "left":
		return who + " left."
	case "role":
		if detail == RoleMember {
			return who + " is now a member."
		}
		return who + " became " + detail + "."
	case "dormant":
		return "The group became dormant after a long quiet spell."
	case "revived":
		return "The group was revived."
	case "merged":
		return detail + " merged into this group."
	case "archived":
		return "The group was archived."
	}
	return who + ": " + kind
}
