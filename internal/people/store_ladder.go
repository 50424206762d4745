package people

import (
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// ladderExpr is the one definition of the engagement ladder, as SQL over
// people aliased p, with one placeholder: the start of the active window.
// The highest rung that holds wins:
//
//	organiser  an active organiser of any group
//	active     took part (a participation action) in the last 90 days
//	member     membership status member
//	donor      gave money at least once
//	supporter  everyone else
const ladderExpr = `CASE
	WHEN EXISTS (SELECT 1 FROM group_members gm WHERE gm.person_id = p.id AND gm.role = 'organiser' AND gm.status = 'active') THEN 'organiser'
	WHEN p.last_active_at >= ? THEN 'active'
	WHEN p.membership_status = 'member' THEN 'member'
	WHEN EXISTS (SELECT 1 FROM donations d WHERE d.person_id = p.id) THEN 'donor'
	ELSE 'supporter' END`

// ladderChange is a person whose rung is out of date.
type ladderChange struct{ id, from, to string }

// staleLadders lists the people matching where (conditions on p, with
// args) whose stored rung differs from the computed one.
func staleLadders(ctx context.Context, q db.Querier, now time.Time, where string, args ...any) ([]ladderChange, error) {
	cutoff := now.Add(-ActiveWindow)
	rows, err := q.Query(ctx, `SELECT id, ladder, rung FROM (SELECT p.id, p.ladder, `+ladderExpr+` AS rung
		FROM people p WHERE `+where+`) x WHERE ladder <> rung ORDER BY id`, append([]any{cutoff}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("ladders: %w", err)
	}
	defer rows.Close()
	var out []ladderChange
	for rows.Next() {
		var c ladderChange
		if err := rows.Scan(&c.id, &c.from, &c.to); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// applyLadders stores new rungs and puts each move on the person's
// timeline ("ladder.changed", "supporter → donor"), so the movement
// between rungs can be seen.
func applyLadders(ctx context.Context, tx *db.Tx, now time.Time, cs []ladderChange) error {
	for _, c := range cs {
		if _, err := tx.Exec(ctx, `UPDATE people SET ladder = ? WHERE id = ?`, c.to, c.id); err != nil {
			return fmt.Errorf("set ladder: %w", err)
		}
		err := insertAction(ctx, tx, Action{ID: db.NewID(), PersonID: c.id, Kind: "ladder.changed",
			Summary: c.from + " → " + c.to, At: now})
		if err != nil {
			return err
		}
	}
	return nil
}

// refreshLadder recomputes one person's rung inside tx.
func refreshLadder(ctx context.Context, tx *db.Tx, now time.Time, personID string) error {
	cs, err := staleLadders(ctx, tx, now, "p.id = ?", personID)
	if err != nil {
		return err
	}
	return applyLadders(ctx, tx, now, cs)
}

func insertAction(ctx context.Context, tx *db.Tx, a Action) error {
	_, err := tx.Exec(ctx, `INSERT INTO person_actions (id, person_id, at, kind, summary, ref_type, ref_id, group_id, participation)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.PersonID, a.At, a.Kind, a.Summary, a.RefType, a.RefID, nullStr(a.GroupID), a.Participation)
	if err != nil {
		return fmt.Errorf("record action %s: %w", a.Kind, err)
	}
	return nil
}

const actionCols = `id, person_id, at, kind, summary, ref_type, ref_id, COALESCE(group_id, ''), participation`

func queryActions(ctx context.Context, q db.Querier, query string, args ...any) ([]Action, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		if err := rows.Scan(&a.ID, &a.PersonID, &a.At, &a.Kind, &a.Summary, &a.RefType, &a.RefID, &a.GroupID, &a.Participation); err != nil {
			return nil, err
		}
		a.At = a.At.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}
