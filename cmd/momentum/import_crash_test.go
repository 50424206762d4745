package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestImportKilledHalfwayResumes is the acceptance test of issue 3: an
// import of 200,000 rows (20,000 with -short), killed with SIGKILL at about
// half and run again, ends with exactly the expected people and no
// duplicates, on both engines. The import runs as the real binary.
func TestImportKilledHalfwayResumes(t *testing.T) {
	rows := 200_000
	if testing.Short() {
		rows = 20_000
	}
	bin := momentumBinary(t)
	file := filepath.Join(t.TempDir(), "crash.csv")
	writeCrashCSV(t, file, rows)
	engines := []struct {
		name string
		env  func(t *testing.T) (vars []string, open func() (*db.DB, error))
	}{
		{"sqlite", func(t *testing.T) ([]string, func() (*db.DB, error)) {
			data := filepath.Join(t.TempDir(), "data")
			return []string{"MOMENTUM_DATA=" + data}, func() (*db.DB, error) {
				return db.Open(context.Background(), db.Options{Path: filepath.Join(data, "momentum.db")})
			}
		}},
		{"postgres", func(t *testing.T) ([]string, func() (*db.DB, error)) {
			u := dbtest.PostgresURL(t)
			return []string{"MOMENTUM_DATABASE_URL=" + u}, func() (*db.DB, error) {
				return db.Open(context.Background(), db.Options{URL: u})
			}
		}},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			vars, open := e.env(t)
			vars = append(vars, "MOMENTUM_LOG_LEVEL=warn")
			start := time.Now()

			// First run: kill it once about half the rows are in.
			cmd := exec.Command(bin, "import", "people", file, "--tag", "Crash test")
			cmd.Env = procEnv(vars...)
			var stderr syncBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			killedAt := waitHalfAndKill(t, cmd, open, rows, &stderr)
			t.Logf("killed at %d of %d rows after %v", killedAt, rows, time.Since(start).Round(time.Millisecond))

			d, err := open()
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			before := crashCount(t, d, `SELECT COUNT(*) FROM people`)
			if before == 0 || before >= rows {
				t.Fatalf("%d people after the kill: the kill did not land half-way", before)
			}

			// Second run: it carries on and ends the run.
			again := exec.Command(bin, "import", "people", file, "--tag", "Crash test")
			again.Env = procEnv(vars...)
			out, err := again.Output()
			if err != nil {
				t.Fatalf("second run: %v\n%s", err, out)
			}
			want := fmt.Sprintf("imported %d new, updated 0, rejected 0\n", rows)
			if string(out) != want {
				t.Errorf("second run printed %q, want %q (the whole run's count)", out, want)
			}
			checks := []struct {
				query string
				want  int
			}{
				{`SELECT COUNT(*) FROM people`, rows},
				{`SELECT COUNT(DISTINCT email) FROM people`, rows},
				{`SELECT COUNT(*) FROM person_emails`, rows},
				{`SELECT COUNT(*) FROM person_phones`, rows},
				{`SELECT COUNT(*) FROM person_tags`, rows},
				{`SELECT COUNT(DISTINCT person_id) FROM person_tags`, rows},
				{`SELECT COUNT(*) FROM tags`, 1},
				{`SELECT COUNT(*) FROM consents`, (rows + 6) / 7},
				{`SELECT COUNT(*) FROM consent_history`, (rows + 6) / 7},
				{`SELECT COUNT(*) FROM people WHERE source = 'import' AND source_detail = 'crash.csv'`, rows},
				{`SELECT COUNT(*) FROM import_runs`, 1},
				{`SELECT COUNT(*) FROM import_runs WHERE status = 'done' AND processed_rows = ` + fmt.Sprint(rows), 1},
				{`SELECT COUNT(*) FROM audit_log WHERE action = 'people.import'`, 1},
			}
			for _, c := range checks {
				if got := crashCount(t, d, c.query); got != c.want {
					t.Errorf("%s = %d, want %d", c.query, got, c.want)
				}
			}
			t.Logf("%s: %d rows, killed and resumed, in %v", e.name, rows, time.Since(start).Round(time.Millisecond))
		})
	}
}

// waitHalfAndKill polls the run's progress and kills the import with
// SIGKILL once half the rows are committed. It returns the rows done.
func waitHalfAndKill(t *testing.T, cmd *exec.Cmd, open func() (*db.DB, error), rows int, stderr *syncBuffer) int {
	t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var d *db.DB
	defer func() {
		if d != nil {
			d.Close()
		}
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("the import ended (%v) before it could be killed half-way:\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if d == nil {
			var err error
			if d, err = open(); err != nil {
				d = nil
				continue
			}
		}
		var done int
		err := d.QueryRow(context.Background(), `SELECT processed_rows FROM import_runs WHERE status = 'running'`).Scan(&done)
		if err != nil || done < rows/2 {
			continue
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-exited
		return done
	}
	cmd.Process.Kill()
	t.Fatalf("the import did not reach half-way in time:\n%s", stderr.String())
	return 0
}

func crashCount(t *testing.T, d *db.DB, query string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// writeCrashCSV writes n distinct people; every seventh opts in to email.
func writeCrashCSV(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "First name,Last name,Email address,Mobile,Postcode,Town,Email opt-in")
	towns := []string{"Leeds", "Hackney", "Cardiff", "Glasgow", "Bristol", "Belfast"}
	for i := 0; i < n; i++ {
		optin := ""
		if i%7 == 0 {
			optin = "yes"
		}
		fmt.Fprintf(w, "Person%d,Family%d,person%d@example.org,07%09d,E%d %dDY,%s,%s\n",
			i, i%1009, i, 700000000+i, 1+i%20, i%10, towns[i%len(towns)], optin)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
