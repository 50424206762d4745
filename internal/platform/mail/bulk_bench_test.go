package mail

// The bulk-mail benchmark of docs/PERFORMANCE.md ("Bulk mail"):
//
//	go test ./internal/platform/mail -run '^$' -bench BenchmarkBulkMail -benchtime 100000x
//
// Each sub-benchmark sends b.N personalised mails to one SMTP sink — a real
// SMTP server (github.com/emersion/go-smtp) that counts mails and keeps
// none — running in a child process, so the figures of this process are the
// sender's alone:
//
//   - bare: net/smtp over one connection, one mail after another, the way a
//     plain Go program would, with the same composer and so the same bytes;
//   - sendbulk/nojournal: SendBulk with a journal that records nothing;
//   - sendbulk/sqlite (and sendbulk/postgres when MOMENTUM_TEST_POSTGRES_URL
//     is set): SendBulk with a journal in a real database, one UPDATE of the
//     recipients table per Accepting group, as the broadcast job's is.
//
// Both senders get their mails in batches of 500 built on the fly, as the
// broadcast job claims them. Each reports mails/s, the CPU time this process
// spent per mail (cpu-µs/mail, steadier than wall time on a shared machine,
// and not counting the sink or PostgreSQL), and peak-RSS-MB, the
// process's VmHWM (/proc/self/status) after the run, reset before it by
// writing 5 to /proc/self/clear_refs.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

const benchBatch = 500

