package decisions

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// BatchMin is the least number of sealed ballots the job moves into a
// decision's ballot box at once (the close moves whatever is left). Someone
// who reads the database while voting is open can tell in which batch a
// ballot arrived (on PostgreSQL, its xmin), so a batch is the smallest
// crowd a ballot hides in: ten makes a guess within it right one time in
// ten, while ballots wait sealed for at most the time ten votes take.
const BatchMin = 10

// pendingBallot is what a sealed row holds: the ballot's receipt hash and
// content, and the receipt hash of the ballot it replaces (a changed
// vote), which may be in the box or still sealed.
type pendingBallot struct {
	Hash     string `json:"h"`
	Content  string `json:"c"`
	Replaces string `json:"r,omitempty"`
}

// insertSealed stores a secret ballot sealed, to wait for the ballot box.
func (s *Service) insertSealed(ctx context.Context, q db.Querier, decisionID string, b pendingBallot) error {
	plain, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("seal ballot: %w", err)
	}
	plain = pad(plain)
	id := newBallotID()
	if _, err := q.Exec(ctx, `INSERT INTO decision_sealed (id, decision_id, sealed) VALUES (?, ?, ?)`,
		id, decisionID, s.key.seal(decisionID, id, plain)); err != nil {
		return fmt.Errorf("seal ballot: %w", err)
	}
	return nil
}

// sealedSize is the least size of a sealed ballot's plain text. A sealed
// row shares its voter row's xmin on PostgreSQL, so its length must say
// nothing of the ballot: "agree" and "disagree", one preference or five,
// all seal to the same length. Longer ones (a proposal's reason) are
// padded to a power of two, so only the reason's rough size shows.
const sealedSize = 512

// pad fills plain with spaces (JSON ignores them) to sealedSize or the
// next power of two.
func pad(plain []byte) []byte {
	size := sealedSize
	for size < len(plain) {
		size *= 2
	}
	return append(plain, bytes.Repeat([]byte{' '}, size-len(plain))...)
}

