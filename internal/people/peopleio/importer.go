package peopleio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hook"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

// ActImport is importing people from a file: admins, and a group's
// organisers for their own group (Options.GroupID).
const ActImport auth.Action = "people.import"

// Rules are the importer's rows in the policy table; app adds them with
// policy.AddRules(peopleio.Rules()...).
func Rules() []auth.Rule {
	return []auth.Rule{{Action: ActImport, GroupRoles: []string{"organiser"},
		Refusal: "Only admins, and a group's organisers for their own group, can import people."}}
}

// DefaultBatchSize is how many rows one transaction imports. Larger
// batches write each index page touched once per batch rather than once
// per few rows (1,000,000 rows on SQLite: 12,100 rows/s with batches of
// 5,000, 13,300 with 20,000); a batch of 20,000 holds SQLite's write lock
// for one to two seconds, which other writers wait out.
const DefaultBatchSize = 20000

// maxErrors is how many rejected rows a run keeps, with their messages.
const maxErrors = 1000

// Options say how to import a file.
type Options struct {
	// FileName names the file in consent sources ("import: members.csv"),
	// the timeline and the run. Default "import.csv".
	FileName string
	// Tags are applied to every row imported.
	Tags []string
	// Mapping overrides the detected column mapping (whole or in part).
	Mapping *peoplecsv.Mapping
	// DryRun parses, validates and matches without writing anything: the
	// Result says what would be created, updated and rejected.
	DryRun bool
	// Source is where new people came from (source_detail) when a row has
	// no Source column; default the file name.
	Source string
	// ConsentWording is what the people in the file agreed to, word for
	// word, recorded with each consent the file grants or withdraws.
	ConsentWording string
	// GroupID makes this an organiser's import for their group: see
	// Importer.Import.
	GroupID string
	// Progress, when set, is called after each batch with the rows done
	// and an estimate of the total.
	Progress func(done, total int)
	// BatchSize is the rows per transaction (default DefaultBatchSize).
	BatchSize int
	// RunID resumes this run (the job worker sets it).
	RunID string
}

// Result is what an import did (or, in a dry run, would do). After a
// resumed run it counts the whole run, before the interruption too.
type Result struct {
	RunID                      string
	Created, Updated, Rejected int
	// Errors are the rejected rows, the first 1,000, in file order.
	Errors []RowError
	// Rows is how many rows were read (blank and rejected ones included).
	Rows int
	// Resumed is true when the import carried on an interrupted run.
	Resumed bool
}

// RowError is a rejected row: its line in the file and what is wrong.
type RowError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Importer imports people from CSV files, and runs the import job of the
// web wizard.
type Importer struct {
	db     *db.DB
	policy *auth.Policy
	log    *slog.Logger
	now    func() time.Time
	groups people.GroupJoiner
	jobs   *jobs.Jobs
	dir    string
}

// Deps is everything the Importer needs. Every field is required but Log
// and Now.
type Deps struct {
	DB     *db.DB
	Policy *auth.Policy
	Log    *slog.Logger     // default slog.Default()
	Now    func() time.Time // default db.Now; tests move time by hand
	// Groups makes every person an organiser's import names a member of
	// Options.GroupID (the groups service).
	Groups people.GroupJoiner
	// Jobs queues the import job of the web wizard (Stage).
	Jobs *jobs.Jobs
	// Dir keeps staged files until their job has run.
	Dir string
}

// New returns an Importer, or an error naming the missing collaborators.
func New(d Deps) (*Importer, error) {
	if err := hook.Need("peopleio.New", "DB", d.DB, "Policy", d.Policy, "Groups", d.Groups, "Jobs", d.Jobs); err != nil {
		return nil, err
	}
	if d.Dir == "" {
		return nil, errors.New("peopleio.New: missing Dir")
	}
	im := &Importer{db: d.DB, policy: d.Policy, log: d.Log, now: d.Now, groups: d.Groups, jobs: d.Jobs, dir: d.Dir}
	if im.log == nil {
		im.log = slog.Default()
	}
	if im.now == nil {
		im.now = db.Now
	}
	return im, nil
}

// ImportFile imports the CSV file at path; FileName defaults to its base name.
func (im *Importer) ImportFile(ctx context.Context, path string, o Options) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &errs.Error{Code: errs.Invalid, Message: fmt.Sprintf("Cannot read %s: %v.", path, errors.Unwrap(err)), Err: err}
	}
	defer f.Close()
	if o.FileName == "" {
		o.FileName = filepath.Base(path)
	}
	return im.Import(ctx, f, o)
}