func BenchmarkBulkMail(b *testing.B) {
	sink := startSinkProcess(b)
	sinkURL := "smtp://" + sink.addr

	b.Run("bare", func(b *testing.B) {
		s := mustService(b, dbtest.NewSQLite(b), nil, Config{SMTPURL: sinkURL, From: from})
		before := sink.count(b)
		resetPeakRSS()
		cpu := cpuTime()
		b.ResetTimer()
		bareSend(b, s, sink.addr, b.N)
		b.StopTimer()
		reportBulk(b, sink.count(b)-before, cpu)
	})
	run := func(name string, newJournal func(b *testing.B, n int) benchJournal) {
		b.Run(name, func(b *testing.B) {
			s := mustService(b, dbtest.NewSQLite(b), nil, Config{SMTPURL: sinkURL, From: from,
				Connections: benchConnections(b)})
			defer s.Close()
			j := newJournal(b, b.N)
			before := sink.count(b)
			resetPeakRSS()
			cpu := cpuTime()
			b.ResetTimer()
			for start := 0; start < b.N; start += benchBatch {
				msgs := benchMessages(start, min(benchBatch, b.N-start))
				j.claim(b, start, len(msgs))
				if err := s.SendBulk(context.Background(), msgs, j); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if n := j.failed(); n > 0 {
				b.Fatalf("%d mails failed", n)
			}
			reportBulk(b, sink.count(b)-before, cpu)
		})
	}
	run("sendbulk/nojournal", func(*testing.B, int) benchJournal { return &nopJournal{} })
	run("sendbulk/sqlite", func(b *testing.B, n int) benchJournal { return newDBJournal(b, dbtest.NewSQLite(b), n) })
	if os.Getenv(dbtest.EnvPostgres) != "" {
		run("sendbulk/postgres", func(b *testing.B, n int) benchJournal { return newDBJournal(b, dbtest.NewPostgres(b), n) })
	}
}

// benchConnections is MOMENTUM_BENCH_MAIL_CONNECTIONS, or the default.
func benchConnections(b *testing.B) int {
	if v := os.Getenv("MOMENTUM_BENCH_MAIL_CONNECTIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 0
}

func reportBulk(b *testing.B, delivered int, cpuBefore time.Duration) {
	if delivered != b.N {
		b.Fatalf("the sink received %d mails, want %d", delivered, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
	// CPU time is steadier than wall time on a shared machine.
	b.ReportMetric(float64((cpuTime()-cpuBefore).Microseconds())/float64(b.N), "cpu-µs/mail")
	b.ReportMetric(float64(peakRSS())/1024, "peak-RSS-MB")
	b.ReportMetric(0, "ns/op") // per-mail time is in mails/s
}

// benchMessages builds mails start..start+n, each personalised like a
// broadcast: name, unsubscribe link and token, text and HTML.
func benchMessages(start, n int) []BulkMessage {
	msgs := make([]BulkMessage, n)
	for i := range msgs {
		k := strconv.Itoa(start + i)
		name := "Person " + k
		unsub := "https://momentum.example/u/" + k + "-0f3a9c1d2e4b5a6978877665544332211"
		msgs[i] = BulkMessage{
			Key:      "k" + k,
			To:       "person" + k + "@example.org",
			Subject:  "Hackney Renters: the rent strike vote on Thursday, " + name,
			FromName: "Hackney Renters",
			ReplyTo:  "organisers@hackney.example",
			Text: "Hi " + name + ",\n\n" + benchText + "\n\nYour nearest event: Thursday 7pm, Hackney Town Hall.\n\n" +
				"You get this because you joined Hackney Renters. Unsubscribe: " + unsub + "\n",
			HTML: "<!doctype html><html><body><p>Hi " + name + ",</p>" + benchHTML +
				"<p>Your nearest event: <b>Thursday 7pm</b>, Hackney Town Hall.</p>" +
				`<p style="font-size:12px;color:#555">You get this because you joined Hackney Renters. <a href="` + unsub + `">Unsubscribe</a></p></body></html>`,
			Headers: map[string]string{
				"List-Unsubscribe":      "<" + unsub + ">",
				"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
				"Precedence":            "bulk",
			},
		}
	}
	return msgs
}

var (
	benchText = strings.Repeat("We are meeting on Thursday to decide whether to withhold rent until the landlord fixes the damp in every flat. Bring a neighbour. ", 5)
	benchHTML = "<p>" + strings.Repeat("We are meeting on <b>Thursday</b> to decide whether to withhold rent until the landlord fixes the damp in every flat. Bring a neighbour. ", 5) + "</p>"
)

// bareSend is the yardstick: net/smtp, one connection, one mail at a time.
func bareSend(b *testing.B, s *Service, addr string, n int) {
	c, err := smtp.Dial(addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Quit()
	comp := newBulkComposer(s)
	var body bytes.Buffer
	for start := 0; start < n; start += benchBatch {
		for _, m := range benchMessages(start, min(benchBatch, n-start)) {
			body.Reset()
			if err := comp.compose(&body, &m); err != nil {
				b.Fatal(err)
			}
			if bytes.Contains(body.Bytes(), []byte("\n.")) {
				b.Fatal("a line starts with a dot: net/smtp would stuff it again, so the bytes would differ")
			}
			if err := c.Mail(s.from.Address); err != nil {
				b.Fatal(err)
			}
			if err := c.Rcpt(m.To); err != nil {
				b.Fatal(err)
			}
			w, err := c.Data()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := w.Write(body.Bytes()); err != nil {
				b.Fatal(err)
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchJournal is a BulkJournal that also claims each batch first.
type benchJournal interface {
	BulkJournal
	claim(b testing.TB, start, n int)
	failed() int
}

type nopJournal struct{ bad atomic.Int64 }

func (*nopJournal) Accepting(context.Context, []string) error { return nil }
func (j *nopJournal) Done(_ context.Context, rs []BulkResult) error {
	for _, r := range rs {
		if r.Err != nil {
			j.bad.Add(1)
		}
	}
	return nil
}
func (*nopJournal) claim(testing.TB, int, int) {}
func (j *nopJournal) failed() int              { return int(j.bad.Load()) }

// dbJournal keeps the recipients in a table shaped like
// broadcast_recipients: claim marks a batch 'sending', Accepting marks a
// group 'sent' in one UPDATE, Done records failures.
type dbJournal struct {
	d   *db.DB
	bad atomic.Int64
}

func newDBJournal(b testing.TB, d *db.DB, n int) *dbJournal {
	ctx := context.Background()
	if _, err := d.Exec(ctx, `CREATE TABLE bench_recipients (
		key TEXT PRIMARY KEY, status TEXT NOT NULL, sent_at TIMESTAMP, error TEXT NOT NULL DEFAULT '', smtp_code INTEGER NOT NULL DEFAULT 0)`); err != nil {
		b.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO bench_recipients (key, status)
		WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ?)
		SELECT 'k' || CAST(i AS TEXT), 'queued' FROM c`, n-1); err != nil {
		b.Fatal(err)
	}
	return &dbJournal{d: d}
}

func (j *dbJournal) claim(b testing.TB, start, n int) {
	keys := make([]any, n)
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(start+i)
	}
	if _, err := j.d.Exec(context.Background(), `UPDATE bench_recipients SET status = 'sending' WHERE status = 'queued' AND key IN (`+
		placeholders(n)+`)`, keys...); err != nil {
		b.Fatal(err)
	}
}

func (j *dbJournal) Accepting(ctx context.Context, keys []string) error {
	args := make([]any, 0, len(keys)+1)
	args = append(args, db.Now())
	for _, k := range keys {
		args = append(args, k)
	}
	// As messaging's journal does: on PostgreSQL the mark commits
	// asynchronously (synchronous_commit off for this transaction), so a
	// group waits for the server's memory, not its disk.
	return j.d.InTx(ctx, func(tx *db.Tx) error {
		if tx.Dialect() == db.Postgres {
			if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, `UPDATE bench_recipients SET status = 'sent', sent_at = ?
			WHERE status = 'sending' AND key IN (`+placeholders(len(keys))+`)`, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); int(n) != len(keys) {
			return fmt.Errorf("recorded %d of %d", n, len(keys))
		}
		return nil
	})
}

func (j *dbJournal) Done(ctx context.Context, rs []BulkResult) error {
	return j.d.InTx(ctx, func(tx *db.Tx) error {
		for _, r := range rs {
			if r.Err == nil {
				continue // Accepting marked it sent
			}
			j.bad.Add(1)
			if _, err := tx.Exec(ctx, `UPDATE bench_recipients SET status = 'failed', error = ?, smtp_code = ? WHERE key = ?`,
				r.Err.Error(), r.Code, r.Key); err != nil {
				return err
			}
		}
		return nil
	})
}

func (j *dbJournal) failed() int { return int(j.bad.Load()) }

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS makes VmHWM start again from the current RSS, after handing
// freed memory back, so each sub-benchmark's peak is its own.
func resetPeakRSS() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS is VmHWM in kB, or 0 where /proc is missing.
func peakRSS() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

// sinkProcess is the benchmark's SMTP server in a child process: this test
// binary run as TestSinkProcess. It answers "count" on stdin with the
// number of mails received.
type sinkProcess struct {
	addr string
	in   io.Writer
	out  *bufio.Reader
}

const sinkProcessEnv = "MOMENTUM_MAIL_SINK_PROCESS"

func startSinkProcess(b *testing.B) *sinkProcess {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSinkProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), sinkProcessEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { in.Close(); cmd.Wait() })
	p := &sinkProcess{in: in, out: bufio.NewReader(outPipe)}
	for {
		line, err := p.out.ReadString('\n')
		if err != nil {
			b.Fatalf("sink process: %v", err)
		}
		if a, ok := strings.CutPrefix(line, "SINK "); ok {
			p.addr = strings.TrimSpace(a)
			return p
		}
	}
}

func (p *sinkProcess) count(b *testing.B) int {
	if _, err := io.WriteString(p.in, "count\n"); err != nil {
		b.Fatal(err)
	}
	line, err := p.out.ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		b.Fatalf("sink process said %q", line)
	}
	return n
}

// TestSinkProcess is the benchmark's SMTP sink when started by it, and
// skipped otherwise.
func TestSinkProcess(t *testing.T) {
	if os.Getenv(sinkProcessEnv) != "1" {
		t.Skip("the bulk-mail benchmark's SMTP sink; runs only as its child process")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var delivered atomic.Int64
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(*gosmtp.Conn) (gosmtp.Session, error) {
		return &countSession{n: &delivered}, nil
	}))
	srv.Domain = "sink.test"
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.MaxMessageBytes = 10 << 20
	go srv.Serve(l)
	defer srv.Close()
	fmt.Printf("SINK %s\n", l.Addr())
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		fmt.Println(delivered.Load())
	}
}

type countSession struct{ n *atomic.Int64 }

func (*countSession) Reset()                                 {}
func (*countSession) Logout() error                          { return nil }
func (*countSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (*countSession) Rcpt(string, *gosmtp.RcptOptions) error { return nil }
func (s *countSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.n.Add(1)
	return nil
}