// countSealed is how many ballots of a decision wait sealed.
func countSealed(ctx context.Context, q db.Querier, decisionID string) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM decision_sealed WHERE decision_id = ?`, decisionID).Scan(&n); err != nil {
		return 0, fmt.Errorf("sealed ballots of %s: %w", decisionID, err)
	}
	return n, nil
}

// decisionsWithSealed lists the decisions open for voting with at least
// least sealed ballots.
func decisionsWithSealed(ctx context.Context, q db.Querier, least int) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT s.decision_id FROM decision_sealed s JOIN decisions d ON d.id = s.decision_id
		WHERE d.status = ? GROUP BY s.decision_id HAVING COUNT(*) >= ?`, StatusVoting, least)
	if err != nil {
		return nil, fmt.Errorf("sealed ballots: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sealed ballots: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// moveSealed opens a decision's sealed ballots and moves them into its
// ballot box, in a random order, deleting the sealed rows and the ballots
// that changed votes replace, and records "N ballots cast" in the audit
// log, all in tx. It does nothing while fewer than least wait. The caller
// holds the decision's write lock, so no vote adds to them meanwhile.
func (s *Service) moveSealed(ctx context.Context, tx *db.Tx, decisionID string, least int) (int, error) {
	if n, err := countSealed(ctx, tx, decisionID); err != nil || n == 0 || n < least {
		return 0, err
	}
	rows, err := tx.Query(ctx, `SELECT id, sealed FROM decision_sealed WHERE decision_id = ?`, decisionID)
	if err != nil {
		return 0, fmt.Errorf("sealed ballots of %s: %w", decisionID, err)
	}
	var ids []string
	var pending []pendingBallot
	for rows.Next() {
		var id, sealed string
		if err := rows.Scan(&id, &sealed); err != nil {
			rows.Close()
			return 0, fmt.Errorf("sealed ballots of %s: %w", decisionID, err)
		}
		plain, err := s.key.open(decisionID, id, sealed)
		if err != nil {
			rows.Close()
			return 0, err
		}
		var p pendingBallot
		if err := json.Unmarshal(plain, &p); err != nil {
			rows.Close()
			return 0, fmt.Errorf("sealed ballot %s: %w", id, err)
		}
		ids, pending = append(ids, id), append(pending, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("sealed ballots of %s: %w", decisionID, err)
	}
	// A voter's changes form a chain (each code is derived from the one
	// before, so none comes round again): what a change replaces either
	// waits here too, and is dropped, or is in the box, and is deleted.
	replaced := map[string]bool{}
	for _, p := range pending {
		if p.Replaces != "" {
			replaced[p.Replaces] = true
		}
	}
	var in []storedBallot
	var gone []any
	for _, p := range pending {
		if !replaced[p.Hash] {
			in = append(in, storedBallot{ID: newBallotID(), Hash: p.Hash, Content: p.Content})
		}
	}
	for h := range replaced {
		gone = append(gone, h)
	}
	shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
	// On SQLite the deletes below zero what they free (db.SQLiteDSN turns
	// secure_delete on), so the sealed rows and replaced ballots are not
	// left in the file.
	for start := 0; start < len(gone); start += 500 {
		part := gone[start:min(start+500, len(gone))]
		if _, err := tx.Exec(ctx, `DELETE FROM decision_ballots WHERE decision_id = ? AND receipt_hash IN (?`+
			strings.Repeat(", ?", len(part)-1)+`)`, append([]any{decisionID}, part...)...); err != nil {
			return 0, fmt.Errorf("move ballots of %s: %w", decisionID, err)
		}
	}
	if err := insertBallots(ctx, tx, decisionID, in); err != nil {
		return 0, err
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := []any{decisionID}
		for _, id := range part {
			args = append(args, id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM decision_sealed WHERE decision_id = ? AND id IN (?`+
			strings.Repeat(", ?", len(part)-1)+`)`, args...); err != nil {
			return 0, fmt.Errorf("move ballots of %s: %w", decisionID, err)
		}
	}
	// The audit log says that people voted, per batch: no voter and no time
	// finer than the batch's.
	if err := audit.Record(ctx, tx, "decision.ballots_cast", "decision", decisionID,
		map[string]any{"ballots": len(pending), "changes": len(replaced)}); err != nil {
		return 0, err
	}
	return len(pending), nil
}

// deleteSealed drops a decision's sealed ballots (it was withdrawn: they
// will never be counted).
func deleteSealed(ctx context.Context, q db.Querier, decisionID string) error {
	if _, err := q.Exec(ctx, `DELETE FROM decision_sealed WHERE decision_id = ?`, decisionID); err != nil {
		return fmt.Errorf("sealed ballots of %s: %w", decisionID, err)
	}
	return nil
}

// vacuumBallots asks PostgreSQL to reclaim the dead row versions a move or
// a close leaves (deleted sealed rows, ballots rewritten in a new order),
// so they are gone from the tables' pages rather than waiting for
// autovacuum. VACUUM cannot run in a transaction, so it runs after the
// commit; a failure is logged, not returned: the rows are already dead.
func (s *Service) vacuumBallots(ctx context.Context) {
	if s.db.Dialect != db.Postgres {
		return
	}
	if _, err := s.db.Exec(context.WithoutCancel(ctx), `VACUUM decision_sealed, decision_ballots`); err != nil {
		s.log.Warn("vacuum of ballots failed", "err", err)
	}
}

// CheckBallotKey refuses to start with a ballot key other than the one this
// database's ballots were sealed and hashed with. The database records
// which key that is at the first vote (pinBallotKey), not at start, so a
// command run elsewhere against the same database (`momentum user
// create-admin` with only MOMENTUM_DATABASE_URL set, say) cannot pin a key
// file the servers do not have. Errors: a plain error naming the cause, for
// the operator.
func (s *Service) CheckBallotKey(ctx context.Context) error {
	var stored string
	err := s.db.QueryRow(ctx, `SELECT key_check FROM decision_ballot_key WHERE id = 1`).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // no ballot yet: the first vote records the key
	}
	if err != nil {
		return fmt.Errorf("ballot key: %w", err)
	}
	if stored != s.key.check() {
		return errWrongBallotKey
	}
	s.keyPinned.Store(true)
	return nil
}

var errWrongBallotKey = errors.New("ballot key: this node's key file is not the one this database's ballots were sealed with: " +
	"give every node the same key file (MOMENTUM_BALLOT_KEY_FILE); if the old one is lost, sealed ballots and " +
	"receipt checks of past decisions are lost with it")

// pinBallotKey records, in the vote's transaction, which key this
// database's ballots are sealed and hashed with, or refuses the vote when
// another node recorded a different one: a ballot sealed with a key the
// other nodes lack could never be opened. Once seen to match, the record
// cannot change, so each process checks it once.
func (s *Service) pinBallotKey(ctx context.Context, q db.Querier) error {
	if s.keyPinned.Load() {
		return nil
	}
	check := s.key.check()
	if _, err := q.Exec(ctx, `INSERT INTO decision_ballot_key (id, key_check) VALUES (1, ?) ON CONFLICT DO NOTHING`, check); err != nil {
		return fmt.Errorf("ballot key: %w", err)
	}
	var stored string
	if err := q.QueryRow(ctx, `SELECT key_check FROM decision_ballot_key WHERE id = 1`).Scan(&stored); err != nil {
		return fmt.Errorf("ballot key: %w", err)
	}
	if stored != check {
		s.log.Error(errWrongBallotKey.Error())
		return errWrongBallotKey
	}
	s.keyPinned.Store(true)
	return nil
}

// MoveBallots is the job's work: it moves the sealed ballots of every
// decision open for voting that holds at least BatchMin of them into its
// ballot box, and says how many it moved. One that fails is logged and left
// for the next run. Errors: errs.Forbidden (the system and admins), and a
// failure to list them.
func (s *Service) MoveBallots(ctx context.Context) (int, error) {
	if err := s.can(ctx, ActAdvance, &Decision{}); err != nil {
		return 0, err
	}
	ids, err := decisionsWithSealed(ctx, s.db.Q(), BatchMin)
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, id := range ids {
		n := 0
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			d, err := getDecision(ctx, tx, id, writeLock)
			if err != nil {
				return notFound(err)
			}
			if d.Status != StatusVoting {
				return nil // the close moves what is left
			}
			n, err = s.moveSealed(ctx, tx, d.ID, BatchMin)
			return err
		})
		if err != nil && !errs.Is(err, errs.NotFound) {
			s.log.Error("ballots not moved", "decision", id, "err", err)
			continue
		}
		moved += n
	}
	if moved > 0 {
		s.vacuumBallots(ctx)
	}
	return moved, nil
}
