package actionsapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/auth/authweb"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// benchSignatures is how many signatures the paging benchmarks list: 800
// pages of 25.
const benchSignatures = 20_000

// populateSignatures makes an open petition with n signatures (n people),
// inserted in one transaction, 100 rows a statement.
func populateSignatures(tb testing.TB, e *env, n int) string {
	tb.Helper()
	a, err := e.actions.Create(e.sys, actions.Input{Kind: actions.KindPetition, Title: "Bench", Text: "Sign.", ConsentWording: "Email me."})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	const rowsPer = 100
	people := `INSERT INTO people (id, given_name, family_name, email, email_key, name_key, source, created_at, updated_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, 'Bench', ?, ?, ?, 'signup', ?, ?), ", rowsPer), ", ")
	sigs := `INSERT INTO action_responses (id, action_id, person_id, source, created_at, confirmed_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, 'bench', ?, ?), ", rowsPer), ", ")
	start := db.Now().Add(-time.Duration(n) * time.Second)
	err = e.d.InTx(ctx, func(tx *db.Tx) error {
		for i := 0; i < n; i += rowsPer {
			var pargs, sargs []any
			for j := i; j < i+rowsPer; j++ {
				id, email, at := db.NewID(), fmt.Sprintf("s%05d@example.org", j), start.Add(time.Duration(j)*time.Second)
				pargs = append(pargs, id, fmt.Sprintf("S%05d", j), email, email, fmt.Sprintf("s%05d bench", j), at, at)
				sargs = append(sargs, db.NewID(), a.ID, id, at, at)
			}
			if _, err := tx.Exec(ctx, people, pargs...); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, sigs, sargs...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("populate: %v", err)
	}
	stmt := `ANALYZE`
	if e.d.Dialect == db.Postgres {
		stmt = `VACUUM ANALYZE action_responses`
	}
	if _, err := e.d.Exec(ctx, stmt); err != nil {
		tb.Fatalf("%s: %v", stmt, err)
	}
	return a.ID
}

// benchSignaturesPage requests one page of a petition's signatures through
// the HTTP handler and reports the p95 of the requests' times.
func benchSignaturesPage(b *testing.B, page int, cursor bool) {
	engines := []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.NewSQLite}, {"postgres", dbtest.NewPostgres}}
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			d := eng.open(b)
			e := newEnv(b, d)
			id := populateSignatures(b, e, benchSignatures)
			url := fmt.Sprintf("/api/v1/petitions/%s/signatures?page=%d&per_page=25", id, page)
			if cursor {
				// The page's cursor, as the previous page's next link has it.
				var after string
				if err := d.Q().QueryRow(context.Background(), `SELECT id FROM action_responses WHERE action_id = ?
					ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET `+fmt.Sprint((page-1)*25-1), id).Scan(&after); err != nil {
					b.Fatal(err)
				}
				url += "&after=" + after
			}
			var took []time.Duration
			b.ResetTimer()
			for b.Loop() {
				r := httptest.NewRequest("GET", url, nil)
				r.Header.Set(authweb.APITokenHeader, e.network)
				w := httptest.NewRecorder()
				start := time.Now()
				e.srv.ServeHTTP(w, r)
				took = append(took, time.Since(start))
				if w.Code != http.StatusOK || strings.Count(w.Body.String(), `"osdi:person"`) != 25 {
					b.Fatalf("GET %s: %d %.300s", url, w.Code, w.Body)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}

// BenchmarkSignaturesPage1, BenchmarkSignaturesPage800 and
// BenchmarkSignaturesPage800Cursor: page 800 of a petition's 20,000
// signatures by number (the index walked to the page's start) and by the
// next link's cursor (keyset), beside page 1 (issue 14).
func BenchmarkSignaturesPage1(b *testing.B)         { benchSignaturesPage(b, 1, false) }
func BenchmarkSignaturesPage800(b *testing.B)       { benchSignaturesPage(b, 800, false) }
func BenchmarkSignaturesPage800Cursor(b *testing.B) { benchSignaturesPage(b, 800, true) }
