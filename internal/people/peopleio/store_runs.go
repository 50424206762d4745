package peopleio

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Run is one import of a file, as import_runs records it. A run that was
// stopped part-way (status running) carries on from Processed when the same
// file is imported again.
type Run struct {
	ID       string
	FileName string
	SHA256   string
	// Status is pending (stored, waiting for its job), running, done or failed.
	Status string
	// Mapping is the column mapping as header → field (peoplecsv.Mapping.Spec).
	Mapping map[string]string
	Tags    []string
	// Total is an estimate (the file's line count) for progress; Processed
	// counts rows read, blank and rejected ones included.
	Total, Processed           int
	Created, Updated, Rejected int
	// Errors are the first maxErrors rejected rows.
	Errors    []RowError
	CreatedBy string
	GroupID   string
	// JobID is the job that runs a run the wizard staged; 0 for the
	// command line's runs.
	JobID      int64
	StartedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// Run statuses.
const (
	StatusPending = "pending"
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

const runCols = `id, file_name, file_sha256, status, mapping, tags, total_rows, processed_rows, created_count,
	updated_count, rejected_count, errors, COALESCE(created_by, ''), COALESCE(group_id, ''), started_at, updated_at, finished_at, COALESCE(job_id, 0)`

func scanRun(row interface{ Scan(...any) error }) (*Run, error) {
	var r Run
	var mapping, tags, errs string
	var finished sql.NullTime
	err := row.Scan(&r.ID, &r.FileName, &r.SHA256, &r.Status, &mapping, &tags, &r.Total, &r.Processed, &r.Created,
		&r.Updated, &r.Rejected, &errs, &r.CreatedBy, &r.GroupID, &r.StartedAt, &r.UpdatedAt, &finished, &r.JobID)
	if err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(mapping), &r.Mapping)
	_ = json.Unmarshal([]byte(tags), &r.Tags)
	_ = json.Unmarshal([]byte(errs), &r.Errors)
	r.StartedAt, r.UpdatedAt = r.StartedAt.UTC(), r.UpdatedAt.UTC()
	if finished.Valid {
		t := finished.Time.UTC()
		r.FinishedAt = &t
	}
	return &r, nil
}

// getRun reads one run.
func getRun(ctx context.Context, q db.Querier, id string) (*Run, error) {
	r, err := scanRun(q.QueryRow(ctx, `SELECT `+runCols+` FROM import_runs WHERE id = ?`, id))
	if err != nil {
		return nil, db.NotFound(err, "import run "+id)
	}
	return r, nil
}

// unfinishedRun finds the latest run of this file, for this group, that
// the command line started and did not finish: the one a new import of the
// file resumes. nil when none. (A run with a job is its job's to finish.)
func unfinishedRun(ctx context.Context, q db.Querier, sha, groupID string) (*Run, error) {
	r, err := scanRun(q.QueryRow(ctx, `SELECT `+runCols+` FROM import_runs
		WHERE file_sha256 = ? AND status = 'running' AND COALESCE(group_id, '') = ? AND job_id IS NULL
		ORDER BY started_at DESC, id DESC LIMIT 1`, sha, groupID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find unfinished import: %w", err)
	}
	return r, nil
}

// activeRun finds the run of this file, for this group, that a job has
// under way (pending or running; import_runs_one_active allows one), or
// nil.
func activeRun(ctx context.Context, q db.Querier, sha, groupID string) (*Run, error) {
	r, err := scanRun(q.QueryRow(ctx, `SELECT `+runCols+` FROM import_runs
		WHERE file_sha256 = ? AND COALESCE(group_id, '') = ? AND job_id IS NOT NULL AND status IN ('pending', 'running')`,
		sha, groupID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find the import under way: %w", err)
	}
	return r, nil
}

// listRuns returns runs newest first: of one group, or of every group when
// all is set; before pages (an id).
func listRuns(ctx context.Context, q db.Querier, groupID string, all bool, before string, limit int) ([]Run, error) {
	query := `SELECT ` + runCols + ` FROM import_runs WHERE 1 = 1`
	var args []any
	if !all {
		query += ` AND COALESCE(group_id, '') = ?`
		args = append(args, groupID)
	}
	if before != "" {
		query += ` AND id < ?`
		args = append(args, before)
	}
	query += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list imports: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list imports: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

func insertRun(ctx context.Context, q db.Querier, r *Run) error {
	mapping, _ := json.Marshal(r.Mapping)
	tags, _ := json.Marshal(nonNil(r.Tags))
	var jobID any
	if r.JobID != 0 {
		jobID = r.JobID
	}
	_, err := q.Exec(ctx, `INSERT INTO import_runs (id, file_name, file_sha256, status, mapping, tags, total_rows,
		processed_rows, created_by, group_id, started_at, updated_at, job_id) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
		r.ID, r.FileName, r.SHA256, r.Status, string(mapping), string(tags), r.Total, nullStr(r.CreatedBy),
		nullStr(r.GroupID), r.StartedAt, r.UpdatedAt, jobID)
	if db.IsUniqueViolation(err) {
		return errUnderWay
	}
	if err != nil {
		return fmt.Errorf("record import run: %w", err)
	}
	return nil
}

// saveProgress records a batch: the rows read so far, the counts and the
// errors. It is a compare-and-set on processed_rows, so two processes
// working on one run cannot both commit the same batch: the loser gets
// errBusy and its transaction rolls back.
func saveProgress(ctx context.Context, tx *db.Tx, r *Run, from int, now time.Time) error {
	errs, _ := json.Marshal(nonNil(r.Errors))
	res, err := tx.Exec(ctx, `UPDATE import_runs SET status = 'running', processed_rows = ?, created_count = ?,
		updated_count = ?, rejected_count = ?, errors = ?, total_rows = ?, updated_at = ?
		WHERE id = ? AND processed_rows = ? AND status IN ('pending', 'running')`,
		r.Processed, r.Created, r.Updated, r.Rejected, string(errs), r.Total, now, r.ID, from)
	if err != nil {
		return fmt.Errorf("record import progress: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errBusy
	}
	return nil
}

// stopRun fails a run its job will not finish, unless it is done already.
func stopRun(ctx context.Context, q db.Querier, id string, now time.Time) error {
	_, err := q.Exec(ctx, `UPDATE import_runs SET status = 'failed', updated_at = ?, finished_at = ?
		WHERE id = ? AND status IN ('pending', 'running')`, now, now, id)
	if err != nil {
		return fmt.Errorf("stop import run: %w", err)
	}
	return nil
}

// setStatus ends a run (done or failed) or marks it running.
func setStatus(ctx context.Context, q db.Querier, id, status string, now time.Time) error {
	var finished any
	if status == StatusDone || status == StatusFailed {
		finished = now
	}
	_, err := q.Exec(ctx, `UPDATE import_runs SET status = ?, updated_at = ?, finished_at = ? WHERE id = ?`,
		status, now, finished, id)
	if err != nil {
		return fmt.Errorf("set import run status: %w", err)
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
