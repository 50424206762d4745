package peopleio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// The web wizard's import runs as a job: Stage keeps the uploaded file in
// the data folder (<dir>/<run id>.csv, with the options the run's row has
// no column for in <run id>.json), records the run as pending and queues
// ImportArgs in the same transaction. The worker imports the file with the
// run's options; if the node dies, River runs the job again and the import
// carries on from the run's last batch: a node that starts (or any node,
// within a minute) runs it again at once (jobs.RescueDead). The files are
// deleted once the run is done. While the run is pending or running the
// same file cannot be staged again for the same group (UnderWayError).
//
// The folder is local to a node: with several nodes on PostgreSQL it must
// be shared (or the files move to the database, which needs a migration).

// ImportArgs is the job that imports a staged file.
type ImportArgs struct {
	RunID string `json:"run_id"`
}

// Kind is River's name for the job.
func (ImportArgs) Kind() string { return "people.import" }

// InsertOpts: a failed import is tried a few times, each try resuming.
func (ImportArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

// ImportWorker runs staged imports.
type ImportWorker struct {
	river.WorkerDefaults[ImportArgs]
	im *Importer
}

// NewImportWorker returns the worker for ImportArgs.
func NewImportWorker(im *Importer) *ImportWorker { return &ImportWorker{im: im} }

// RegisterJobs registers the import worker; app calls it once every service
// exists, before the jobs start.
func (im *Importer) RegisterJobs(j *jobs.Jobs) error {
	river.AddWorker(j.Workers(), NewImportWorker(im))
	// A run whose job is cancelled, or given up, with no worker to see it
	// (its node died) is marked failed.
	j.OnEnded(ImportArgs{}.Kind(), im.JobEnded)
	return nil
}

// Timeout lets a big file take its time (about 15 s per 100,000 rows here).
func (w *ImportWorker) Timeout(*river.Job[ImportArgs]) time.Duration { return 2 * time.Hour }

// staged is what Stage keeps beside the file.
type staged struct {
	Source         string `json:"source,omitempty"`
	ConsentWording string `json:"consent_wording,omitempty"`
}

// Stage stores an uploaded file and queues its import; the wizard then
// follows the run (Run). The file is refused at once if it is not CSV.
// Options.DryRun, Progress, BatchSize and RunID are ignored.
//
// Errors: errs.Invalid (not CSV, bad mapping or tags), errs.Forbidden,
// errs.Conflict (wrapping an *UnderWayError) while a job imports the same
// file for the same group.
func (im *Importer) Stage(ctx context.Context, src io.Reader, o Options) (*Run, error) {
	if err := im.can(ctx, o.GroupID); err != nil {
		return nil, err
	}
	if err := o.normalize(); err != nil {
		return nil, err
	}
	run := &Run{ID: db.NewID(), FileName: o.FileName, Status: StatusPending, Tags: o.Tags,
		CreatedBy: actorID(ctx), GroupID: o.GroupID}
	path, err := im.keep(run, src)
	if err != nil {
		return nil, err
	}
	keepOK := false
	defer func() {
		if !keepOK {
			os.Remove(path)
			os.Remove(sidecar(path))
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("stage import: %w", err)
	}
	dec, err := peoplecsv.NewDecoder(f, o.Mapping)
	f.Close()
	if err != nil {
		return nil, formatErr(err, o.FileName)
	}
	defs, err := customKinds(ctx, im.db.Q())
	if err != nil {
		return nil, err
	}
	if err := checkCustomColumns(dec.Mapping(), defs); err != nil {
		return nil, err
	}
	js, _ := json.Marshal(staged{Source: o.Source, ConsentWording: o.ConsentWording})
	if err := os.WriteFile(sidecar(path), js, 0o600); err != nil {
		return nil, fmt.Errorf("stage import: %w", err)
	}
	run.Mapping = dec.Mapping().Spec()
	run.StartedAt = im.now()
	run.UpdatedAt = run.StartedAt
	var busy *Run
	err = im.db.InTx(ctx, func(tx *db.Tx) error {
		if busy, err = activeRun(ctx, tx, run.SHA256, run.GroupID); err != nil || busy != nil {
			return err
		}
		if run.JobID, err = im.jobs.InsertTx(ctx, tx, ImportArgs{RunID: run.ID}, nil); err != nil {
			return err
		}
		if err := insertRun(ctx, tx, run); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "people.import_staged", "import_run", run.ID, map[string]any{"rows": run.Total, "group_id": run.GroupID})
	})
	if errors.Is(err, errUnderWay) { // staged on another node at the same moment
		if busy, err = activeRun(ctx, im.db.Q(), run.SHA256, run.GroupID); err == nil && busy == nil {
			err = errs.E(errs.Conflict, "This file was being imported a moment ago: try again.")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("stage import: %w", err)
	}
	if busy != nil {
		return nil, underWay(busy)
	}
	keepOK = true
	return run, nil
}

// keep copies src into the staging folder, hashing it and counting lines.
func (im *Importer) keep(run *Run, src io.Reader) (string, error) {
	if err := os.MkdirAll(im.dir, 0o700); err != nil {
		return "", fmt.Errorf("stage import: %w", err)
	}
	path := filepath.Join(im.dir, run.ID+".csv")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("stage import: %w", err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", fmt.Errorf("stage import: store the file: %w", err)
	}
	run.SHA256 = hex.EncodeToString(h.Sum(nil))
	rf, err := os.Open(path)
	if err == nil {
		_, run.Total, err = fingerprint(rf)
		run.Total = max(run.Total-1, 0)
		rf.Close()
	}
	return path, err
}

func sidecar(csvPath string) string { return csvPath[:len(csvPath)-len(".csv")] + ".json" }

// Run returns an import run, for the wizard's progress page. Admins, and
// the organisers of the run's group.
//
// Errors: errs.NotFound, errs.Forbidden.
func (im *Importer) Run(ctx context.Context, id string) (*Run, error) {
	r, err := getRun(ctx, im.db.Q(), id)
	if db.IsNotFound(err) {
		return nil, errs.E(errs.NotFound, "There is no such import.")
	}
	if err != nil {
		return nil, err
	}
	if err := im.can(ctx, r.GroupID); err != nil {
		return nil, err
	}
	return r, nil
}

// Runs lists imports, newest first, a page at a time (runs older than the
// run before; limit at most 100, default 20): those of one group for its
// organisers, or, with groupID empty, every import of the network, for
// admins.
//
// Errors: errs.Forbidden.
func (im *Importer) Runs(ctx context.Context, groupID, before string, limit int) ([]Run, error) {
	if err := im.can(ctx, groupID); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 20
	}
	return listRuns(ctx, im.db.Q(), groupID, groupID == "", before, min(limit, 100))
}

// Work imports a staged file, resuming the run where it stopped.
func (w *ImportWorker) Work(ctx context.Context, job *river.Job[ImportArgs]) error {
	im := w.im
	run, err := getRun(ctx, im.db.Q(), job.Args.RunID)
	if db.IsNotFound(err) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if run.Status == StatusDone || run.Status == StatusFailed {
		return nil // ran already: a job may run twice
	}
	path := filepath.Join(im.dir, run.ID+".csv")
	var extra staged
	if js, err := os.ReadFile(sidecar(path)); err == nil {
		_ = json.Unmarshal(js, &extra)
	}
	m, err := peoplecsv.ParseMapping(run.Mapping)
	if err != nil {
		return river.JobCancel(err)
	}
	// The job acts for the system (permission was checked when the file
	// was staged); the audit log names the person who staged it.
	ctx = auth.WithSystem(ctx)
	ctx = reqctx.WithActor(ctx, reqctx.Actor{ID: run.CreatedBy, Label: "import job"})
	_, err = im.ImportFile(ctx, path, Options{FileName: run.FileName, Tags: run.Tags, Mapping: &m, GroupID: run.GroupID,
		RunID: run.ID, Source: extra.Source, ConsentWording: extra.ConsentWording})
	if errs.Is(err, errs.Invalid) { // the stored file cannot be read: trying again will not help
		_ = setStatus(ctx, im.db.Q(), run.ID, StatusFailed, im.now())
		return river.JobCancel(err)
	}
	if err != nil {
		// Cancelled by an admin, or the last attempt: no one will finish
		// the run, so it is failed (and the file may be imported again).
		if errors.Is(context.Cause(ctx), river.ErrJobCancelledRemotely) || job.Attempt >= job.MaxAttempts {
			_ = stopRun(context.WithoutCancel(ctx), im.db.Q(), run.ID, im.now())
		}
		return err
	}
	os.Remove(path)
	os.Remove(sidecar(path))
	return nil
}

// formatErr turns a *peoplecsv.FormatError into errs.Invalid.
func formatErr(err error, fileName string) error {
	var fe *peoplecsv.FormatError
	if errors.As(err, &fe) {
		return &errs.Error{Code: errs.Invalid, Message: fe.Message, Err: fe}
	}
	return fmt.Errorf("import %s: %w", fileName, err)
}
