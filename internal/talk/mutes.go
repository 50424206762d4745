package talk

import (
	"context"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Mute bounds.
const (
	MinMute = time.Hour
	MaxMute = 365 * 24 * time.Hour
)

// moderatedGroup checks the viewer moderates a group ("" the network:
// admins) and that it is not archived.
func (s *Service) moderatedGroup(ctx context.Context, groupID string, write bool) error {
	if len(groupID) > 64 {
		return notFound("group")
	}
	if err := s.can(ctx, ActModerate, groupID); err != nil {
		return err
	}
	if groupID == "" {
		return nil
	}
	var status string
	err := s.d.DB.QueryRow(ctx, `SELECT status FROM groups WHERE id = ?`, groupID).Scan(&status)
	if db.IsNotFound(err) {
		return notFound("group")
	} else if err != nil {
		return err
	}
	if write && status == "archived" {
		return errArchived()
	}
	return nil
}

// Mute stops a person posting in a group (GroupID "": the network's
// threads) for a time (the group's moderators; admins).
//
// Errors: errs.Invalid naming user_id, days or reason; errs.NotFound,
// errs.Forbidden, errs.Unauthorized, errs.Conflict (archived).
func (s *Service) Mute(ctx context.Context, in MuteInput) error {
	in.Reason = strings.TrimSpace(in.Reason)
	fields := map[string]string{}
	if in.For < MinMute || in.For > MaxMute {
		fields["days"] = "Mute for between an hour and 365 days."
	}
	checkText(fields, "reason", "why", in.Reason, 1, MaxReason)
	if in.UserID == "" || len(in.UserID) > 64 {
		fields["user_id"] = "Choose whom to mute."
	} else if in.UserID == viewer(ctx) {
		fields["user_id"] = "You cannot mute yourself."
	}
	if err := fieldErr(fields); err != nil {
		return err
	}
	if err := s.moderatedGroup(ctx, in.GroupID, true); err != nil {
		return err
	}
	now := s.clock()
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ?`, in.UserID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.Fields(map[string]string{"user_id": "There is no such person."})
		}
		if _, err := tx.Exec(ctx, `INSERT INTO talk_mutes (group_id, user_id, muted_until, reason, by_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_id, user_id) DO UPDATE SET muted_until = excluded.muted_until,
			reason = excluded.reason, by_id = excluded.by_id, created_at = excluded.created_at`,
			in.GroupID, in.UserID, now.Add(in.For), in.Reason, nullable(viewer(ctx)), now); err != nil {
			return err
		}
		return audited(ctx, tx, "talk.mute", "user", in.UserID, map[string]any{"group_id": in.GroupID,
			"until": now.Add(in.For), "reason": in.Reason})
	})
}

// Unmute lifts a mute early.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (archived).
func (s *Service) Unmute(ctx context.Context, groupID, userID string) error {
	if err := s.moderatedGroup(ctx, groupID, true); err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM talk_mutes WHERE group_id = ? AND user_id = ?`, groupID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("mute")
		}
		return audited(ctx, tx, "talk.unmute", "user", userID, map[string]any{"group_id": groupID})
	})
}

// Mutes lists a group's current mutes (moderators), ending soonest first.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Mutes(ctx context.Context, groupID string) ([]Mute, error) {
	if err := s.moderatedGroup(ctx, groupID, false); err != nil {
		return nil, err
	}
	rows, err := s.d.DB.Query(ctx, `SELECT m.group_id, m.user_id, COALESCE(u.name, ''), m.muted_until, m.reason,
		COALESCE(b.name, ''), m.created_at FROM talk_mutes m LEFT JOIN users u ON u.id = m.user_id
		LEFT JOIN users b ON b.id = m.by_id WHERE m.group_id = ? AND m.muted_until > ? ORDER BY m.muted_until, m.user_id LIMIT 500`,
		groupID, s.clock())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Mute
	for rows.Next() {
		var m Mute
		if err := rows.Scan(&m.GroupID, &m.UserID, &m.Name, &m.Until, &m.Reason, &m.ByName, &m.CreatedAt); err != nil {
			return nil, err
		}
		m.Name, m.ByName = authorName(m.Name), authorName(m.ByName)
		out = append(out, m)
	}
	return out, rows.Err()
}