// Import reads people from a CSV file and merges them into the network:
// new people are created; people who exist (matched by email address, then
// phone number, then — for rows with neither — by name and postcode) get
// what they lack (see merger). Bad rows are rejected and listed with their
// lines; the rest go in. It works in batches of one transaction each, and
// records its progress in import_runs with every batch, so a run that is
// stopped part-way (killed, crashed, cancelled) carries on where it
// stopped when the same file is imported again. Importing a file twice
// creates nothing the second time.
//
// The run is audited once ("people.import", with counts). With GroupID set
// it is a group's import: allowed to that group's organisers (and admins),
// it changes no consent or membership of people who existed, and, with the
// groups capability wired in (Deps.Groups), makes everyone its rows name
// a member of the group.
//
// Errors: errs.Invalid for a file that is not CSV (wrapping a
// *peoplecsv.FormatError) or bad options; errs.Forbidden; others are
// internal, and the run can be resumed.
func (im *Importer) Import(ctx context.Context, src io.ReadSeeker, o Options) (*Result, error) {
	if err := im.can(ctx, o.GroupID); err != nil {
		return nil, err
	}
	if err := o.normalize(); err != nil {
		return nil, err
	}
	sha, lines, err := fingerprint(src)
	if err != nil {
		return nil, err
	}
	dec, err := peoplecsv.NewDecoder(src, o.Mapping)
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
	run := &Run{FileName: o.FileName, Total: max(lines-1, 0)}
	if !o.DryRun {
		if run, err = im.startRun(ctx, sha, max(lines-1, 0), dec.Mapping(), &o); err != nil {
			return nil, err
		}
	}
	res := &Result{RunID: run.ID, Resumed: run.Processed > 0}
	if err := dec.Skip(run.Processed); err != nil {
		return nil, fmt.Errorf("import %s: skip the rows already imported: %w", o.FileName, err)
	}
	if err := im.importRows(ctx, dec, defs, &o, run); err != nil {
		return nil, formatErr(err, o.FileName) // a row too long to read is the file's fault
	}
	if !o.DryRun {
		if err := im.finishRun(ctx, run, res.Resumed); err != nil {
			return nil, err
		}
	}
	res.Created, res.Updated, res.Rejected, res.Rows = run.Created, run.Updated, run.Rejected, run.Processed
	res.Errors = run.Errors
	return res, nil
}

func (im *Importer) can(ctx context.Context, groupID string) error {
	return im.policy.Can(ctx, auth.PrincipalFrom(ctx), ActImport, auth.Resource{Kind: "people_import", GroupID: groupID})
}

func (o *Options) normalize() error {
	if o.FileName == "" {
		o.FileName = "import.csv"
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	var tags []string
	seen := map[string]bool{}
	for _, t := range o.Tags {
		t = strings.Join(strings.Fields(t), " ")
		switch {
		case t == "":
			continue
		case utf8.RuneCountInString(t) > 100 || !utf8.ValidString(t):
			return errs.Fields(map[string]string{"tags": fmt.Sprintf("The tag %.40q… is longer than 100 characters.", t)})
		case !seen[tagKey(t)]:
			seen[tagKey(t)] = true
			tags = append(tags, t)
		}
	}
	o.Tags = tags
	return nil
}

// startRun resumes the unfinished run of this file (same options), or
// records a new one.
func (im *Importer) startRun(ctx context.Context, sha string, total int, m peoplecsv.Mapping, o *Options) (*Run, error) {
	var run *Run
	now := im.now()
	err := im.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if o.RunID != "" {
			run, err = getRun(ctx, tx, o.RunID)
		} else if run, err = activeRun(ctx, tx, sha, o.GroupID); err == nil && run != nil {
			return underWay(run) // a job is importing this file: not beside it
		} else if err == nil {
			run, err = unfinishedRun(ctx, tx, sha, o.GroupID)
		}
		if err != nil {
			return err
		}
		if o.RunID != "" && run.SHA256 != sha {
			return errs.E(errs.Invalid, "The stored file of this import has changed since it was uploaded.")
		}
		if run != nil && (o.RunID != "" || sameOptions(run, m, o)) {
			if run.Status == StatusDone || run.Status == StatusFailed {
				return errs.E(errs.Conflict, "This import has already finished.")
			}
			return setStatus(ctx, tx, run.ID, StatusRunning, now)
		}
		if run != nil { // the same file with other options: start afresh
			if err := setStatus(ctx, tx, run.ID, StatusFailed, now); err != nil {
				return err
			}
		}
		run = &Run{ID: db.NewID(), FileName: o.FileName, SHA256: sha, Status: StatusRunning, Mapping: m.Spec(),
			Tags: o.Tags, Total: total, CreatedBy: actorID(ctx), GroupID: o.GroupID, StartedAt: now, UpdatedAt: now}
		return insertRun(ctx, tx, run)
	})
	if err != nil {
		return nil, fmt.Errorf("start import of %s: %w", o.FileName, err)
	}
	return run, nil
}

func actorID(ctx context.Context) string {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return p.UserID
	}
	return ""
}
