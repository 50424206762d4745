package decisions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// createAction is the permission a kind needs: ranked votes and elections
// are for organisers, everything else for the group's members.
func createAction(k Kind) auth.Action {
	if k == KindRanked || k == KindElection {
		return ActCreateElection
	}
	return ActPropose
}

func optionsOf(in []OptionInput) []Option {
	out := make([]Option, len(in))
	for i, o := range in {
		out[i] = Option{Position: i + 1, Label: o.Label, Description: o.Description, Category: o.Category}
	}
	return out
}

// Create starts a decision as a draft. Errors: errs.Invalid with the
// fields at fault, errs.Forbidden (members propose in their group,
// organisers start ranked votes and elections, admins anything and
// network-wide decisions), errs.Unauthorized.
func (s *Service) Create(ctx context.Context, in Input) (*Decision, error) {
	in.normalise()
	if err := s.policy.Can(ctx, auth.PrincipalFrom(ctx), createAction(in.Kind),
		auth.Resource{Kind: "decision", GroupID: in.GroupID}); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if err := groupWritable(ctx, s.db.Q(), in.GroupID); err != nil {
		return nil, err
	}
	now := s.clock()
	d := &Decision{ID: db.NewID(), Status: StatusDraft, CreatedAt: now, UpdatedAt: now}
	if p := auth.PrincipalFrom(ctx); p != nil {
		d.CreatedBy = p.UserID
	}
	d.apply(in)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := insertDecision(ctx, tx, d); err != nil {
			if db.IsForeignKeyViolation(err) {
				return errs.Fields(map[string]string{"group_id": "That group does not exist."})
			}
			return err
		}
		if err := replaceOptions(ctx, tx, d.ID, d.Options); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "decision.created", "decision", d.ID, map[string]any{"kind": d.Kind, "group_id": d.GroupID})
	})
	if err != nil {
		return nil, err
	}
	return s.load(ctx, d.ID)
}

// apply copies the input's fields onto d (not its group or kind after
// creation: Update keeps those).
func (d *Decision) apply(in Input) {
	d.GroupID, d.Kind = in.GroupID, in.Kind
	d.Title, d.Body, d.Method, d.Seats, d.MaxPoints = in.Title, in.Body, in.Method, in.Seats, in.MaxPoints
	d.Topic = in.Topic
	d.Options = optionsOf(in.Options)
	d.Secret = !in.Named
	d.OpensAt, d.ClosesAt = in.OpensAt, in.ClosesAt
	d.Electorate, d.QuorumPercent, d.Required = in.Electorate, in.QuorumPercent, in.Required
	d.MinRepresentation, d.NominationThreshold = in.MinRepresentation, in.NominationThreshold
}

