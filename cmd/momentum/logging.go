package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/config"
)

// newLogger logs as text on a terminal and as JSON otherwise.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	log, _ := newWatchedLogger(cfg, w)
	return log
}

// logWatch is what serve needs to know of its own log (issue 16): when it
// last wrote a record, so that the demo's accounts can be printed after the
// start-up lines rather than buried under them, and a level it can raise
// while the demo loads.
type logWatch struct {
	level      *slog.LevelVar
	configured slog.Level
	last       atomic.Int64 // time of the last record written, Unix nanoseconds
}

// newWatchedLogger is newLogger with its watch. On a terminal, the job
// queue's routine reports that recur every few seconds ("Producer job
// counts", the maintenance services' rounds) are logged at debug level, so
// that a person's screen is not scrolled by them; JSON logs, read by
// machines, keep them as they are.
func newWatchedLogger(cfg config.Config, w io.Writer) (*slog.Logger, *logWatch) {
	watch := &logWatch{level: new(slog.LevelVar)}
	_ = watch.configured.UnmarshalText([]byte(cfg.LogLevel))
	watch.level.Set(watch.configured)
	opts := &slog.HandlerOptions{Level: watch.level}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	terminal := logFormat(cfg.LogFormat, w) == "text"
	if terminal {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(&watchHandler{next: h, watch: watch, demote: terminal}), watch
}

// logFormat is "text" or "json": format itself, or for "auto" text when w
// is a terminal.
func logFormat(format string, w io.Writer) string {
	if format != "auto" {
		return format
	}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return "text"
		}
	}
	return "json"
}

// hush raises the level to warnings (unless debug logging was asked for)
// until the returned function is called: loading the demo writes a line for
// each of its hundreds of mails, which its printed summary says better.
func (lw *logWatch) hush() (restore func()) {
	if lw.configured < slog.LevelInfo {
		return func() {}
	}
	lw.level.Set(max(lw.configured, slog.LevelWarn))
	return func() { lw.level.Set(lw.configured) }
}

// settled waits until nothing has been logged for quiet, but at most until
// limit has passed, or ctx is done. It reports false only for ctx.
func (lw *logWatch) settled(ctx context.Context, quiet, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(quiet / 10)
	defer tick.Stop()
	for {
		if now := time.Now(); now.Sub(time.Unix(0, lw.last.Load())) >= quiet || !now.Before(deadline) {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
}

// watchHandler notes when each record is written and, when demote is set,
// logs the job queue's recurring reports at debug level.
type watchHandler struct {
	next   slog.Handler
	watch  *logWatch
	demote bool
}

// routine are the prefixes of River's recurring information messages.
var routine = []string{"producer: Producer job counts", "maintenance.", "elector."}

func (h *watchHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// skipNotice is what River says at information level each time a periodic
// job's constructor returns nil, which ours do on purpose when there is
// nothing to do (the webhooks dispatcher, every 2 s): never news, in either
// format, so it is always logged at debug level.
const skipNotice = "maintenance.PeriodicJobEnqueuer: nil returned from periodic job constructor"

func (h *watchHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level == slog.LevelInfo && strings.HasPrefix(r.Message, skipNotice) {
		if !h.next.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		r.Level = slog.LevelDebug
	}
	if h.demote && r.Level == slog.LevelInfo {
		for _, p := range routine {
			if strings.HasPrefix(r.Message, p) {
				if !h.next.Enabled(ctx, slog.LevelDebug) {
					return nil
				}
				r.Level = slog.LevelDebug
				break
			}
		}
	}
	h.watch.last.Store(time.Now().UnixNano())
	return h.next.Handle(ctx, r)
}

func (h *watchHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &watchHandler{next: h.next.WithAttrs(as), watch: h.watch, demote: h.demote}
}

func (h *watchHandler) WithGroup(name string) slog.Handler {
	return &watchHandler{next: h.next.WithGroup(name), watch: h.watch, demote: h.demote}
}
