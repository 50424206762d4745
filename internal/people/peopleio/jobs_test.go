package peopleio

import (
	"context"
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
