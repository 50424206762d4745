package people

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// RecordAction puts what a person did on their timeline, inside the
// caller's transaction (events, decisions, meetings… call it through
// Recorder once their own service has checked permission). A
// participation moves last_active_at forward and recomputes the ladder.
// An erased person's actions keep their kind and date but no summary.
//
// Errors: errs.Invalid (person_id, kind, summary), errs.NotFound.
func (s *Service) RecordAction(ctx context.Context, tx *db.Tx, a Action) error {
	bad := map[string]string{}
	a.Kind, a.Summary = strings.TrimSpace(a.Kind), strings.TrimSpace(a.Summary)
	if a.PersonID == "" {
		bad["person_id"] = "Say whose action this is."
	}
	if a.Kind == "" || len(a.Kind) > 100 {
		bad["kind"] = "Give the kind of action, like event.attended (at most 100 characters)."
	}
	if utf8.RuneCountInString(a.Summary) > 500 {
		bad["summary"] = "Use at most 500 characters."
	}
	if err := errs.Fields(bad); err != nil {
		return err
	}
	now := s.now()
	if a.At.IsZero() {
		a.At = now
	}
	a.At = a.At.UTC().Truncate(time.Microsecond)
	a.ID = db.NewID()
	var erased bool
	err := tx.QueryRow(ctx, `SELECT erased_at IS NOT NULL FROM people WHERE id = ?`, a.PersonID).Scan(&erased)
	if db.IsNotFound(err) {
		return notFound()
	} else if err != nil {
		return fmt.Errorf("record action: %w", err)
	}
	if erased {
		a.Summary = ""
	}
	if err := insertAction(ctx, tx, a); err != nil {
		return err
	}
	if !a.Participation {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE people SET last_active_at = ? WHERE id = ? AND (last_active_at IS NULL OR last_active_at < ?)`,
		a.At, a.PersonID, a.At); err != nil {
		return fmt.Errorf("record action: last active: %w", err)
	}
	return refreshLadder(ctx, tx, now, a.PersonID)
}

// Timeline returns a person's actions, newest first, limit at a time
// (default 50, at most 200); before is the id of the last entry of the
// previous page. Among them, at the time the person was added, is an entry
// of kind KindAdded saying how they came (imported from a file, signed
// up, …), made from their record. Admins, the person, and organisers of
// their groups see it.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) Timeline(ctx context.Context, personID, before string, limit int) ([]Action, error) {
	q := s.db.Q()
	p, err := findPerson(ctx, q, personID)
	if db.IsNotFound(err) {
		return nil, notFound()
	} else if err != nil {
		return nil, err
	}
	a, _, err := s.viewerAccess(ctx, q, p)
	if err != nil {
		return nil, err
	}
	if a == AccessNone {
		return nil, notFound()
	}
	if a < AccessGroup {
		return nil, errs.E(errs.Forbidden, "Only admins and this person's organisers can see what they have done.")
	}
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	added := addedEntry(p)
	args := []any{personID}
	where := "person_id = ?"
	// The page starts below the entry the previous one ended with: an
	// action, or the entry of how the person came (it sorts below every
	// action of its time).
	var keyAt time.Time
	switch {
	case before == "":
	case before == added.ID:
		where += " AND at < (SELECT created_at FROM people WHERE id = ?)"
		args = append(args, personID)
	default:
		err := q.QueryRow(ctx, `SELECT at FROM person_actions WHERE id = ? AND person_id = ?`, before, personID).Scan(&keyAt)
		if db.IsNotFound(err) {
			return nil, nil
		} else if err != nil {
			return nil, fmt.Errorf("timeline: %w", err)
		}
		where += " AND (at, id) < (SELECT at, id FROM person_actions WHERE id = ? AND person_id = ?)"
		args = append(args, before, personID)
	}
	acts, err := queryActions(ctx, q, `SELECT `+actionCols+` FROM person_actions WHERE `+where+
		fmt.Sprintf(` ORDER BY at DESC, id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, err
	}
	if before == "" || (before != added.ID && !added.At.After(keyAt)) {
		i := 0
		for i < len(acts) && !acts[i].At.Before(added.At) {
			i++
		}
		acts = slices.Insert(acts, i, added)
		if len(acts) > limit {
			acts = acts[:limit] // the last one opens the next page
		}
	}
	return acts, nil
}

// addedEntry is the first entry of every timeline: how the person came to
// the network. It is not stored as an action, because the person's record
// already says it (source, source_detail, created_at), and an import of a
// million people then writes a million rows fewer. It takes the person's
// id as its own, and sorts below every action of the same time.
func addedEntry(p *Person) Action {
	summary := map[string]string{SourceImport: "Imported", SourceSignup: "Signed up", SourceEvent: "Signed up at an event",
		SourceAPI: "Added through the API", SourceAdmin: "Added by hand"}[p.Source]
	if p.SourceDetail != "" {
		if p.Source == SourceImport {
			summary += " from"
		} else {
			summary += ":"
		}
		summary += " " + p.SourceDetail
	}
	if p.ErasedAt != nil {
		summary = ""
	}
	return Action{ID: p.ID, PersonID: p.ID, At: p.CreatedAt, Kind: KindAdded, Summary: summary}
}

