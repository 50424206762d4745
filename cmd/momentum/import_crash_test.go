package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// resumeWithin is how soon after a node comes back an import it was
// running when it was killed must be complete (issue 11).
const resumeWithin = 60 * time.Second

// TestImportKilledHalfwayResumes is the acceptance test of issue 11's
// crash line: an import of 200,000 rows (40,000, two batches, with -short) staged
// through the wizard of a real `momentum serve`, which is killed with
// SIGKILL at about half, is complete, with exactly the expected people and
// no duplicates, within a minute of the node starting again, on both
// engines. Nobody retries anything: the node that starts finds the job its
// dead predecessor was running and runs it again, and the run carries on
// from its last batch.
func TestImportKilledHalfwayResumes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("kills the server with SIGKILL")
	}
	rows := 200_000
	if testing.Short() {
		rows = 2 * 20_000 // two of the importer's batches: killed between them
	}
	bin := momentumBinary(t)
	file := filepath.Join(t.TempDir(), "crash.csv")
	writeCrashCSV(t, file, rows)
	engines := []struct {
		name string
		env  func(t *testing.T, data string) (vars []string, open func() (*db.DB, error))
	}{
		{"sqlite", func(t *testing.T, data string) ([]string, func() (*db.DB, error)) {
			return []string{"MOMENTUM_DATA=" + data}, func() (*db.DB, error) {
				return db.Open(context.Background(), db.Options{Path: filepath.Join(data, "momentum.db")})
			}
		}},
		{"postgres", func(t *testing.T, data string) ([]string, func() (*db.DB, error)) {
			u := dbtest.PostgresURL(t)
			return []string{"MOMENTUM_DATABASE_URL=" + u}, func() (*db.DB, error) {
				return db.Open(context.Background(), db.Options{URL: u})
			}
		}},
	}
	const email, password = "ada@example.org", "correct horse battery staple"
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			data := t.TempDir()
			vars, open := e.env(t, data)
			vars = append(vars, "MOMENTUM_LOG_LEVEL=warn")
			admin := exec.Command(bin, "user", "create-admin", "--email", email, "--password", password, "--name", "Ada Lovelace")
			admin.Env = procEnv(vars...)
			if out, err := admin.CombinedOutput(); err != nil {
				t.Fatalf("user create-admin: %v\n%s", err, out)
			}
			start := time.Now()
			n := startServeIn(t, bin, "node", data, vars...)
			n.waitReady(t, time.Now().Add(30*time.Second))
			session := login(t, n, email, password)
			run := stageImport(t, n, session, file, "Crash test")

			d, err := open()
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			killedAt := waitHalf(t, d, run, rows, n)
			n.kill(t)
			t.Logf("killed at %d of %d rows, %v after the start", killedAt, rows, time.Since(start).Round(time.Millisecond))
			before := crashCount(t, d, `SELECT COUNT(*) FROM people WHERE source = 'import'`)
			if before == 0 || before >= rows {
				t.Fatalf("%d people after the kill: the kill did not land half-way", before)
			}

			// The node comes back on the same data; nobody touches the import.
			restarted := time.Now()
			startServeIn(t, bin, "node-again", data, vars...)
			var status string
			for {
				if err := d.QueryRow(context.Background(), `SELECT status FROM import_runs WHERE id = ?`, run).Scan(&status); err != nil {
					t.Fatal(err)
				}
				if status == "done" || status == "failed" || time.Since(restarted) > resumeWithin {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			took := time.Since(restarted)
			if status != "done" {
				t.Fatalf("the import is %q %v after the node came back, want done within %v", status, took.Round(time.Millisecond), resumeWithin)
			}
			t.Logf("%s: complete %v after the node came back", e.name, took.Round(time.Millisecond))
			checks := []struct {
				query string
				want  int
			}{
				{`SELECT COUNT(*) FROM people`, rows + 1}, // and the admin's own record
				{`SELECT COUNT(DISTINCT email) FROM people`, rows + 1},
				{`SELECT COUNT(*) FROM person_emails`, rows + 1},
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
				{`SELECT COUNT(*) FROM river_job WHERE kind = 'people.import' AND state = 'completed' AND attempt = 2`, 1},
			}
			for _, c := range checks {
				if got := crashCount(t, d, c.query); got != c.want {
					t.Errorf("%s = %d, want %d", c.query, got, c.want)
				}
			}
		})
	}
}

var runLocation = regexp.MustCompile(`^/imports/([0-9a-f-]{36})$`)

// stageImport uploads file through the wizard as the session's admin (the
// file streamed from disk, as a browser sends it), starts its import with
// the detected columns and returns the run's id.
func stageImport(t *testing.T, n *serveNode, session, file, tags string) string {
	t.Helper()
	res := uploadCSV(t, n, session, filepath.Base(file), func(w io.Writer) error {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	}, url.Values{"tags": {tags}})
	m := runLocation.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("upload: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	started := send(t, "POST", n.url+"/imports/"+m[1]+"/start", session, url.Values{})
	m = runLocation.FindStringSubmatch(started.Header.Get("Location"))
	if started.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("start: status %d, Location %q\n%s", started.Status, started.Header.Get("Location"), started.Body)
	}
	return m[1]
}

// uploadCSV posts the wizard's upload form with the file's content written
// by body as it is sent, never held whole by the test. The caller closes
// nothing: the response body is drained and closed.
func uploadCSV(t *testing.T, n *serveNode, session, name string, body func(io.Writer) error, fields url.Values) *http.Response {
	t.Helper()
	return uploadCSVWith(t, n, session, name, body, fields, func(r *http.Response) { io.Copy(io.Discard, r.Body) })
}

// uploadCSVWith is uploadCSV handing the response to read before it is closed.
func uploadCSVWith(t *testing.T, n *serveNode, session, name string, body func(io.Writer) error, fields url.Values,
	read func(*http.Response)) *http.Response {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			for k, vs := range fields {
				for _, v := range vs {
					if err := mw.WriteField(k, v); err != nil {
						return err
					}
				}
			}
			fw, err := mw.CreateFormFile("file", name)
			if err != nil {
				return err
			}
			if err := body(fw); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", n.url+"/people/import", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(&http.Cookie{Name: "momentum_session", Value: session})
	c := &http.Client{Timeout: 5 * time.Minute, CheckRedirect: noRedirects.CheckRedirect}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	read(res)
	res.Body.Close()
	return res
}

// waitHalf polls the run's progress until half its rows are committed and
// returns the rows done.
func waitHalf(t *testing.T, d *db.DB, run string, rows int, n *serveNode) int {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-n.exited:
			t.Fatalf("the node ended (%v) before it could be killed half-way:\n%s", n.waitErr, n.stderr)
		case <-time.After(20 * time.Millisecond):
		}
		var done int
		err := d.QueryRow(context.Background(), `SELECT processed_rows FROM import_runs WHERE id = ?`, run).Scan(&done)
		if err == nil && done >= rows/2 {
			return done
		}
	}
	t.Fatalf("the import did not reach half-way in time:\n%s", n.stderr)
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