// Update changes a decision before voting opens (in draft or discussion).
// Its group and kind stay. Errors: errs.Invalid, errs.NotFound,
// errs.Forbidden (the author and the group's organisers), errs.Conflict
// once nominations or voting have started.
func (s *Service) Update(ctx context.Context, id string, in Input) (*Decision, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		d, err := getDecision(ctx, tx, id, writeLock)
		if err != nil {
			return notFound(err)
		}
		if err := s.canManage(ctx, d); err != nil {
			return err
		}
		if d.Archived() {
			return errArchived()
		}
		if d.Status != StatusDraft && d.Status != StatusDiscussion {
			return errs.E(errs.Conflict, "A decision can be changed only while it is a draft or under discussion.")
		}
		in.GroupID, in.Kind = d.GroupID, d.Kind
		in.normalise()
		if err := in.validate(); err != nil {
			return err
		}
		d.apply(in)
		d.UpdatedAt = s.clock()
		if err := updateDecision(ctx, tx, d); err != nil {
			return err
		}
		if err := replaceOptions(ctx, tx, d.ID, d.Options); err != nil {
			return err
		}
		if err := index(ctx, tx, d.ID); err != nil { // issue 13: search index
			return err
		}
		return audit.Record(ctx, tx, "decision.updated", "decision", d.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.load(ctx, id)
}

// Editable returns a decision for its edit form: those who may manage it,
// while it is a draft or under discussion (amendments).
//
// Errors: errs.NotFound, errs.Forbidden, errs.Unauthorized, errs.Conflict
// (too late to change).
func (s *Service) Editable(ctx context.Context, id string) (*Decision, error) {
	d, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.canManage(ctx, d); err != nil {
		return nil, err
	}
	if d.Archived() {
		return nil, errArchived()
	}
	if d.Status != StatusDraft && d.Status != StatusDiscussion {
		return nil, errs.E(errs.Conflict, "A decision can be changed only while it is a draft or under discussion.")
	}
	return d, nil
}

// transition runs the checks every manual step shares, then fn in the
// transaction, then records action in the audit log.
func (s *Service) transition(ctx context.Context, id, action string, check func(d *Decision) error, fn func(tx *db.Tx, d *Decision) error) (*Decision, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		d, err := getDecision(ctx, tx, id, writeLock)
		if err != nil {
			return notFound(err)
		}
		if err := s.canManage(ctx, d); err != nil {
			return err
		}
		if d.Archived() {
			return errArchived()
		}
		if err := check(d); err != nil {
			return err
		}
		if err := fn(tx, d); err != nil {
			return err
		}
		if err := index(ctx, tx, d.ID); err != nil { // issue 13: search index (indexed once out of draft)
			return err
		}
		return audit.Record(ctx, tx, action, "decision", d.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.load(ctx, id)
}

// scheduled checks that voting has both times and closes in the future.
func (s *Service) scheduled(d *Decision) error {
	p := map[string]string{}
	if d.OpensAt.IsZero() {
		p["opens_at"] = "Set when voting opens."
	}
	if d.ClosesAt.IsZero() {
		p["closes_at"] = "Set when voting closes."
	} else if !d.ClosesAt.After(s.clock()) {
		p["closes_at"] = "Voting must close in the future."
	}
	return errs.Fields(p)
}

// StartDiscussion moves a draft to discussion: members see it and its
// voting times. Errors: errs.NotFound, errs.Forbidden (author, organisers),
// errs.Invalid (opens_at or closes_at missing or past), errs.Conflict (not a
// draft).
func (s *Service) StartDiscussion(ctx context.Context, id string) (*Decision, error) {
	return s.transition(ctx, id, "decision.discussion", func(d *Decision) error {
		if d.Status != StatusDraft {
			return errs.E(errs.Conflict, "Only a draft can be opened for discussion.")
		}
		if err := s.scheduled(d); err != nil {
			return err
		}
		if needsOptions(d.Kind) && len(d.Options) < 2 {
			return errs.Fields(map[string]string{"options": "Give at least two options."})
		}
		return nil
	}, func(tx *db.Tx, d *Decision) error {
		return setStatus(ctx, tx, d.ID, StatusDiscussion, "", s.clock())
	})
}

// OpenNominations opens an election's nomination period (from draft or
// discussion); it ends when voting opens. Errors: errs.NotFound,
// errs.Forbidden, errs.Invalid (times), errs.Conflict (not an election, or
// past discussion).
func (s *Service) OpenNominations(ctx context.Context, id string) (*Decision, error) {
	return s.transition(ctx, id, "decision.nominations_opened", func(d *Decision) error {
		if d.Kind != KindElection {
			return errs.E(errs.Conflict, "Only elections have nominations.")
		}
		if d.Status != StatusDraft && d.Status != StatusDiscussion {
			return errs.E(errs.Conflict, "Nominations open only before voting.")
		}
		return s.scheduled(d)
	}, func(tx *db.Tx, d *Decision) error {
		return setStatus(ctx, tx, d.ID, StatusNominations, "", s.clock())
	})
}

// Withdraw ends a decision before its close; nothing is counted. Errors:
// errs.NotFound, errs.Forbidden (author, organisers), errs.Conflict (closed,
// past its closing time, or already withdrawn).
func (s *Service) Withdraw(ctx context.Context, id string) (*Decision, error) {
	return s.transition(ctx, id, "decision.withdrawn", func(d *Decision) error {
		if d.Closed() || d.Status == StatusWithdrawn || (d.Status == StatusVoting && !s.clock().Before(d.ClosesAt)) {
			return errs.E(errs.Conflict, "This decision can no longer be withdrawn: voting has closed.")
		}
		return nil
	}, func(tx *db.Tx, d *Decision) error {
		// Sealed ballots will never be counted: drop them.
		if err := deleteSealed(ctx, tx, d.ID); err != nil {
			return err
		}
		return setStatus(ctx, tx, d.ID, StatusWithdrawn, "", s.clock())
	})
}

const maxOutcomeLen = 10000

// Record says how openly a published decision's record is kept: for those
// who could see the decision (MembersRecord, the default) or for everyone
// (PublicRecord: the decision log, its Atom feed and the open data show it
// to anyone, signed in or not).
type Record bool

// The two choices of Record.
const (
	MembersRecord Record = false
	PublicRecord  Record = true
)

// Publish publishes a closed decision's results with the author's or an
// organiser's outcome statement; record (at most one; default
// MembersRecord) says whether its record is published openly. Errors:
// errs.NotFound, errs.Forbidden, errs.Invalid (no statement), errs.Conflict
// (not closed).
func (s *Service) Publish(ctx context.Context, id, statement string, record ...Record) (*Decision, error) {
	statement = strings.TrimSpace(statement)
	if statement == "" || utf8.RuneCountInString(statement) > maxOutcomeLen {
		return nil, errs.Fields(map[string]string{"outcome": fmt.Sprintf("Write the outcome statement (at most %d characters).", maxOutcomeLen)})
	}
	open := len(record) > 0 && record[0] == PublicRecord
	return s.transition(ctx, id, "decision.published", func(d *Decision) error {
		if d.Status != StatusClosed {
			return errs.E(errs.Conflict, "Only a closed decision can be published.")
		}
		return nil
	}, func(tx *db.Tx, d *Decision) error {
		now := s.clock()
		if _, err := tx.Exec(ctx, `UPDATE decisions SET outcome = ?, public_record = ? WHERE id = ?`, statement, open, d.ID); err != nil {
			return fmt.Errorf("publish %s: %w", d.ID, err)
		}
		return setStatus(ctx, tx, d.ID, StatusPublished, "published_at", now)
	})
}

// errArchived is what every change to an archived group's decisions gets
// (issue 13).
func errArchived() error {
	return errs.E(errs.Conflict, "This group is archived: its decisions are kept as a record, read-only.")
}

// groupWritable refuses a new decision in an archived group ("" is the
// network: always writable). An unknown group is left to the insert's
// foreign key.
func groupWritable(ctx context.Context, q db.Querier, groupID string) error {
	if groupID == "" {
		return nil
	}
	var status string
	err := q.QueryRow(ctx, `SELECT status FROM groups WHERE id = ?`, groupID).Scan(&status)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("group of decision: %w", err)
	}
	if status == "archived" {
		return errArchived()
	}
	return nil
}

// when formats a time for the messages voters read, in the network's zone
// and saying which (issue 16: one format with the ballot page's).
func (s *Service) when(t time.Time) string { return web.DateTime(t, s.zone) }