// SetMembership changes a person's membership status (supporter, member
// or lapsed) as of now. Admins only.
//
// Errors: errs.Invalid (status), errs.NotFound, errs.Forbidden.
func (s *Service) SetMembership(ctx context.Context, id, status string) error {
	return s.SetMembershipAt(ctx, id, status, time.Time{})
}

// SetMembershipAt is SetMembership with the date it took effect (for
// imports of existing members); zero means now. Becoming a member sets
// MemberSince; lapsing sets LapsedAt; back to supporter clears both. Each
// change is kept on the timeline ("membership.changed") and moves the
// ladder.
func (s *Service) SetMembershipAt(ctx context.Context, id, status string, at time.Time) error {
	if err := s.can(ctx, ActMembership, auth.Resource{Kind: "person", ID: id}); err != nil {
		return err
	}
	if status != StatusSupporter && status != StatusMember && status != StatusLapsed {
		return errs.Fields(map[string]string{"status": "Choose supporter, member or lapsed."})
	}
	now := s.now()
	if at.IsZero() {
		at = now
	}
	at = at.UTC().Truncate(time.Microsecond)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var from string
		err := tx.QueryRow(ctx, `SELECT membership_status FROM people WHERE id = ?`, id).Scan(&from)
		if db.IsNotFound(err) {
			return notFound()
		} else if err != nil {
			return fmt.Errorf("set membership: %w", err)
		}
		if from == status {
			return nil
		}
		q, args := `UPDATE people SET membership_status = 'supporter', member_since = NULL, lapsed_at = NULL, updated_at = ? WHERE id = ?`, []any{now, id}
		switch status {
		case StatusMember:
			q, args = `UPDATE people SET membership_status = 'member', member_since = ?, lapsed_at = NULL, updated_at = ? WHERE id = ?`, []any{at, now, id}
		case StatusLapsed:
			q, args = `UPDATE people SET membership_status = 'lapsed', lapsed_at = ?, updated_at = ? WHERE id = ?`, []any{at, now, id}
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("set membership: %w", err)
		}
		err = insertAction(ctx, tx, Action{ID: db.NewID(), PersonID: id, Kind: "membership.changed", Summary: from + " → " + status, At: at})
		if err != nil {
			return err
		}
		if err := refreshLadder(ctx, tx, now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "person.membership_set", "person", id, map[string]any{"from": from, "to": status})
	})
}

// ladderBatch is how many people RecomputeLadders looks at per transaction.
const ladderBatch = 5000

// RecomputeLadders brings every stored rung up to date — "active" lapses 90
// days after a person last took part — in batches of 5,000 people per
// transaction, and returns how many people moved. A periodic job runs it.
// Admins and the system only.
//
// Errors: errs.Forbidden.
func (s *Service) RecomputeLadders(ctx context.Context) (int, error) {
	if err := s.can(ctx, ActLadders, auth.Resource{Kind: "person"}); err != nil {
		return 0, err
	}
	total, after := 0, ""
	for {
		var upper *string
		err := s.db.QueryRow(ctx, fmt.Sprintf(`SELECT MAX(id) FROM (SELECT id FROM people WHERE id > ? ORDER BY id LIMIT %d) x`, ladderBatch), after).Scan(&upper)
		if err != nil {
			return total, fmt.Errorf("recompute ladders: %w", err)
		}
		if upper == nil {
			return total, nil
		}
		now := s.now()
		err = s.db.InTx(ctx, func(tx *db.Tx) error {
			cs, err := staleLadders(ctx, tx, now, "p.id > ? AND p.id <= ?", after, *upper)
			if err != nil || len(cs) == 0 {
				return err
			}
			if err := applyLadders(ctx, tx, now, cs); err != nil {
				return err
			}
			total += len(cs)
			return audit.Record(ctx, tx, "people.ladders_recomputed", "person", "", map[string]any{"moved": len(cs)})
		})
		if err != nil {
			return total, fmt.Errorf("recompute ladders: %w", err)
		}
		after = *upper
	}
}

// RefreshLaddersTx recomputes the rungs of these people inside the
// caller's transaction, without a permission check: for the importer after
// a batch, and for groups when an organiser is appointed or steps down.
// Moves go on the timeline as RecomputeLadders' do.
func (s *Service) RefreshLaddersTx(ctx context.Context, tx *db.Tx, personIDs ...string) error {
	now := s.now()
	for ids := range slices.Chunk(personIDs, 500) {
		cs, err := staleLadders(ctx, tx, now, "p.id IN ("+placeholders(len(ids))+")", anys(ids)...)
		if err != nil {
			return err
		}
		if err := applyLadders(ctx, tx, now, cs); err != nil {
			return err
		}
	}
	return nil
}
