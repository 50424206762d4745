package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// demoCounts are what a finished demo network holds, compared between an
// uninterrupted run and one killed half-way and run again.
var demoCounts = []string{
	`SELECT COUNT(*) FROM users`,
	`SELECT COUNT(*) FROM people`,
	`SELECT COUNT(*) FROM person_emails`,
	`SELECT COUNT(*) FROM donations`,
	`SELECT COUNT(*) FROM import_runs WHERE status = 'done'`,
	`SELECT COUNT(*) FROM regions`,
	`SELECT COUNT(*) FROM groups`,
	`SELECT COUNT(*) FROM group_members`,
	`SELECT COUNT(*) FROM events`,
	`SELECT COUNT(*) FROM event_rsvps`,
	`SELECT COUNT(*) FROM event_rsvps WHERE attended_at IS NOT NULL`,
	`SELECT COUNT(*) FROM person_actions WHERE kind = 'event.attended'`,
	`SELECT COUNT(*) FROM decisions`,
	`SELECT COUNT(*) FROM decisions WHERE status = 'published'`,
	`SELECT COUNT(*) FROM decisions WHERE status = 'voting'`,
	`SELECT COUNT(*) FROM decision_voters`,
	`SELECT COUNT(*) FROM decision_ballots`,
	// issue 12: the demo's broadcasts and their sent ones' history
	`SELECT COUNT(*) FROM broadcasts`,
	`SELECT COUNT(*) FROM broadcasts WHERE status = 'sent'`,
	`SELECT COUNT(*) FROM broadcast_recipients`,
	`SELECT COUNT(*) FROM suppressions`,
}

// TestDemoKilledHalfwayIsFinished: `momentum demo`, the real binary, killed
// with SIGKILL just after its admin account is made (in the people import
// or the groups), half-way through its events, or while its election's
// votes are being cast, and run again, says it is finishing the network a previous
// run began and ends with the same network as a run never interrupted:
// the same numbers of people, groups, events, answers, decisions, voters
// and ballots. On both engines.
func TestDemoKilledHalfwayIsFinished(t *testing.T) {
	bin := momentumBinary(t)
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
	kills := []struct {
		name  string
		query string // the kill comes once it counts at least at
		at    int
	}{
		{"AfterAdmin", `SELECT COUNT(*) FROM users`, 1}, // lands in the people import or the groups
		{"InEvents", `SELECT COUNT(*) FROM events`, 150},
		{"InElection", `SELECT COUNT(*) FROM decision_voters`, 40},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			vars, open := e.env(t)
			whole := exec.Command(bin, "demo", "--people", "400")
			whole.Env = procEnv(append(vars, "MOMENTUM_LOG_LEVEL=warn")...)
			if out, err := whole.CombinedOutput(); err != nil {
				t.Fatalf("uninterrupted run: %v\n%s", err, out)
			}
			want := demoTally(t, open)
			t.Logf("uninterrupted: %v", want)
			for _, k := range kills {
				t.Run(k.name, func(t *testing.T) {
					vars, open := e.env(t)
					vars = append(vars, "MOMENTUM_LOG_LEVEL=warn")
					cmd := exec.Command(bin, "demo", "--people", "400")
					cmd.Env = procEnv(vars...)
					var stderr syncBuffer
					cmd.Stderr = &stderr
					if err := cmd.Start(); err != nil {
						t.Fatal(err)
					}
					killWhen(t, cmd, open, k.query, k.at, &stderr)

					partial := demoTally(t, open)
					t.Logf("at the kill: %d people, %d groups, %d events, %d voters", partial[`SELECT COUNT(*) FROM people`],
						partial[`SELECT COUNT(*) FROM groups`], partial[`SELECT COUNT(*) FROM events`], partial[`SELECT COUNT(*) FROM decision_voters`])
					if partial[`SELECT COUNT(*) FROM decisions WHERE status = 'published'`] != 0 {
						t.Fatalf("the kill came after the election was published: %v", partial)
					}
					again := exec.Command(bin, "demo", "--people", "2000", "--seed", "9") // the killed run's seed and size win
					again.Env = procEnv(vars...)
					out, err := again.CombinedOutput()
					if err != nil {
						t.Fatalf("second run: %v\n%s", err, out)
					}
					if !strings.Contains(string(out), "Finishing the demo network that a previous run began (seed 1, 400 people)") ||
						!strings.Contains(string(out), "Created the demo network") {
						t.Errorf("second run printed:\n%s", out)
					}
					got := demoTally(t, open)
					for _, q := range demoCounts {
						if got[q] != want[q] {
							t.Errorf("%s = %d after the kill and the second run, %d uninterrupted", q, got[q], want[q])
						}
					}
					third := exec.Command(bin, "demo", "--people", "400")
					third.Env = procEnv(vars...)
					out, err = third.CombinedOutput()
					if err == nil || !strings.Contains(string(out), "already holds data") || !strings.Contains(string(out), "to load it,") {
						t.Errorf("a third run over the finished demo: %v\n%s", err, out)
					}
				})
			}
		})
	}
}

// demoTally runs demoCounts.
func demoTally(t *testing.T, open func() (*db.DB, error)) map[string]int {
	t.Helper()
	d, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	out := map[string]int{}
	for _, q := range demoCounts {
		out[q] = crashCount(t, d, q)
	}
	return out
}

// killWhen polls query and kills cmd with SIGKILL once it counts at least
// at; it fails the test if cmd ends first.
func killWhen(t *testing.T, cmd *exec.Cmd, open func() (*db.DB, error), query string, at int, stderr *syncBuffer) {
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
			t.Fatalf("the demo ended (%v) before it could be killed at %s >= %d:\n%s", err, query, at, stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
		if d == nil {
			var err error
			if d, err = open(); err != nil {
				d = nil
				continue
			}
		}
		var n int
		if err := d.QueryRow(context.Background(), query).Scan(&n); err != nil || n < at {
			continue // no table yet, or not there yet
		}
		_ = cmd.Process.Kill()
		<-exited
		t.Logf("killed at %s = %d", query, n)
		return
	}
	_ = cmd.Process.Kill()
	t.Fatalf("%s never reached %d:\n%s", query, at, stderr.String())
}
