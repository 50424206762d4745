package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// The dashboard benchmark: 50 concurrent clients, each signed in as a demo
// member, fetching /dashboard from a node holding the demo network. Beside
// it, a bare net/http handler serving a page of the same size through the
// same kind of HTTP client, in the same run: the ratio of the two is the
// figure to watch (docs/PERFORMANCE.md).
//
//	go test -run '^$' -bench 'Dashboard|BarePage' -benchtime 3000x ./internal/app/
//	go test -run '^$' -bench Startup -benchtime 20x ./internal/app/

const clients = 50

type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }

func (l *latencies) report(b *testing.B, elapsed time.Duration) {
	slices.Sort(l.d)
	p := func(q float64) float64 {
		if len(l.d) == 0 {
			return 0
		}
		return float64(l.d[int(q*float64(len(l.d)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(l.d))/elapsed.Seconds(), "req/s")
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}

// load runs b.N GETs of url from `clients` goroutines, each with its own
// client (cookies), and reports throughput and latency percentiles.
func load(b *testing.B, newClient func(i int) *http.Client, url string, wantBytes int) {
	b.Helper()
	var l latencies
	var next sync.WaitGroup
	work := make(chan struct{}, b.N)
	for i := 0; i < b.N; i++ {
		work <- struct{}{}
	}
	close(work)
	b.ResetTimer()
	start := time.Now()
	cpu0 := cpuTime() // issue 16: CPU per request, which a busy machine disturbs less than the rate
	for i := 0; i < clients; i++ {
		c := newClient(i)
		next.Add(1)
		go func() {
			defer next.Done()
			for range work {
				t0 := time.Now()
				res, err := c.Get(url)
				if err != nil {
					b.Error(err)
					return
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				l.add(time.Since(t0))
				if res.StatusCode != 200 || (wantBytes > 0 && int(n) < wantBytes/2) {
					b.Errorf("status %d, %d bytes", res.StatusCode, n)
					return
				}
			}
		}()
	}
	next.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	l.report(b, elapsed)
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-us/req")
}

// cpuTime is the user and system CPU time of this process so far: server
// and load generator together (PostgreSQL's own work is not in it).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func transport() *http.Transport {
	return &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
}

var dashboardBytes int

func BenchmarkDashboard(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchDashboard(b, "") })
	b.Run("postgres", func(b *testing.B) { benchDashboard(b, dbtest.PostgresURL(b)) })
}

func benchDashboard(b *testing.B, dbURL string) {
	nw := demo.Generate(1, 500)
	n := apptest.Start(b, apptest.Options{DatabaseURL: dbURL, Before: apptest.LoadDemo(nw)})
	// Members log in with the password given them here (the demo's people
	// have none): 50 distinct sessions, as 50 people would have.
	tr := transport()
	cs := make([]*http.Client, clients)
	for i := range cs {
		p := nw.People[i]
		pw := "bench-password-" + fmt.Sprint(i)
		n.CreateUser(b, p.Email, pw, "member")
		c := apptest.Client(b)
		c.Transport = tr
		n.Login(b, c, p.Email, pw)
		cs[i] = c
	}
	res := apptest.Get(b, cs[0], n.URL+"/dashboard")
	if res.Status != 200 || !strings.Contains(res.Body, "Hello,") {
		b.Fatalf("dashboard: %d", res.Status)
	}
	dashboardBytes = len(res.Body)
	load(b, func(i int) *http.Client { return cs[i] }, n.URL+"/dashboard", dashboardBytes)
	b.ReportMetric(float64(dashboardBytes), "page-bytes")
}

func BenchmarkBarePage(b *testing.B) {
	size := dashboardBytes
	if size == 0 {
		size = 6000
	}
	page := []byte(strings.Repeat("x", size))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	b.Cleanup(srv.Close)
	tr := transport()
	load(b, func(int) *http.Client { return &http.Client{Transport: tr} }, srv.URL, size)
	b.ReportMetric(float64(size), "page-bytes")
}

// BenchmarkStartup measures building the app on an empty SQLite data folder
// (open, migrate ours and River's, build services and routes) until
// /readyz answers.
func BenchmarkStartup(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		cfg := config.Default()
		cfg.Addr = ln.Addr().String()
		cfg.DataDir = filepath.Join(dir, "data")
		ctx, cancel := context.WithCancel(context.Background())
		b.StartTimer()
		a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx, ln) }()
		for {
			res, err := http.Get("http://" + cfg.Addr + "/readyz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					break
				}
			}
			time.Sleep(time.Millisecond)
		}
		b.StopTimer()
		cancel()
		<-done
		a.Close()
	}
}
