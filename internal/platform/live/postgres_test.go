package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// postgresURL returns MOMENTUM_TEST_POSTGRES_URL or skips the test.
func postgresURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("MOMENTUM_TEST_POSTGRES_URL")
	if url == "" {
		testenv.Missing(t, "PostgreSQL", "set MOMENTUM_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)")
	}
	return url
}

// newPostgresNode starts one node's broker; the test closes it.
func newPostgresNode(t *testing.T, url string, log *slog.Logger) *Postgres {
	t.Helper()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p, err := NewPostgres(t.Context(), url, log)
	if err != nil {
		t.Fatalf("NewPostgres: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TestPostgres runs the broker suite with publisher and subscriber on two
// separate nodes sharing one database.
func TestPostgres(t *testing.T) {
	url := postgresURL(t)
	testBroker(t, func(t *testing.T) (Broker, Broker) {
		return newPostgresNode(t, url, nil), newPostgresNode(t, url, nil)
	})
}

func TestPostgresReconnectsAfterConnectionLoss(t *testing.T) {
	url := postgresURL(t)
	var logs syncBuffer
	node1 := newPostgresNode(t, url, nil)
	node2 := newPostgresNode(t, url, slog.New(slog.NewTextHandler(&logs, nil)))
	tp := topic(t, "x")
	ch, cancel := node2.Subscribe(t.Context(), tp)
	defer cancel()

	oldPID := node2.listenerPID.Load()
	var killed bool
	err := node1.pool.QueryRow(t.Context(), "SELECT pg_terminate_backend($1)", int32(oldPID)).Scan(&killed)
	if err != nil || !killed {
		t.Fatalf("terminate listener backend %d: killed=%v err=%v", oldPID, killed, err)
	}

	// Events sent while node2 reconnects are lost; keep publishing until one
	// arrives.
	deadline := time.Now().Add(3 * wait)
	for i := 0; ; i++ {
		mustPublish(t, node1, Event{Topic: tp, Data: fmt.Sprint(i)})
		select {
		case _, ok := <-ch:
			if !ok {
				t.Fatal("subscription closed by a reconnect")
			}
		case <-time.After(200 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatalf("no event after the listener was terminated; log:\n%s", logs.String())
			}
			continue
		}
		break
	}
	if node2.listenerPID.Load() == oldPID {
		t.Error("listener backend PID unchanged: did it reconnect?")
	}
	for _, want := range []string{"connection lost", "reconnected"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestPostgresIgnoresForeignNotifications(t *testing.T) {
	url := postgresURL(t)
	var logs syncBuffer
	node := newPostgresNode(t, url, slog.New(slog.NewTextHandler(&logs, nil)))
	tp := topic(t, "x")
	ch, cancel := node.Subscribe(t.Context(), tp)
	defer cancel()

	// Any database client may NOTIFY our channel.
	for _, payload := range []string{
		"not json",
		fmt.Sprintf(`{"topic":%q,"name":"a\ndata: injected","data":"x"}`, tp),
		`{"topic":"","data":"no topic"}`,
	} {
		if _, err := node.pool.Exec(t.Context(), "SELECT pg_notify($1, $2)", Channel, payload); err != nil {
			t.Fatal(err)
		}
	}
	mustPublish(t, node, Event{Topic: tp, Data: "good"})
	expectData(t, ch, "good")
	if n := strings.Count(logs.String(), "ignoring notification"); n != 3 {
		t.Errorf("logged %d ignored notifications, want 3:\n%s", n, logs.String())
	}
}

func TestPostgresCloseStopsGoroutines(t *testing.T) {
	url := postgresURL(t)
	before := runtime.NumGoroutine()
	p, err := NewPostgres(t.Context(), url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ch, cancel := p.Subscribe(t.Context(), topic(t, "x"))
	defer cancel()
	mustPublish(t, p, Event{Topic: topic(t, "x"), Data: "warm the pool"})

	closed := make(chan error)
	go func() { closed <- p.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Close did not return")
	}
	expectClosed(t, ch)
	eventually(t, func() bool { return runtime.NumGoroutine() <= before },
		func() string {
			buf := make([]byte, 1<<16)
			return fmt.Sprintf("%d goroutines after Close, %d before:\n%s",
				runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		})
}

// TestNewPostgresFailsWhenUnreachable needs no database.
func TestNewPostgresFailsWhenUnreachable(t *testing.T) {
	for _, tc := range []struct{ name, url string }{
		{"BadURL", "postgres://%zz"},
		{"NothingListening", "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), wait)
			defer cancel()
			p, err := NewPostgres(ctx, tc.url, slog.New(slog.DiscardHandler))
			if err == nil {
				p.Close()
				t.Fatal("NewPostgres succeeded, want an error")
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("NewPostgres waited for the deadline: %v", err)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the listener goroutine to log into.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

var _ io.Writer = (*syncBuffer)(nil)

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
