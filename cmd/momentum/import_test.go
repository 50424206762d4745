package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// writeFile writes a file in the test's folder and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errUsageShown):
		return 2
	}
	return 1
}

func TestImportPeopleCommand(t *testing.T) {
	t.Parallel()
	env := dataEnv(t)
	file := writeFile(t, "members.csv", "First name,Email,Post code\n"+
		"Ann,ann@example.org,E8 1DY\n"+
		"Bob,bob@,E8 1DY\n"+ // line 3
		"Cy,cy@example.org,N1 9GU\n"+
		"Di,di@example.org,NOPE\n"+ // line 5
		"Ed,ed@example.org,\n")
	cases := []struct {
		name       string
		args       []string
		stdout     string
		stderrHas  []string
		stderrNone []string
	}{
		{"DryRun", []string{file, "--dry-run"}, "would import 3 new, update 0, reject 2\n",
			[]string{"line 3: Email: 'bob@' is not an email address", "line 5: Post code: 'NOPE' is not a UK postcode"}, nil},
		{"Import", []string{"--tag", "Spring", file, "--tag", "Leeds"}, "imported 3 new, updated 0, rejected 2\n",
			[]string{"line 3: Email:", "line 5: Post code:"}, []string{"["}},
		{"Again", []string{file, "--tag", "Spring", "--tag", "Leeds"}, "imported 0 new, updated 0, rejected 2\n", []string{"line 3:"}, nil},
		{"NewTagUpdates", []string{file, "--tag", "Autumn"}, "imported 0 new, updated 3, rejected 2\n", nil, nil},
	}
	for _, c := range cases {
		r := runCLI(t, env, "", append([]string{"import", "people"}, c.args...)...)
		if r.Err != nil {
			t.Fatalf("%s: %v\n%s", c.name, r.Err, r.Stderr)
		}
		if r.Stdout != c.stdout {
			t.Errorf("%s: stdout %q, want %q", c.name, r.Stdout, c.stdout)
		}
		for _, w := range c.stderrHas {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.name, w, r.Stderr)
			}
		}
		for _, w := range c.stderrNone {
			if strings.Contains(r.Stderr, w) {
				t.Errorf("%s: stderr has %q (no progress bar when stderr is not a terminal):\n%s", c.name, w, r.Stderr)
			}
		}
	}
	exp := mustRun(t, env, "", "export", "people", "--tag", "leeds")
	if !strings.HasPrefix(exp.Stdout, "\ufeffFirst name,Last name,Email,") || strings.Count(exp.Stdout, "\n") != 4 ||
		!strings.Contains(exp.Stdout, "ann@example.org") || !strings.Contains(exp.Stdout, "Autumn, Leeds, Spring") {
		t.Errorf("export --tag leeds:\n%s", exp.Stdout)
	}
	if !strings.Contains(exp.Stderr, "exported 3 people") {
		t.Errorf("export stderr: %q", exp.Stderr)
	}
	if r := mustRun(t, env, "", "export", "people", "--tag", "nobody"); strings.Count(r.Stdout, "\n") != 1 {
		t.Errorf("export of an unknown tag: %q, want only the header", r.Stdout)
	}
}

func TestImportPeopleExitStatus(t *testing.T) {
	t.Parallel()
	env := dataEnv(t)
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"Workbook", []string{writeFile(t, "list.xlsx", "PK\x03\x04\x14\x00\x06\x00")}, 2, "This looks like an Excel workbook (.xlsx): save it as CSV UTF-8 and try again"},
		{"Missing", []string{filepath.Join(t.TempDir(), "nope.csv")}, 2, "nope.csv"},
		{"NoHeader", []string{writeFile(t, "raw.csv", "ann@example.org,Ann\n")}, 2, "The first line should name the columns"},
		{"BadMap", []string{writeFile(t, "m.csv", "Mail\na@example.org\n"), "--map", "Mail"}, 2, "should be Column=field"},
		{"NoFile", nil, 2, ""},
		{"MappedColumns", []string{writeFile(t, "m.csv", "Mail;Who\na@example.org;Ann Smith\n"), "--map", "Mail=email,Who=name"}, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, env, "", append([]string{"import", "people"}, c.args...)...)
			if got := exitCode(r.Err); got != c.code {
				t.Fatalf("exit status %d (%v), want %d", got, r.Err, c.code)
			}
			if c.msg != "" && !strings.Contains(r.Err.Error(), c.msg) {
				t.Errorf("error %q does not say %q", r.Err, c.msg)
			}
		})
	}
}

