package people

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Duplicates lists pairs of records that are likely the same person —
// the same email (ignoring case, "+tags" and Gmail's dots), a shared phone
// number, or the same name at the same postcode — for an admin to review
// and merge. Pairs come in id order, limit at a time (default 50, at most
// 500); after is the Key of the last pair of the previous page.
//
// Errors: errs.Forbidden.
func (s *Service) Duplicates(ctx context.Context, after string, limit int) ([]DuplicatePair, error) {
	if err := s.can(ctx, ActMerge, auth.Resource{Kind: "person"}); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	q := s.db.Q()
	a, b := parsePairKey(after)
	// A pair has at most three reasons, so (limit+1)*3 rows hold limit
	// complete pairs.
	rows, err := duplicateRows(ctx, q, a, b, (limit+1)*3)
	if err != nil {
		return nil, err
	}
	var pairs []DuplicatePair
	var ids []string
	for _, r := range rows {
		key := r[0] + "|" + r[1]
		if n := len(pairs); n > 0 && pairs[n-1].Key == key {
			pairs[n-1].Reasons = append(pairs[n-1].Reasons, r[2])
			continue
		}
		if len(pairs) == limit {
			break
		}
		pairs = append(pairs, DuplicatePair{A: Person{ID: r[0]}, B: Person{ID: r[1]}, Reasons: []string{r[2]}, Key: key})
		ids = append(ids, r[0], r[1])
	}
	byID, err := peopleByID(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	for i := range pairs {
		if p := byID[pairs[i].A.ID]; p != nil {
			pairs[i].A = *p
		}
		if p := byID[pairs[i].B.ID]; p != nil {
			pairs[i].B = *p
		}
	}
	return pairs, nil
}

// MarkDistinct records that two records the duplicates page offers are
// two different people (a parent and a child at one address), so the pair
// is offered no more. Both records stay as they are; the decision is
// audited.
//
// Errors: errs.Forbidden, errs.Unauthorized, errs.Invalid (the same
// record twice), errs.NotFound.
func (s *Service) MarkDistinct(ctx context.Context, aID, bID string) error {
	if err := s.can(ctx, ActMerge, auth.Resource{Kind: "person", ID: aID}); err != nil {
		return err
	}
	if aID == bID {
		return errs.E(errs.Invalid, "Choose two different people.")
	}
	if bID < aID {
		aID, bID = bID, aID
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, id := range []string{aID, bID} {
			if _, err := findPerson(ctx, tx, id); err != nil {
				return notFoundOr(err)
			}
		}
		userID := ""
		if p := auth.PrincipalFrom(ctx); p != nil && !p.Token && !p.System {
			userID = p.UserID
		}
		if err := markDistinct(ctx, tx, aID, bID, userID, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "people.distinct", "person", aID, map[string]any{"other": bID})
	})
}

