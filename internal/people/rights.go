package people

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// DataExport is everything the network holds on a person, for their right
// of access: JSON-serialisable, and readable on a page.
type DataExport struct {
	ExportedAt     time.Time
	Person         Person
	Account        *AccountData // nil without an account
	Emails         []ContactRecord
	Phones         []ContactRecord
	Tags           []TagRecord
	Consents       []Consent
	ConsentHistory []ConsentChange
	Notes          []Note
	Donations      []Donation
	Actions        []Action
	Memberships    []GroupMembership
	Lists          []List // saved lists the person created
}

// AccountData is the person's account, without secrets.
type AccountData struct {
	ID, Email, Name, Role string
	CreatedAt             time.Time
}

// ContactRecord is an email address or phone number and when it was added.
type ContactRecord struct {
	Value   string
	AddedAt time.Time
}

// TagRecord is a tag on the person and when it was put there.
type TagRecord struct {
	Name     string
	TaggedAt time.Time
}

// canRights checks the data-rights actions: admins (adminAct), or the
// person themself through their account (people.data_own).
func (s *Service) canRights(ctx context.Context, q db.Querier, p *Person, adminAct auth.Action) error {
	if auth.PrincipalFrom(ctx) == nil {
		return errs.E(errs.Unauthorized, "Please log in to continue.")
	}
	if isAdmin(ctx) {
		return s.can(ctx, adminAct, auth.Resource{Kind: "person", ID: p.ID})
	}
	if p.UserID != "" && s.can(ctx, ActDataOwn, auth.Resource{Kind: "person", ID: p.UserID}) == nil {
		return nil
	}
	if a, _, err := s.viewerAccess(ctx, q, p); err != nil {
		return err
	} else if a == AccessNone {
		return notFound()
	}
	return errs.E(errs.Forbidden, "Only admins and the person themself can do that.")
}

// ExportData gathers every record held on a person — their record, account,
// addresses, numbers, tags, consents with history, notes, donations,
// timeline, group memberships and saved lists — and audits the export.
// Admins, and the person themself.
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized.
func (s *Service) ExportData(ctx context.Context, personID string) (*DataExport, error) {
	var out *DataExport
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		p, err := findPerson(ctx, tx, personID)
		if db.IsNotFound(err) {
			return notFound()
		} else if err != nil {
			return err
		}
		if err := s.canRights(ctx, tx, p, ActData); err != nil {
			return err
		}
		if out, err = exportData(ctx, tx, p); err != nil {
			return fmt.Errorf("export data of %s: %w", personID, err)
		}
		out.ExportedAt = s.now()
		return audit.Record(ctx, tx, "person.data_exported", "person", personID, nil)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RetentionCandidates lists supporters (not members, donors, active or
// organisers, not erased) added more than years ago who have done nothing
// since and hold no granted consent: under a retention rule they should be
// reviewed and erased. Paged by id: after is the last id of the previous
// page; limit defaults to 50, at most 500. Admins only.
//
// Errors: errs.Invalid (years), errs.Forbidden.
func (s *Service) RetentionCandidates(ctx context.Context, years int, after string, limit int) ([]Person, error) {
	if err := s.can(ctx, ActData, auth.Resource{Kind: "person"}); err != nil {
		return nil, err
	}
	if years < 1 || years > 100 {
		return nil, errs.Fields(map[string]string{"years": "Give a number of years from 1 to 100."})
	}
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	cutoff := s.now().AddDate(-years, 0, 0)
	ps, err := queryPeople(ctx, s.db.Q(), `SELECT `+personCols+` FROM people p
		WHERE p.erased_at IS NULL AND p.membership_status = 'supporter' AND p.ladder = 'supporter'
		AND p.created_at < ? AND (p.last_active_at IS NULL OR p.last_active_at < ?)
		AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.status = 'granted')
		AND NOT EXISTS (SELECT 1 FROM person_actions a WHERE a.person_id = p.id AND a.at >= ? AND a.kind NOT LIKE 'ladder.%')
		AND p.id > ? ORDER BY p.id LIMIT `+fmt.Sprint(limit), cutoff, cutoff, cutoff, after)
	if err != nil {
		return nil, fmt.Errorf("retention candidates: %w", err)
	}
	out := make([]Person, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out, nil
}
