package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// Issue 14's performance lines (docs/PERFORMANCE.md, "Issue 14"):
//
//	go test -run '^$' -bench 'APIPeoplePage' -benchtime 200x ./internal/app/
//	go test -run '^$' -bench 'EmbedSign' -benchtime 5000x ./internal/app/

// apiPeopleTotal is how many people BenchmarkAPIPeoplePage pages through:
// page 800 of 25 is the last full page.
const apiPeopleTotal = 20_000

// BenchmarkAPIPeoplePage: GET /api/v1/people?page=N with a network token,
// one request at a time, on 20,000 people imported through the real
// importer. Paging by number must be as fast at page 800 as at page 1
// (issue 14: keyset underneath); each request is timed and p95 reported.
func BenchmarkAPIPeoplePage(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchAPIPeoplePage(b, "") })
	b.Run("postgres", func(b *testing.B) { benchAPIPeoplePage(b, dbtest.PostgresURL(b)) })
}

func benchAPIPeoplePage(b *testing.B, dbURL string) {
	n := apptest.Start(b, apptest.Options{DatabaseURL: dbURL})
	sys := auth.WithSystem(reqctx.WithActor(context.Background(), reqctx.Actor{Label: "bench"}))
	nw := demo.Generate(14, apiPeopleTotal)
	res, err := n.App.Importer.Import(sys, bytes.NewReader(nw.CSV(time.Now().UTC())), peopleio.Options{
		FileName: "bench.csv", ConsentWording: "Keep me updated."})
	if err != nil || res.Rejected > 0 {
		b.Fatalf("import: %+v, %v", res, err)
	}
	token, _, err := n.App.Auth.CreateAPIToken(sys, "bench")
	if err != nil {
		b.Fatal(err)
	}
	c := &http.Client{Timeout: 30 * time.Second}
	get := func(page int) (time.Duration, int) {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/people?page=%d", n.URL, page), nil)
		req.Header.Set("OSDI-API-Token", token)
		t0 := time.Now()
		res, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var body struct {
			Embedded map[string][]json.RawMessage `json:"_embedded"`
		}
		err = json.NewDecoder(res.Body).Decode(&body)
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		d := time.Since(t0)
		if res.StatusCode != 200 || err != nil {
			b.Fatalf("page %d: status %d, %v", page, res.StatusCode, err)
		}
		return d, len(body.Embedded["osdi:people"])
	}
	for _, page := range []int{1, 800} {
		b.Run(fmt.Sprintf("page%d", page), func(b *testing.B) {
			if _, got := get(page); got != 25 {
				b.Fatalf("page %d holds %d people, want 25", page, got)
			}
			ds := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				d, _ := get(page)
				ds = append(ds, d)
			}
			b.StopTimer()
			reportPercentiles(b, ds, 0.50, 0.95)
		})
	}
}

// reportPercentiles reports the quantiles qs of ds in milliseconds, as
// p50-ms, p95-ms, p99-ms.
func reportPercentiles(b *testing.B, ds []time.Duration, qs ...float64) {
	slices.Sort(ds)
	for _, q := range qs {
		v := 0.0
		if len(ds) > 0 {
			v = float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000
		}
		b.ReportMetric(v, fmt.Sprintf("p%d-ms", int(q*100+0.5)))
	}
}
