package peopleio

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

// withJobs is the job client newImporter registered im's worker on; it is
// started by the caller and stopped when the test ends.
func withJobs(t *testing.T, _ *db.DB, im *Importer) *jobs.Jobs {
	t.Helper()
	return im.jobs
}

func waitRun(t *testing.T, im *Importer, id string) *Run {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, err := im.Run(system(), id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status == StatusDone || r.Status == StatusFailed || time.Now().After(deadline) {
			return r
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestStagedImportRunsAsAJobAndResumes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		j := withJobs(t, d, im)
		csv := genCSV(30) + "bad row,,nope@,,,,\n"
		run, err := im.Stage(system(), strings.NewReader(csv), Options{FileName: "wizard.csv", Tags: []string{"Wizard"},
			ConsentWording: "Keep me posted", BatchSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		if run.Status != StatusPending || run.Total != 31 {
			t.Errorf("staged run: %+v", run)
		}
		// A node starts the import and dies after one batch…
		ctx, cancel := context.WithCancel(system())
		_, err = im.ImportFile(ctx, filepath.Join(im.dir, run.ID+".csv"), Options{FileName: "wizard.csv", Tags: []string{"Wizard"},
			RunID: run.ID, BatchSize: 10, ConsentWording: "Keep me posted", Progress: func(int, int) { cancel() }})
		if err == nil {
			t.Fatal("the interrupted import finished")
		}
		// …and the job, run by a worker, carries on.
		if err := j.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		done := waitRun(t, im, run.ID)
		if done.Status != StatusDone || done.Created != 30 || done.Rejected != 1 || len(done.Errors) != 1 || done.Errors[0].Line != 32 {
			t.Fatalf("run after the job: %+v", done)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM people`); n != 30 {
			t.Errorf("%d people, want 30", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM consents WHERE wording = 'Keep me posted'`); n != 5 {
			t.Errorf("%d consents with the staged wording, want 5", n)
		}
		if _, err := os.Stat(filepath.Join(im.dir, run.ID+".csv")); !os.IsNotExist(err) {
			t.Errorf("the staged file is still there after the run: %v", err)
		}
	})
}

func TestStageRefusesFilesThatAreNotCSV(t *testing.T) {
	d := dbtest.NewSQLite(t)
	im := newImporter(t, d)
	withJobs(t, d, im)
	_, err := im.Stage(system(), strings.NewReader("PK\x03\x04 a workbook"), Options{FileName: "list.xlsx"})
	if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), "Excel workbook") {
		t.Errorf("err = %v", err)
	}
	entries, _ := os.ReadDir(im.dir)
	if len(entries) != 0 || count(t, d, `SELECT COUNT(*) FROM import_runs`) != 0 {
		t.Errorf("a refused file left %d files and a run", len(entries))
	}
}

func TestRunsListsImportsForWhoMaySeeThem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		g1 := auth.WithPrincipal(context.Background(), &auth.Principal{TokenGroupID: "g1", Label: "token:g1"})
		var g1Runs []string
		for i := 0; i < 3; i++ {
			res, err := im.Import(g1, strings.NewReader("Email\ng1-"+string(rune('a'+i))+"@example.org\n"), Options{GroupID: "g1"})
			if err != nil {
				t.Fatal(err)
			}
			g1Runs = append(g1Runs, res.RunID)
		}
		network := mustImport(t, im, "Email\nnet@example.org\n", Options{})

		page, err := im.Runs(g1, "g1", "", 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 2 || page[0].ID != g1Runs[2] || page[1].ID != g1Runs[1] {
			t.Fatalf("first page: %v", runIDs(page))
		}
		next, err := im.Runs(g1, "g1", page[1].ID, 2)
		if err != nil || len(next) != 1 || next[0].ID != g1Runs[0] {
			t.Errorf("second page: %v, %v", runIDs(next), err)
		}
		if _, err := im.Runs(g1, "", "", 10); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a group's token listed every import: %v", err)
		}
		if _, err := im.Run(g1, network.RunID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a group's token read the network's import: %v", err)
		}
		all, err := im.Runs(system(), "", "", 10)
		if err != nil || len(all) != 4 || all[0].ID != network.RunID {
			t.Errorf("admin list: %v, %v", runIDs(all), err)
		}
		if _, err := im.Run(system(), "no-such-run"); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown run: %v", err)
		}
	})
}

func runIDs(rs []Run) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// TestImportBesideAJobRefused: while a job imports a file, importing the
// same file directly (the command line's path) is refused with the run to
// follow, for the same group only; once the job is cancelled, the run is
// failed and the file can be imported.
func TestImportBesideAJobRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		j := withJobs(t, d, im) // not started: the staged run stays pending
		csv := genCSV(5)
		run, err := im.Stage(system(), strings.NewReader(csv), Options{FileName: "members.csv"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = im.Import(system(), strings.NewReader(csv), Options{FileName: "copy.csv"})
		var uw *UnderWayError
		if errs.CodeOf(err) != errs.Conflict || !errors.As(err, &uw) || uw.Run.ID != run.ID ||
			!strings.Contains(errs.MessageOf(err), "follow it at /imports/"+run.ID) {
			t.Fatalf("import beside the job = %v, want errs.Conflict naming /imports/%s", err, run.ID)
		}
		if _, err := im.Stage(system(), strings.NewReader(csv), Options{FileName: "again.csv"}); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("a second Stage = %v, want errs.Conflict", err)
		}
		if err := j.Cancel(context.Background(), run.JobID); err != nil {
			t.Fatal(err)
		}
		if r, _ := im.Run(system(), run.ID); r.Status != StatusFailed {
			t.Errorf("run after its job was cancelled = %s, want failed", r.Status)
		}
		res, err := im.Import(system(), strings.NewReader(csv), Options{FileName: "copy.csv"})
		if err != nil || res.Created != 5 {
			t.Fatalf("import once the job was cancelled = %+v, %v; want 5 created", res, err)
		}
	})
}
