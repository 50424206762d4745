package messaging

import (
	"context"
	"slices"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// List returns the broadcasts the viewer may see, newest first, and the
// next cursor: admins every one (or f.GroupID's); a group's organisers
// their group's (f.GroupID, or all the groups they organise).
//
// Errors: errs.Invalid (status), errs.Forbidden, errs.Unauthorized.
func (s *Service) List(ctx context.Context, f ListFilter) ([]Broadcast, string, error) {
	if f.Status != "" && !slices.Contains(statuses, f.Status) {
		return nil, "", errs.Fields(map[string]string{"status": "Choose draft, approval, scheduled, sending, paused, sent or cancelled."})
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 200)
	var groups []string // nil: all
	switch {
	case f.GroupID != "" || isAdmin(ctx):
		if err := s.can(ctx, ActSend, f.GroupID); err != nil {
			return nil, "", err
		}
	default:
		p := auth.PrincipalFrom(ctx)
		if p == nil || p.UserID == "" {
			return nil, "", s.can(ctx, ActSend, "")
		}
		if p.TokenGroupID != "" {
			groups = []string{p.TokenGroupID}
			break
		}
		var err error
		if groups, err = organisedGroups(ctx, s.d.DB.Q(), p.UserID); err != nil {
			return nil, "", err
		}
		if len(groups) == 0 {
			return nil, "", s.can(ctx, ActSend, "")
		}
	}
	return listBroadcasts(ctx, s.d.DB.Q(), f, groups)
}

var statuses = []string{StatusDraft, StatusApproval, StatusScheduled, StatusSending, StatusPaused, StatusSent, StatusCancelled}

// Count returns how many people the broadcast would reach now (consent
// given, address present, not erased, not suppressed), before it is
// sent: one SQL count however many people match.
//
// Errors: as Create.
func (s *Service) Count(ctx context.Context, in Input) (int, error) {
	if err := in.check(); err != nil {
		return 0, err
	}
	if err := s.can(ctx, ActSend, in.GroupID); err != nil {
		return 0, err
	}
	sg, err := s.segmentOf(ctx, in.Channel, in.GroupID, in.Targets)
	if err != nil {
		return 0, err
	}
	return countSegment(ctx, s.d.DB.Q(), sg)
}

// Stats returns the broadcast's figures: recipients by status, those who
// unsubscribed through it, and opens and clicks when it was tracked.
//
// Errors: as Get.
func (s *Service) Stats(ctx context.Context, id string) (*Stats, error) {
	b, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	st, err := readStats(ctx, s.d.DB.Q(), b.ID)
	if err != nil {
		return nil, err
	}
	st.Tracked = b.Track
	if !b.Track {
		st.Opened, st.Clicked = 0, 0
	}
	return st, nil
}

// Settings returns the network's messaging settings: to admins, and to
// organisers (who need to know whether their broadcasts wait for approval).
//
// Errors: errs.Forbidden, errs.Unauthorized.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	if err := s.mayWriteSomewhere(ctx); err != nil {
		return Settings{}, err
	}
	return getSettings(ctx, s.d.DB.Q())
}

// mayWriteSomewhere allows admins, group tokens and the organisers of at
// least one group.
func (s *Service) mayWriteSomewhere(ctx context.Context) error {
	p := auth.PrincipalFrom(ctx)
	if isAdmin(ctx) || (p != nil && p.TokenGroupID != "") {
		return nil
	}
	if p == nil || p.UserID == "" {
		return s.can(ctx, ActSend, "")
	}
	groups, err := organisedGroups(ctx, s.d.DB.Q(), p.UserID)
	if err != nil {
		return err
	}
	if len(groups) == 0 {
		return s.can(ctx, ActSend, "")
	}
	return nil
}

// SaveSettings changes the network's messaging settings (admins). Track
// applies to broadcasts that start sending afterwards.
//
// Errors: errs.Forbidden, errs.Unauthorized.
func (s *Service) SaveSettings(ctx context.Context, st Settings) error {
	if err := s.can(ctx, ActSettings, ""); err != nil {
		return err
	}
	return s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := saveSettings(ctx, tx, st, s.clock()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "messaging.settings_changed", "messaging_settings", "1",
			map[string]any{"approve_groups": st.ApproveGroups, "track": st.Track})
	})
}