func TestImportPostcodes(t *testing.T) {
	t.Parallel()
	env := dataEnv(t)
	file := writeFile(t, "outcodes.csv", "postcode,latitude,longitude\nE8,51.5465,-0.0553\nsw1a,51.501,-0.1416\nXX,1,2\nN1,91,0\n")
	r := mustRun(t, env, "", "import", "postcodes", file)
	if r.Stdout != "loaded 2 postcode districts, rejected 2\n" {
		t.Errorf("stdout %q", r.Stdout)
	}
	if !strings.Contains(r.Stderr, "line 4:") || !strings.Contains(r.Stderr, "line 5:") {
		t.Errorf("stderr does not name the bad lines:\n%s", r.Stderr)
	}
	headerless := writeFile(t, "raw.csv", "E9,51.54,-0.04\n")
	if r := mustRun(t, env, "", "import", "postcodes", headerless); r.Stdout != "loaded 1 postcode districts, rejected 0\n" {
		t.Errorf("headerless: %q", r.Stdout)
	}
}

func TestImportExportHelp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		args  []string
		usage string
	}{
		{"HelpImport", []string{"help", "import"}, "Usage: momentum import <people|postcodes>"},
		{"ImportFlag", []string{"import", "-h"}, "Usage: momentum import <people|postcodes>"},
		{"ImportPeople", []string{"import", "people", "-h"}, "Usage: momentum import people [flags] FILE.csv"},
		{"ImportPostcodes", []string{"import", "postcodes", "--help"}, "Usage: momentum import postcodes [flags] FILE.csv"},
		{"HelpExport", []string{"help", "export"}, "Usage: momentum export people"},
		{"ExportPeople", []string{"export", "people", "-h"}, "Usage: momentum export people [flags] > people.csv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, nil, "", c.args...)
			if r.Err != nil {
				t.Fatalf("momentum %s: %v", strings.Join(c.args, " "), r.Err)
			}
			out := r.Stdout + r.Stderr
			if !strings.Contains(out, c.usage) || !strings.Contains(out, "Example:\n  momentum ") {
				t.Errorf("no %q and example in\n%s", c.usage, out)
			}
		})
	}
	if r := runCLI(t, nil, "", "import", "things"); exitCode(r.Err) != 2 || !strings.Contains(r.Stderr, "Subcommands:") {
		t.Errorf("import things: %v\n%s", r.Err, r.Stderr)
	}
}

// TestImportPeopleBesideTheServer: while the server's import job has a
// file under way, `momentum import people` of the same file is refused
// with the address of that import's page, and imports nothing.
func TestImportPeopleBesideTheServer(t *testing.T) {
	env := dataEnv(t)
	env["MOMENTUM_BASE_URL"] = "https://members.example.org"
	file := writeFile(t, "members.csv", "Email,Name\nann@example.org,Ann\n")
	mustRun(t, env, "", "migrate", "up")
	d, err := db.Open(context.Background(), db.Options{Path: filepath.Join(env["MOMENTUM_DATA"], "momentum.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	const run = "0193a000-0000-7000-8000-000000000001"
	now := db.Now()
	// What Stage leaves: a run with its job, here at 40% when its node died.
	if _, err := d.Exec(context.Background(), `INSERT INTO import_runs (id, file_name, file_sha256, status, total_rows,
		processed_rows, started_at, updated_at, job_id) VALUES (?, 'members.csv', ?, 'running', 10, 4, ?, ?, 7)`,
		run, hex.EncodeToString(sum[:]), now, now); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, env, "", "import", "people", file)
	if exitCode(r.Err) != 1 {
		t.Fatalf("exit status %d (%v), want 1", exitCode(r.Err), r.Err)
	}
	for _, want := range []string{"This file is already being imported (members.csv, started ", "40% done",
		"https://members.example.org/imports/" + run} {
		if !strings.Contains(r.Err.Error(), want) {
			t.Errorf("error %q does not say %q", r.Err, want)
		}
	}
	var people int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM people`).Scan(&people); err != nil || people != 0 {
		t.Errorf("%d people (%v) after the refused import, want none", people, err)
	}
}
