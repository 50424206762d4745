package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/config"
)

// TestServeDemoPrintsAccountsLast (issue 16): `serve --demo` prints the
// demo's accounts after the start-up log lines (the server starting, the
// job queue starting, the jobs that run at start), not before them where
// they scroll away; and loading the demo does not log a line per mail.
func TestServeDemoPrintsAccountsLast(t *testing.T) {
	out := &syncBuffer{} // one terminal for stdout and stderr: what a person sees, in order
	env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: out, Getenv: vars{
		"MOMENTUM_DATA": filepath.Join(t.TempDir(), "data"), "MOMENTUM_LOG_LEVEL": "info", "MOMENTUM_ADDR": "127.0.0.1:0",
	}.get}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, env, []string{"serve", "--demo", "--demo-people", "300"}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(out.String(), "Demo member:") {
		if time.Now().After(deadline) {
			t.Fatalf("no demo accounts printed within 90s:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	text := out.String()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	block := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "Log in at http://127.0.0.1:") {
			block = i
		}
	}
	if block < 0 || len(lines) < block+4 {
		t.Fatalf("no \"Log in at …\" line before the accounts:\n%s", text)
	}
	for _, l := range lines[block+1 : block+4] {
		if !strings.HasPrefix(l, "Demo ") || !strings.Contains(l, "password: ") {
			t.Errorf("the account lines are interrupted by %q:\n%s", l, text)
		}
	}
	var msgs []string // the log's messages before the accounts
	for _, l := range lines[:block] {
		var rec struct{ Msg string }
		if strings.HasPrefix(l, "{") && json.Unmarshal([]byte(l), &rec) == nil {
			msgs = append(msgs, rec.Msg)
		}
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{"started", "River client started"} {
		if !strings.Contains(joined, want) {
			t.Errorf("%q was not logged before the accounts were printed:\n%s", want, text)
		}
	}
	if !strings.Contains(text[:strings.Index(text, "Log in at")], `"msg":"events followed up"`) {
		t.Errorf("the jobs that run at start logged after the accounts were printed:\n%s", text)
	}
	if n := strings.Count(text, `"related":"talk.reply"`); n > 0 {
		t.Errorf("loading the demo logged %d lines for its discussion mails", n)
	}
	if strings.Index(text, "Momentum is serving") > strings.Index(text, `"msg":"started"`) {
		t.Errorf("the address is printed after the start-up log:\n%s", text)
	}
}

type vars map[string]string

func (v vars) get(k string) string { return v[k] }

// TestLogFormat: text on a terminal, JSON otherwise (a pipe, a file); on a
// terminal the job queue's recurring reports drop to debug.
func TestLogFormat(t *testing.T) {
	cfg := config.Config{LogFormat: "auto", LogLevel: "info"}
	t.Run("Pipe", func(t *testing.T) {
		var b bytes.Buffer
		log, _ := newWatchedLogger(cfg, &b)
		log.Info("producer: Producer job counts", "queue", "default")
		if !strings.HasPrefix(b.String(), `{"time":`) || !strings.Contains(b.String(), `"msg":"producer: Producer job counts"`) {
			t.Errorf("not a terminal: %q, want the JSON line kept", b.String())
		}
		// River's note that a periodic job chose to do nothing is never
		// news, in JSON either (it came every 2 s from the webhooks
		// dispatcher).
		log.Info("maintenance.PeriodicJobEnqueuer: nil returned from periodic job constructor, skipping")
		if strings.Contains(b.String(), "nil returned") {
			t.Errorf("JSON log kept the periodic skip notice: %q", b.String())
		}
	})
	t.Run("Terminal", func(t *testing.T) {
		tty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0) // a pseudo-terminal's controlling side
		if err != nil {
			t.Skipf("no pseudo-terminal here: %v", err)
		}
		defer tty.Close()
		if got := logFormat("auto", tty); got != "text" {
			t.Fatalf("format on a terminal = %q, want text", got)
		}
		var b bytes.Buffer
		log := slog.New(&watchHandler{next: slog.NewTextHandler(&b, nil), watch: &logWatch{level: new(slog.LevelVar)}, demote: true})
		log.Info("producer: Producer job counts", "queue", "default")
		log.Info("started", "node", "n1")
		if got := b.String(); strings.Contains(got, "Producer job counts") || !strings.Contains(got, "level=INFO msg=started node=n1") {
			t.Errorf("terminal log = %q, want the started line only, as text", got)
		}
	})
	t.Run("Hush", func(t *testing.T) {
		var b bytes.Buffer
		log, watch := newWatchedLogger(cfg, &b)
		restore := watch.hush()
		log.Info("mail kept in the development outbox")
		log.Warn("something to see")
		restore()
		log.Info("started")
		if got := b.String(); strings.Contains(got, "outbox") || !strings.Contains(got, "something to see") || !strings.Contains(got, `"msg":"started"`) {
			t.Errorf("hushed log = %q", got)
		}
	})
}
