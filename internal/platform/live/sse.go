package live

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

const (
	// sseRetry is the reconnection delay the browser is told to use.
	sseRetry = "retry: 3000\n\n"
	// sseHeartbeat keeps proxies and load balancers from closing an idle
	// stream (many give up after 30–60 s of silence).
	sseHeartbeat = 25 * time.Second
	// sseWriteTimeout bounds each write, so a client that stops reading
	// without closing the connection does not hold the handler forever.
	sseWriteTimeout = 30 * time.Second
)

// ServeSSE streams the events of topics to the client as Server-Sent Events
// until the client goes away or the broker closes. It subscribes before it
// answers, so the client misses nothing published after it sees the response
// headers. It lifts the server's WriteTimeout for this response and bounds
// each write on its own instead (30 s).
//
// Handlers check authorisation before calling it; it writes the whole
// response.
func ServeSSE(w http.ResponseWriter, r *http.Request, b Broker, topics ...string) {
	serveSSE(w, r, b, sseHeartbeat, topics)
}

func serveSSE(w http.ResponseWriter, r *http.Request, b Broker, heartbeat time.Duration, topics []string) {
	ctx := r.Context()
	rc := http.NewResponseController(w)
	// The server's WriteTimeout would cut the stream. Replace it with a
	// deadline per write, so a client that stops reading without closing the
	// connection is still dropped. (The server's ReadTimeout needs nothing:
	// net/http clears the read deadline once the request has been read.)
	extend := func() { _ = rc.SetWriteDeadline(time.Now().Add(sseWriteTimeout)) }
	extend()

	events, cancel := b.Subscribe(ctx, topics...)
	defer cancel()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	if err := rc.Flush(); errors.Is(err, http.ErrNotSupported) {
		// A middleware wrapped w without Unwrap: streaming cannot work.
		h.Del("X-Accel-Buffering")
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	send := func(s string) bool {
		extend()
		if _, err := io.WriteString(w, s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(sseRetry) {
		return
	}

	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-events:
			if !ok {
				return // broker closed; the browser reconnects after retry
			}
			if !send(formatEvent(e)) {
				return
			}
		case <-tick.C:
			if !send(": ping\n\n") {
				return
			}
		}
	}
}

// formatEvent renders e in the text/event-stream format. Each line of Data
// becomes a "data:" line; the browser joins them again with "\n".
func formatEvent(e Event) string {
	name := e.Name
	if name == "" {
		name = "message"
	}
	var b strings.Builder
	b.Grow(len(name) + len(e.Data) + 24)
	b.WriteString("event: ")
	b.WriteString(name)
	b.WriteByte('\n')
	// The format ends a line at CRLF, LF or CR; split the same way so no
	// line of Data can end the event early or start a field of its own.
	data := strings.ReplaceAll(e.Data, "\r\n", "\n")
	data = strings.ReplaceAll(data, "\r", "\n")
	for line := range strings.SplitSeq(data, "\n") {
		b.WriteString("data: ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return b.String()
}
