package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/metrics"
)

// The rule for /metrics (docs/SECURITY.md, "Metrics"): with
// MOMENTUM_METRICS_ADDR set it is served there only, behind the token too
// when one is set; otherwise on the main address only when
// MOMENTUM_METRICS_TOKEN is set, and only with it. With neither it is not
// served at all: traffic by route and the process's state are not public.

// metricsHandler is /metrics behind the token, when one is configured.
func (a *App) metricsHandler() http.Handler {
	if a.Config.MetricsToken == "" {
		return a.Metrics.Handler()
	}
	return metrics.RequireToken(a.Config.MetricsToken, a.Metrics.Handler())
}

// withMetrics answers /metrics on the main address, when the rule allows
// it, ahead of the middleware chain: there the session middleware would
// take its bearer token for an API token. (Scrapes are neither logged nor
// counted: every fifteen seconds, they would drown the request log.)
func (a *App) withMetrics(next http.Handler) http.Handler {
	if a.Config.MetricsAddr != "" || a.Config.MetricsToken == "" {
		return next
	}
	m := a.metricsHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		m.ServeHTTP(w, r)
	})
}

// serveMetrics starts the listener of MOMENTUM_METRICS_ADDR, when it is
// set, serving only /metrics. stop shuts it down.
func (a *App) serveMetrics(ctx context.Context) (stop func(), err error) {
	if a.Config.MetricsAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", a.Config.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("metrics address (MOMENTUM_METRICS_ADDR): %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metricsHandler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.Log.Error("metrics listener stopped", "err", err)
		}
	}()
	a.Log.Info("serving /metrics on its own address", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}
