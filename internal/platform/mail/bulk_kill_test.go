package mail

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestSendBulkKilled kills a process in the middle of a bulk send — SIGKILL,
// no chance to clean up — and checks the promise of doc.go ("Bulk mail"):
// every mail the SMTP server (mailpit) received has its row marked sent, none
// arrived twice, and the rows marked sent that never arrived are at most one
// per connection (the window between a commit and its dots).
func TestSendBulkKilled(t *testing.T) {
	const n, connections = 3000, 4
	mp := mailtest.StartWith(t, mailtest.Options{MaxMessages: -1})
	path := filepath.Join(t.TempDir(), "journal.db")
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	newDBJournal(t, d, n)

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledSenderProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), killedSenderEnv+"="+path, "MOMENTUM_KILLED_SENDER_SMTP="+mp.SMTPURL,
		"MOMENTUM_KILLED_SENDER_N="+strconv.Itoa(n), "MOMENTUM_KILLED_SENDER_CONNECTIONS="+strconv.Itoa(connections))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for mp.Count(t) < n/3 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the sender did not get a third of the way in 60 s: %s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	// mailpit stores a mail after replying to its "."; let it settle.
	for last := -1; ; time.Sleep(200 * time.Millisecond) {
		c := mp.Count(t)
		if c == last {
			break
		}
		last = c
	}
	sent := map[string]bool{}
	rows, err := d.Query(ctx, `SELECT key FROM bench_recipients WHERE status = 'sent'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		sent[k] = true
	}
	rows.Close()
	delivered := map[string]int{}
	for _, to := range mp.Recipients(t) {
		delivered[to]++
	}
	for to, times := range delivered {
		k := "k" + strings.TrimSuffix(strings.TrimPrefix(to, "person"), "@example.org")
		if !sent[k] {
			t.Errorf("%s was delivered but its row is not marked sent", to)
		}
		if times != 1 {
			t.Errorf("%s was delivered %d times", to, times)
		}
	}
	lost := len(sent) - len(delivered)
	t.Logf("killed after %d of %d mails: %d rows sent, %d delivered", len(delivered), n, len(sent), len(delivered))
	if len(delivered) >= n || len(delivered) < n/3 {
		t.Fatalf("%d delivered: the kill did not land mid-send", len(delivered))
	}
	if lost < 0 || lost > connections {
		t.Errorf("%d rows marked sent were never delivered; at most %d (one per connection) may be", lost, connections)
	}
}

const killedSenderEnv = "MOMENTUM_KILLED_SENDER_DB"

// TestKilledSenderProcess is TestSendBulkKilled's sender, run as its child
// process: it sends batches of 200 through SendBulk with a SQLite journal
// until it is killed.
func TestKilledSenderProcess(t *testing.T) {
	path := os.Getenv(killedSenderEnv)
	if path == "" {
		t.Skip("the sender TestSendBulkKilled kills; runs only as its child process")
	}
	n, _ := strconv.Atoi(os.Getenv("MOMENTUM_KILLED_SENDER_N"))
	conns, _ := strconv.Atoi(os.Getenv("MOMENTUM_KILLED_SENDER_CONNECTIONS"))
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	s := mustService(t, d, nil, Config{SMTPURL: os.Getenv("MOMENTUM_KILLED_SENDER_SMTP"), From: from, Connections: conns})
	j := &dbJournal{d: d}
	for start := 0; start < n; start += 200 {
		msgs := benchMessages(start, min(200, n-start))
		j.claim(t, start, len(msgs))
		if err := s.SendBulk(ctx, msgs, j); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("sent everything before being killed")
}
