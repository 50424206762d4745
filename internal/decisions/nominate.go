package decisions

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

// Nomination is a person put forward for an election.
type Nomination struct {
	ID          string
	PersonID    string
	Name        string
	Statement   string
	Category    string
	NominatedBy string // person id
	// Support counts the members backing the nomination: whoever nominated
	// (unless they nominated themselves) and everyone who seconded it. A
	// nomination whose support reaches the threshold is a candidate.
	Support   int
	CreatedAt time.Time
}

// NominationInput is what Nominate takes.
type NominationInput struct {
	PersonID  string // "" nominates oneself
	Statement string
	Category  string // e.g. "woman", for minimum representation
}

// Nominate puts someone (or oneself) forward in an election during its
// nomination period. Both the nominator and the nominee must be admitted
// by the election's electorate rule. Errors: errs.Invalid (statement,
// nominee), errs.Forbidden (the nominator is not eligible, with the
// reason), errs.Conflict (not in nominations, or already nominated),
// errs.NotFound, errs.Unauthorized.
func (s *Service) Nominate(ctx context.Context, decisionID string, in NominationInput) (*Nomination, error) {
	in.Statement, in.Category = strings.TrimSpace(in.Statement), strings.TrimSpace(in.Category)
	if utf8.RuneCountInString(in.Statement) > maxStatement {
		return nil, errs.Fields(map[string]string{"statement": fmt.Sprintf("A statement can be at most %d characters.", maxStatement)})
	}
	n := &Nomination{ID: db.NewID(), Statement: in.Statement, Category: in.Category, CreatedAt: s.clock()}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		d, self, err := s.nominationCheck(ctx, tx, decisionID)
		if err != nil {
			return err
		}
		n.NominatedBy, n.PersonID = self, in.PersonID
		if n.PersonID == "" {
			n.PersonID = self
		}
		if n.PersonID != self {
			st, err := standingOf(ctx, tx, n.PersonID, d.GroupID)
			if db.IsNotFound(err) {
				return errs.Fields(map[string]string{"person_id": "Choose the person you nominate."})
			}
			if err != nil {
				return err
			}
			if ruleRefusal(d, st, s.zone) != "" {
				return errs.Fields(map[string]string{"person_id": "That person cannot stand: they are not in this election's electorate."})
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO decision_nominations (id, decision_id, person_id, statement, category, nominated_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, n.ID, d.ID, n.PersonID, n.Statement, n.Category, self, n.CreatedAt); err != nil {
			if db.IsUniqueViolation(err) {
				return errs.E(errs.Conflict, "That person is already nominated; second their nomination instead.")
			}
			return fmt.Errorf("nominate: %w", err)
		}
		if n.PersonID != self {
			if err := addSecond(ctx, tx, n.ID, self); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, "decision.nominated", "decision", d.ID, map[string]any{"nomination": n.ID})
	})
	if err != nil {
		return nil, err
	}
	return s.nomination(ctx, decisionID, n.ID)
}

// Second backs someone else's nomination; seconding twice does nothing.
// Errors: errs.Invalid (one's own nomination), errs.Forbidden (not
// eligible, with the reason), errs.Conflict (not in nominations),
// errs.NotFound, errs.Unauthorized.
func (s *Service) Second(ctx context.Context, decisionID, nominationID string) (*Nomination, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		d, self, err := s.nominationCheck(ctx, tx, decisionID)
		if err != nil {
			return err
		}
		var nominee string
		err = tx.QueryRow(ctx, `SELECT person_id FROM decision_nominations WHERE id = ? AND decision_id = ?`, nominationID, d.ID).Scan(&nominee)
		if err != nil {
			return notFound(db.NotFound(err, "nomination "+nominationID))
		}
		if nominee == self {
			return errs.Fields(map[string]string{"nomination": "You cannot second your own nomination."})
		}
		if err := addSecond(ctx, tx, nominationID, self); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "decision.seconded", "decision", d.ID, map[string]any{"nomination": nominationID})
	})
	if err != nil {
		return nil, err
	}
	return s.nomination(ctx, decisionID, nominationID)
}

// nominationCheck loads the decision in its nomination period and returns
// it with the acting person, refused unless the electorate rule admits them.
func (s *Service) nominationCheck(ctx context.Context, tx *db.Tx, decisionID string) (*Decision, string, error) {
	d, err := getDecision(ctx, tx, decisionID, shareLock)
	if err != nil {
		return nil, "", notFound(err)
	}
	if err := s.can(ctx, ActNominate, d); err != nil {
		return nil, "", err
	}
	if d.Status != StatusNominations || !s.clock().Before(d.OpensAt) {
		return nil, "", errs.E(errs.Conflict, "Nominations are not open for this decision.")
	}
	if d.Archived() {
		return nil, "", errArchived()
	}
	self, err := personOfUser(ctx, tx, auth.PrincipalFrom(ctx).UserID)
	if err != nil {
		return nil, "", err
	}
	if self == "" {
		return nil, "", errs.E(errs.Forbidden, "Your account is not linked to a membership record. Ask an organiser.")
	}
	st, err := standingOf(ctx, tx, self, d.GroupID)
	if err != nil {
		return nil, "", err
	}
	if r := ruleRefusal(d, st, s.zone); r != "" {
		return nil, "", errs.E(errs.Forbidden, "%s", r)
	}
	return d, self, nil
}

func addSecond(ctx context.Context, q db.Querier, nominationID, personID string) error {
	_, err := q.Exec(ctx, `INSERT INTO decision_seconds (nomination_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, nominationID, personID)
	if err != nil {
		return fmt.Errorf("second nomination %s: %w", nominationID, err)
	}
	return nil
}

// Nominations lists an election's nominations in the order they were
// made, with their support. Errors: errs.NotFound, errs.Forbidden.
func (s *Service) Nominations(ctx context.Context, decisionID string) ([]Nomination, error) {
	if _, err := s.Get(ctx, decisionID); err != nil {
		return nil, err
	}
	return listNominations(ctx, s.db.Q(), decisionID)
}

func (s *Service) nomination(ctx context.Context, decisionID, id string) (*Nomination, error) {
	ns, err := listNominations(ctx, s.db.Q(), decisionID)
	if err != nil {
		return nil, err
	}
	for i := range ns {
		if ns[i].ID == id {
			return &ns[i], nil
		}
	}
	return nil, errs.E(errs.NotFound, "We could not find that nomination.")
}

func listNominations(ctx context.Context, q db.Querier, decisionID string) ([]Nomination, error) {
	rows, err := q.Query(ctx, `SELECT n.id, n.person_id, p.given_name, p.family_name, n.statement, n.category,
		COALESCE(n.nominated_by, ''), n.created_at,
		(SELECT COUNT(*) FROM decision_seconds s WHERE s.nomination_id = n.id)
		FROM decision_nominations n JOIN people p ON p.id = n.person_id
		WHERE n.decision_id = ? ORDER BY n.created_at, n.id`, decisionID)
	if err != nil {
		return nil, fmt.Errorf("nominations of %s: %w", decisionID, err)
	}
	defer rows.Close()
	var out []Nomination
	for rows.Next() {
		var n Nomination
		var given, family string
		if err := rows.Scan(&n.ID, &n.PersonID, &given, &family, &n.Statement, &n.Category, &n.NominatedBy, &n.CreatedAt, &n.Support); err != nil {
			return nil, fmt.Errorf("nominations of %s: %w", decisionID, err)
		}
		n.Name = strings.TrimSpace(given + " " + family)
		n.CreatedAt = n.CreatedAt.UTC()
		out = append(out, n)
	}
	return out, rows.Err()
}
