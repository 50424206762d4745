package live

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFormatEvent(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    Event
		want string
	}{
		{"DefaultName", Event{Data: "x"}, "event: message\ndata: x\n\n"},
		{"Named", Event{Name: "queue", Data: `{"n":1}`}, "event: queue\ndata: {\"n\":1}\n\n"},
		{"EmptyData", Event{Name: "ping"}, "event: ping\ndata: \n\n"},
		{"MultiLine", Event{Data: "a\nb\n"}, "event: message\ndata: a\ndata: b\ndata: \n\n"},
		// CR and CRLF end lines too; a bare CR must not start a new field.
		{"CarriageReturns", Event{Data: "a\r\nb\rc"}, "event: message\ndata: a\ndata: b\ndata: c\n\n"},
		{"FieldLookalike", Event{Data: "x\nevent: evil"}, "event: message\ndata: x\ndata: event: evil\n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatEvent(tc.e); got != tc.want {
				t.Errorf("formatEvent = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestServeSSE(t *testing.T) {
	t.Run("StreamsEventsOfItsTopic", func(t *testing.T) {
		b := NewMemory()
		defer b.Close()
		url, _ := startSSE(t, b, sseHeartbeat)
		resp, msgs := getSSE(t, t.Context(), url+"?topic=room")
		for h, want := range map[string]string{
			"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no",
		} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if m := next(t, msgs); m != (sseMsg{Field: "retry", Data: "3000"}) {
			t.Fatalf("first message %+v, want retry: 3000", m)
		}
		mustPublish(t, b, Event{Topic: "room", Name: "queue", Data: "line 1\nline 2"})
		mustPublish(t, b, Event{Topic: "elsewhere", Name: "queue", Data: "not for this page"})
		mustPublish(t, b, Event{Topic: "room", Data: "second"})
		for _, want := range []sseMsg{
			{Field: "event", Name: "queue", Data: "line 1\nline 2"},
			{Field: "event", Name: "message", Data: "second"},
		} {
			if got := next(t, msgs); got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		}
	})

	t.Run("OutlivesServerTimeouts", func(t *testing.T) {
		b := NewMemory()
		defer b.Close()
		url, _ := startSSE(t, b, sseHeartbeat) // server timeouts are 200ms
		_, msgs := getSSE(t, t.Context(), url+"?topic=room")
		next(t, msgs) // retry
		time.Sleep(600 * time.Millisecond)
		mustPublish(t, b, Event{Topic: "room", Data: "still here"})
		if m := next(t, msgs); m.Data != "still here" {
			t.Errorf("got %+v, want the event", m)
		}
	})

	t.Run("Heartbeat", func(t *testing.T) {
		b := NewMemory()
		defer b.Close()
		url, _ := startSSE(t, b, 20*time.Millisecond)
		_, msgs := getSSE(t, t.Context(), url+"?topic=room")
		next(t, msgs) // retry
		if m := next(t, msgs); m != (sseMsg{Field: "comment", Data: "ping"}) {
			t.Errorf("got %+v, want the comment ping", m)
		}
	})

	t.Run("ClientGoneEndsHandler", func(t *testing.T) {
		b := NewMemory()
		defer b.Close()
		url, handlerDone := startSSE(t, b, sseHeartbeat)
		ctx, cancel := context.WithCancel(t.Context())
		_, msgs := getSSE(t, ctx, url+"?topic=room")
		next(t, msgs)
		cancel()
		select {
		case <-handlerDone:
		case <-time.After(wait):
			t.Fatal("handler still running after the client went away")
		}
		// Its subscription went with it.
		eventually(t, func() bool { return subCount(b) == 0 }, func() string { return "subscription left behind" })
	})

	t.Run("BrokerCloseEndsStream", func(t *testing.T) {
		b := NewMemory()
		url, handlerDone := startSSE(t, b, sseHeartbeat)
		_, msgs := getSSE(t, t.Context(), url+"?topic=room")
		next(t, msgs)
		b.Close()
		select {
		case <-handlerDone:
		case <-time.After(wait):
			t.Fatal("handler still running after the broker closed")
		}
		select {
		case m, ok := <-msgs:
			if ok {
				t.Errorf("got %+v, want end of stream", m)
			}
		case <-time.After(wait):
			t.Fatal("stream not ended")
		}
	})
}

func TestServeSSEWithoutFlusher(t *testing.T) {
	// A middleware that wraps the ResponseWriter without Unwrap hides Flush.
	type hidden struct{ http.ResponseWriter }
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/live", nil)
	b := NewMemory()
	defer b.Close()
	ServeSSE(hidden{rec}, req, b, "room") // must return, not stream into a buffer
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("Content-Type %q on an error", ct)
	}
}

// startSSE serves the topic named in ?topic= with short server timeouts, as a
// production server has, and reports each time the handler returns.
func startSSE(t *testing.T, b Broker, heartbeat time.Duration) (url string, handlerDone <-chan struct{}) {
	t.Helper()
	done := make(chan struct{}, 10)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { done <- struct{}{} }()
		if heartbeat == sseHeartbeat {
			ServeSSE(w, r, b, r.URL.Query().Get("topic"))
		} else {
			serveSSE(w, r, b, heartbeat, []string{r.URL.Query().Get("topic")})
		}
	}))
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Config.WriteTimeout = 200 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, done
}

// sseMsg is one thing a browser's EventSource would see.
type sseMsg struct {
	Field string // "event", "retry" or "comment"
	Name  string // event name
	Data  string
}

// getSSE opens the stream and parses it as EventSource does, sending each
// event, retry and comment to the returned channel, which closes at the end
// of the stream.
func getSSE(t *testing.T, ctx context.Context, url string) (*http.Response, <-chan sseMsg) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	msgs := make(chan sseMsg, 100)
	go func() {
		defer close(msgs)
		r := bufio.NewReader(resp.Body)
		name, data := "", []string(nil)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				if err != io.EOF && ctx.Err() == nil {
					t.Logf("reading stream: %v", err)
				}
				return
			}
			line = strings.TrimSuffix(line, "\n")
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch {
			case line == "":
				if data != nil {
					if name == "" {
						name = "message"
					}
					msgs <- sseMsg{Field: "event", Name: name, Data: strings.Join(data, "\n")}
				}
				name, data = "", nil
			case field == "":
				msgs <- sseMsg{Field: "comment", Data: value}
			case field == "retry":
				msgs <- sseMsg{Field: "retry", Data: value}
			case field == "event":
				name = value
			case field == "data":
				data = append(data, value)
			}
		}
	}()
	return resp, msgs
}

func next(t *testing.T, msgs <-chan sseMsg) sseMsg {
	t.Helper()
	select {
	case m, ok := <-msgs:
		if !ok {
			t.Fatal("stream ended")
		}
		return m
	case <-time.After(wait):
		t.Fatal("nothing on the stream")
	}
	return sseMsg{}
}

func subCount(m *Memory) int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.subs)
}
