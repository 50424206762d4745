package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
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

// signClients is how many signers post at once in BenchmarkEmbedSign.
const signClients = 32

// signerSeq numbers signers across the benchmark's runs, so that every
// signature is a new person.
var signerSeq atomic.Int64

// BenchmarkEmbedSign: embedded petition signatures over real HTTP, as the
// embed script sends them from a campaign's own site — a cross-site,
// form-encoded POST /embed/act/{slug} asking for JSON — from signClients
// signers at once, each a new person from an address of their own
// (X-Forwarded-For behind a trusted proxy, so the per-address rate limit
// applies to each as in life), with a form token rendered more than 2 s
// before (the spam check's minimum). Each request is timed: req/s, p50 and
// p99. Beside it, in the same run on the same node: GET /healthz (the
// server's floor) and GET /act/{slug} (the public petition page).
func BenchmarkEmbedSign(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchEmbedSign(b, "") })
	b.Run("postgres", func(b *testing.B) { benchEmbedSign(b, dbtest.PostgresURL(b)) })
}

func benchEmbedSign(b *testing.B, dbURL string) {
	n := apptest.Start(b, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) { c.TrustProxy = true }})
	sys := auth.WithSystem(reqctx.WithActor(context.Background(), reqctx.Actor{Label: "bench"}))
	const slug = "bench-petition"
	p, err := n.App.Actions.Create(sys, actions.Input{Kind: actions.KindPetition, Slug: slug, Title: "Bench petition",
		Target: "The council", Text: "Sign this.", Goal: 1_000_000, ConsentWording: "Email me about this.",
		Tags: []string{"bench"}, ThanksSubject: "Thank you, {{given_name}}", ThanksText: "You signed {{title}}."})
	if err != nil {
		b.Fatal(err)
	}
	if err := n.App.Actions.SetStatus(sys, p.ID, actions.StatusOpen); err != nil {
		b.Fatal(err)
	}
	tr := transport()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	res, err := c.Get(n.URL + "/embed/act/" + slug + "/token")
	if err != nil {
		b.Fatal(err)
	}
	var tok struct {
		Token string `json:"token"`
	}
	err = json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	if err != nil || tok.Token == "" {
		b.Fatalf("form token: %d %v", res.StatusCode, err)
	}
	time.Sleep(2100 * time.Millisecond) // the form's minimum fill time

	b.Run("sign", func(b *testing.B) {
		was, err := n.App.Actions.Public(sys, slug)
		if err != nil {
			b.Fatal(err)
		}
		concurrently(b, func(i int64) (*http.Request, int) {
			s := signerSeq.Add(1)
			form := url.Values{"given_name": {fmt.Sprintf("Signer%d", s)}, "family_name": {"Bench"},
				"email": {fmt.Sprintf("signer%d@bench.example.org", s)}, "postcode": {"E8 1DY"},
				"email_opt_in": {"true"}, "rendered": {tok.Token}, "website": {""}}
			req, _ := http.NewRequest("POST", n.URL+"/embed/act/"+slug, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Origin", "https://campaign.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", s>>16&255, s>>8&255, s&255))
			return req, http.StatusOK
		}, c)
		a, err := n.App.Actions.Public(sys, slug)
		if err != nil {
			b.Fatal(err)
		}
		if a.Count-was.Count != b.N {
			b.Errorf("the count rose by %d after %d signatures", a.Count-was.Count, b.N)
		}
	})
	b.Run("baseline_healthz", func(b *testing.B) {
		concurrently(b, func(int64) (*http.Request, int) {
			req, _ := http.NewRequest("GET", n.URL+"/healthz", nil)
			return req, http.StatusOK
		}, c)
	})
	b.Run("baseline_act_page", func(b *testing.B) {
		concurrently(b, func(int64) (*http.Request, int) {
			req, _ := http.NewRequest("GET", n.URL+"/act/"+slug, nil)
			return req, http.StatusOK
		}, c)
	})
}

// concurrently sends b.N requests made by next from signClients
// goroutines, times each, and reports req/s, p50 and p99.
func concurrently(b *testing.B, next func(i int64) (*http.Request, int), c *http.Client) {
	b.Helper()
	var (
		mu  sync.Mutex
		ds  = make([]time.Duration, 0, b.N)
		wg  sync.WaitGroup
		seq atomic.Int64
	)
	b.ResetTimer()
	start := time.Now()
	for range signClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := seq.Add(1)
				if i > int64(b.N) {
					return
				}
				req, want := next(i)
				t0 := time.Now()
				res, err := c.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				d := time.Since(t0)
				if res.StatusCode != want {
					b.Errorf("%s %s: %d\n%.300s", req.Method, req.URL.Path, res.StatusCode, body)
					return
				}
				mu.Lock()
				ds = append(ds, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(len(ds))/elapsed.Seconds(), "req/s")
	reportPercentiles(b, ds, 0.50, 0.99)
}
