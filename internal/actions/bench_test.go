package actions

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// BenchmarkRespond measures embedded signature submissions on SQLite:
// each is a new signer (a person made, consent, two tags, the response,
// the count, two outbox events, the thank-you mail, the live count), as
// an embed on a campaign's site sends them. It reports signatures a
// second and the p50 and p99 latency of one signature; "parallel" sends
// from 8 goroutines, as concurrent visitors do.
//
//	go test -run '^$' -bench BenchmarkRespond -benchtime 2000x ./internal/actions
func BenchmarkRespond(b *testing.B) {
	for _, par := range []int{1, 8} {
		name := "sequential"
		if par > 1 {
			name = fmt.Sprintf("parallel%d", par)
		}
		b.Run(name, func(b *testing.B) {
			e := newEnv(b, dbtest.NewSQLite(b))
			a := e.open(b, e.admin.ctx, petition("Benchmark petition"))
			ctx := context.Background()
			var next atomic.Int64
			var mu sync.Mutex
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			errc := make(chan error, par)
			for range par {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						r := sign(fmt.Sprintf("signer%d@example.net", i))
						r.Comment = "Signed from the benchmark."
						r.Source, r.Referrer = "embed: https://campaign.example", "https://campaign.example/page"
						t0 := time.Now()
						if _, err := e.svc.Respond(ctx, a.ID, r); err != nil {
							errc <- err
							return
						}
						d := time.Since(t0)
						mu.Lock()
						lat = append(lat, d)
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			el := time.Since(start)
			b.StopTimer()
			close(errc)
			if err := <-errc; err != nil {
				b.Fatal(err)
			}
			slices.Sort(lat)
			pct := func(p int) time.Duration { return lat[max(0, min(len(lat)-1, (len(lat)*p+99)/100-1))] }
			b.ReportMetric(float64(b.N)/el.Seconds(), "signatures/s")
			b.ReportMetric(float64(pct(50).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(pct(99).Microseconds())/1000, "p99-ms")
			if got, _ := e.svc.Public(ctx, a.ID); got.Count != b.N {
				b.Fatalf("count %d, want %d", got.Count, b.N)
			}
		})
	}
}