// Merge folds the record mergeID into keepID and deletes it: emails,
// phones, tags, consents (the latest per channel wins) and their history,
// notes, donations, timeline and group memberships (the higher role wins)
// move over; the kept record's details win and the merged one fills its
// blanks (names, email, phone, address, location, custom fields, the
// account link); membership keeps the further status and earlier dates.
// The merge is audited with both ids and shown on the kept person's
// timeline ("person.merged"). Admins only.
//
// Errors: errs.Invalid (the same id twice), errs.NotFound, errs.Conflict
// (an erased record, or both have accounts), errs.Forbidden.
func (s *Service) Merge(ctx context.Context, keepID, mergeID string) error {
	if err := s.can(ctx, ActMerge, auth.Resource{Kind: "person", ID: keepID}); err != nil {
		return err
	}
	if keepID == mergeID {
		return errs.E(errs.Invalid, "Choose two different people to merge.")
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		k, err := findPerson(ctx, tx, keepID)
		if err != nil {
			return notFoundOr(err)
		}
		m, err := findPerson(ctx, tx, mergeID)
		if err != nil {
			return notFoundOr(err)
		}
		if k.Erased() || m.Erased() {
			return errs.E(errs.Conflict, "An erased record cannot be merged.")
		}
		if k.UserID != "" && m.UserID != "" {
			return errs.E(errs.Conflict, "Both people have accounts; merge cannot join two accounts.")
		}
		now := s.now()
		if m.UserID != "" {
			if _, err := tx.Exec(ctx, `UPDATE people SET user_id = NULL WHERE id = ?`, m.ID); err != nil {
				return fmt.Errorf("merge: %w", err)
			}
		}
		moved, err := moveRows(ctx, tx, k.ID, m.ID)
		if err != nil {
			return err
		}
		for _, mv := range s.movers.Get() {
			theirs, err := mv.MovePerson(ctx, tx, k.ID, m.ID)
			if err != nil {
				return fmt.Errorf("merge: %w", err)
			}
			maps.Copy(moved, theirs)
		}
		counts := map[string]any{}
		for table, n := range moved {
			counts[table] = n
		}
		for _, c := range m.Consents {
			if err := upsertConsent(ctx, tx, k.ID, c); err != nil {
				return err
			}
		}
		counts["consents"] = len(m.Consents)
		if counts["memberships"], err = moveMemberships(ctx, tx, k.ID, m.ID); err != nil {
			return err
		}
		fillBlanks(k, m)
		k.UpdatedAt = now
		if err := updatePerson(ctx, tx, k); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE people SET user_id = ?, membership_status = ?, member_since = ?, lapsed_at = ?,
			last_active_at = ?, created_at = ? WHERE id = ?`,
			nullStr(k.UserID), k.MembershipStatus, k.MemberSince, k.LapsedAt, k.LastActiveAt, k.CreatedAt, k.ID)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM people WHERE id = ?`, m.ID); err != nil {
			return fmt.Errorf("merge: delete merged person: %w", err)
		}
		err = insertAction(ctx, tx, Action{ID: db.NewID(), PersonID: k.ID, Kind: "person.merged",
			Summary: "Merged with a duplicate record", RefType: "person", RefID: m.ID, At: now})
		if err != nil {
			return err
		}
		if err := refreshLadder(ctx, tx, now, k.ID); err != nil {
			return err
		}
		counts["merged_id"] = m.ID
		return audit.Record(ctx, tx, "person.merged", "person", k.ID, counts)
	})
}

func notFoundOr(err error) error {
	if db.IsNotFound(err) {
		return notFound()
	}
	return err
}

// fillBlanks completes k from m: k's values win.
func fillBlanks(k, m *Person) {
	if k.GivenName == "" && k.FamilyName == "" {
		k.GivenName, k.FamilyName = m.GivenName, m.FamilyName
	}
	if k.Email == "" {
		k.Email = m.Email
	}
	if k.Phone == "" {
		k.Phone = m.Phone
	}
	if k.Address.Line1 == "" && k.Address.Postcode == "" {
		k.Address = m.Address
	}
	if k.Location == nil {
		k.Location = m.Location
	}
	if k.UserID == "" {
		k.UserID = m.UserID
	}
	custom := maps.Clone(m.CustomFields)
	maps.Copy(custom, k.CustomFields)
	k.CustomFields = custom
	rank := map[string]int{StatusMember: 3, StatusLapsed: 2, StatusSupporter: 1}
	if rank[m.MembershipStatus] > rank[k.MembershipStatus] {
		k.MembershipStatus, k.LapsedAt = m.MembershipStatus, m.LapsedAt
	}
	if k.MembershipStatus == StatusSupporter {
		k.MemberSince, k.LapsedAt = nil, nil
	} else {
		k.MemberSince = earlier(k.MemberSince, m.MemberSince)
	}
	if m.LastActiveAt != nil && (k.LastActiveAt == nil || m.LastActiveAt.After(*k.LastActiveAt)) {
		k.LastActiveAt = m.LastActiveAt
	}
	if m.CreatedAt.Before(k.CreatedAt) {
		k.CreatedAt = m.CreatedAt
	}
}

func earlier(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.Before(*b):
		return a
	}
	return b
}
