package peopleio

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// newCore builds the services the importer stands on (people, groups,
// jobs…) exactly as serve does.
func newCore(t testing.TB, d *db.DB) *core.Services {
	t.Helper()
	c, err := core.New(context.Background(), core.Options{DB: d, Log: slog.New(slog.DiscardHandler), FastJobs: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.Jobs.Stop(ctx)
		c.Close()
	})
	return c
}

// newImporter returns an Importer on d built as build.New builds it, with
// its worker registered on the core's job client (started by withJobs).
func newImporter(t testing.TB, d *db.DB) *Importer {
	t.Helper()
	c := newCore(t, d)
	c.Policy.AddRules(Rules()...)
	im, err := New(Deps{DB: d, Policy: c.Policy, Log: slog.New(slog.DiscardHandler), Groups: c.Groups, Jobs: c.Jobs,
		Dir: filepath.Join(t.TempDir(), "imports")})
	if err != nil {
		t.Fatal(err)
	}
	if err := im.RegisterJobs(c.Jobs); err != nil {
		t.Fatal(err)
	}
	// The groups the tests' organisers and group tokens import into: an
	// organiser's import makes its people members, so the group is real.
	for _, id := range []string{"g1", "g2"} {
		now := db.Now()
		if _, err := d.Exec(context.Background(), `INSERT INTO groups (id, slug, name, kind, last_activity_at, created_at, updated_at)
			VALUES (?, ?, ?, 'local', ?, ?, ?) ON CONFLICT (id) DO NOTHING`, id, id, "Group "+id, now, now, now); err != nil {
			t.Fatal(err)
		}
	}
	return im
}

// system is the context of the command line.
func system() context.Context { return auth.WithSystem(context.Background()) }

// mustImport imports csv (a string) and fails the test on error.
func mustImport(t testing.TB, im *Importer, csv string, o Options) *Result {
	t.Helper()
	res, err := im.Import(system(), strings.NewReader(csv), o)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

// tables are the tables an import writes, counted by tableCounts.
var tables = []string{"people", "person_emails", "person_phones", "tags", "person_tags", "consents",
	"consent_history", "donations", "person_actions"}

// tableCounts returns the number of rows of every table an import writes.
func tableCounts(t testing.TB, d *db.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range tables {
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+tb).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tb, err)
		}
		out[tb] = n
	}
	return out
}

// count runs a COUNT(*) query.
func count(t testing.TB, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// genCSV writes a deterministic file of n people: names, an email, a UK
// mobile number, a postcode and a town; every seventh row opts in to email.
func genCSV(n int) string {
	var b strings.Builder
	b.WriteString("First name,Last name,Email,Mobile,Postcode,Town,Email opt-in\n")
	towns := []string{"Leeds", "Hackney", "Cardiff", "Glasgow", "Bristol"}
	for i := 0; i < n; i++ {
		optin := ""
		if i%7 == 0 {
			optin = "yes"
		}
		fmt.Fprintf(&b, "Given%d,Family%d,person%d@example.org,07700 %06d,E%d 1DY,%s,%s\n",
			i, i%997, i, i, 1+i%20, towns[i%len(towns)], optin)
	}
	return b.String()
}
