package peopleio

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestImportReportsBadRowsAndImportsTheRest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		csv := "First name,Last name,Email,Postcode\n" +
			"Ann,Smith,ann@example.org,E8 1DY\n" +
			"Bob,Jones,bob@,E8 1DY\n" + // line 3
			"Cy,\"Multi\nLine\",cy@example.org,N1 9GU\n" + // lines 4-5
			"Di,Evans,di@example.org,NOT A POSTCODE\n" + // line 6
			"Ed,Fox,ed@example.org,SW1A 1AA\n"
		res := mustImport(t, im, csv, Options{FileName: "members.csv"})
		want := []RowError{
			{Line: 3, Message: "Email: 'bob@' is not an email address"},
			{Line: 6, Message: "Postcode: 'NOT A POSTCODE' is not a UK postcode"},
		}
		if !reflect.DeepEqual(res.Errors, want) {
			t.Errorf("errors = %+v, want %+v", res.Errors, want)
		}
		if res.Created != 3 || res.Updated != 0 || res.Rejected != 2 || res.Rows != 5 {
			t.Errorf("result = %+v, want 3 created, 2 rejected of 5 rows", res)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM people WHERE email IN ('ann@example.org', 'cy@example.org', 'ed@example.org')`); n != 3 {
			t.Errorf("%d of the 3 good rows are people", n)
		}
		var status string
		var stored int
		if err := d.QueryRow(context.Background(), `SELECT status, rejected_count FROM import_runs WHERE id = ?`, res.RunID).Scan(&status, &stored); err != nil {
			t.Fatal(err)
		}
		if status != StatusDone || stored != 2 {
			t.Errorf("run: status %s, rejected %d", status, stored)
		}
		var details string
		if err := d.QueryRow(context.Background(), `SELECT details FROM audit_log WHERE action = 'people.import' AND target_id = ?`, res.RunID).Scan(&details); err != nil {
			t.Fatalf("no audit entry for the run: %v", err)
		}
		if !strings.Contains(details, `"created":3`) || strings.Contains(details, "@example.org") {
			t.Errorf("audit details %s: want counts and no personal data", details)
		}
	})
}

func TestImportMatchesByEmailThenPhone(t *testing.T) {
	// Already in the network: Ann (email and phone), Bo (phone only), Cy
	// (email and a household landline).
	const existing = "First name,Email,Phone\nAnn,ann@example.org,07700 900001\nBo,,07700 900002\nCy,cy@example.org,020 7946 0000\n"
	cases := []struct {
		name             string
		row              string
		created, updated int
		wantPeople       int
		check, checkWant string
	}{
		{"EmailMatchesCaseInsensitively", "Annie,ANN@Example.org,", 0, 0, 3,
			`SELECT given_name FROM people WHERE email = 'ann@example.org'`, "Ann"},
		{"EmailMatchAddsPhone", ",ann@example.org,07700 900009", 0, 1, 3,
			`SELECT COUNT(*) FROM person_phones WHERE person_id = (SELECT id FROM people WHERE email = 'ann@example.org')`, "2"},
		{"PhoneMatchesWhenNoEmailMatches", "Bo,bo@example.org,+44 7700 900002", 0, 1, 3,
			`SELECT COALESCE(email, '') FROM people WHERE given_name = 'Bo'`, "bo@example.org"},
		{"PhoneOnlyRowMatches", "Bo,,07700900002", 0, 0, 3,
			`SELECT COUNT(*) FROM people WHERE phone = '+447700900002'`, "1"},
		{"SharedLandlineWithAnotherEmailIsAnotherPerson", "Cyd,cyd@example.org,020 7946 0000", 1, 0, 4,
			`SELECT COUNT(*) FROM person_phones WHERE number = '+442079460000'`, "2"},
		{"NewEmailAndPhoneIsNew", "Di,di@example.org,07700 900004", 1, 0, 4,
			`SELECT COUNT(*) FROM people WHERE given_name = 'Di'`, "1"},
		{"SameEmailTwiceInOneFileIsOnePerson", "Ed,ed@example.org,\nEdward,ED@example.org,07700 900005", 1, 0, 4,
			`SELECT given_name || ' ' || phone FROM people WHERE email = 'ed@example.org'`, "Ed +447700900005"},
		{"SamePhoneTwiceWithoutEmailIsOnePerson", "Fay,,07700 900006\nFay,,07700 900006", 1, 0, 4,
			`SELECT COUNT(*) FROM people WHERE phone = '+447700900006'`, "1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, d *db.DB) {
				im := newImporter(t, d)
				mustImport(t, im, existing, Options{FileName: "existing.csv"})
				res := mustImport(t, im, "First name,Email,Phone\n"+c.row+"\n", Options{FileName: "new.csv"})
				if res.Created != c.created || res.Updated != c.updated || res.Rejected != 0 {
					t.Errorf("created %d, updated %d, rejected %d (%v); want %d, %d, 0", res.Created, res.Updated, res.Rejected, res.Errors, c.created, c.updated)
				}
				if n := count(t, d, `SELECT COUNT(*) FROM people`); n != c.wantPeople {
					t.Errorf("%d people, want %d", n, c.wantPeople)
				}
				var got string
				if err := d.QueryRow(context.Background(), c.check).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != c.checkWant {
					t.Errorf("%s = %q, want %q", c.check, got, c.checkWant)
				}
			})
		})
	}
}

func TestImportTagsEveryRow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		mustImport(t, im, "Email\nold@example.org\n", Options{})
		res := mustImport(t, im, "Email,Tags\nold@example.org,\nnew1@example.org,Housing\nnew2@example.org,\"housing; Rent\"\n",
			Options{Tags: []string{"Spring petition", " spring  PETITION ", "Leeds"}, BatchSize: 2})
		if res.Created != 2 || res.Updated != 1 {
			t.Errorf("result %+v", res)
		}
		for _, c := range []struct {
			tag  string
			want int
		}{{"spring petition", 3}, {"leeds", 3}, {"housing", 2}, {"rent", 1}} {
			n := count(t, d, `SELECT COUNT(*) FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name_key = ?`, c.tag)
			if n != c.want {
				t.Errorf("tag %q on %d people, want %d", c.tag, n, c.want)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM tags`); n != 4 {
			t.Errorf("%d tags, want 4 (case-insensitive)", n)
		}
	})
}

// fullCSV exercises every table an import writes.
const fullCSV = "First name,Last name,Email,Phone,Postcode,Tags,Email opt-in,SMS opt-in,Member,Donation amount,Donation date,Donation id\n" +
	"Ann,Smith,ann@example.org,07700 900001,E8 1DY,climate,yes,no,yes,10.00,2024-01-02,ch_1\n" +
	"Bo,Jones,bo@example.org,07700 900002,N1 9GU,,no,,,5,2024-02-03,\n" +
	"Ann,,ANN@example.org,,,housing,yes,,,10.00,2024-01-02,ch_1\n" +
	"Cy,Lee,,,E8 1DY,,,,,,,\n" +
	"bad row,,nope@,,,,,,,,,\n"

func TestImportTwiceCreatesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		first := mustImport(t, im, fullCSV, Options{Tags: []string{"t"}})
		if first.Created != 3 || first.Rejected != 1 {
			t.Fatalf("first import: %+v", first)
		}
		before := tableCounts(t, d)
		second := mustImport(t, im, fullCSV, Options{Tags: []string{"t"}})
		if second.Created != 0 || second.Updated != 0 || second.Rejected != 1 {
			t.Errorf("second import: %+v, want nothing created or updated", second)
		}
		if after := tableCounts(t, d); !reflect.DeepEqual(after, before) {
			t.Errorf("row counts changed:\nbefore %v\nafter  %v", before, after)
		}
		if first.RunID == second.RunID {
			t.Error("the second import reused the finished run")
		}
	})
}

func TestDryRunWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		mustImport(t, im, "Email\nbo@example.org\n", Options{})
		before := tableCounts(t, d)
		runs := count(t, d, `SELECT COUNT(*) FROM import_runs`)
		dry := mustImport(t, im, fullCSV, Options{DryRun: true, Tags: []string{"t"}, BatchSize: 2})
		if after := tableCounts(t, d); !reflect.DeepEqual(after, before) {
			t.Errorf("a dry run wrote:\nbefore %v\nafter  %v", before, after)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_runs`); n != runs || dry.RunID != "" {
			t.Errorf("a dry run recorded a run (%d runs, id %q)", n, dry.RunID)
		}
		real := mustImport(t, im, fullCSV, Options{Tags: []string{"t"}, BatchSize: 2})
		if dry.Created != real.Created || dry.Updated != real.Updated || dry.Rejected != real.Rejected || !reflect.DeepEqual(dry.Errors, real.Errors) {
			t.Errorf("dry run said %+v, the import did %+v", dry, real)
		}
	})
}

func TestImportResumesAfterInterruption(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		csv := genCSV(35)
		ctx, cancel := context.WithCancel(system())
		o := Options{FileName: "big.csv", Tags: []string{"big"}, BatchSize: 10,
			Progress: func(done, total int) { cancel() }} // stop once the first batch has committed
		if _, err := im.Import(ctx, strings.NewReader(csv), o); !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted import: err = %v, want context.Canceled", err)
		}
		var processed int
		var status string
		if err := d.QueryRow(context.Background(), `SELECT processed_rows, status FROM import_runs`).Scan(&processed, &status); err != nil {
			t.Fatal(err)
		}
		if processed != 10 || status != StatusRunning {
			t.Fatalf("after the interruption: processed %d, status %s; want 10, running", processed, status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM people`); n != 10 {
			t.Fatalf("%d people after one batch, want 10", n)
		}
		o.Progress = nil
		res := mustImport(t, im, csv, o)
		if !res.Resumed || res.Created != 35 || res.Rows != 35 {
			t.Errorf("resumed run: %+v, want resumed, 35 created over the whole run", res)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM people`); n != 35 {
			t.Errorf("%d people, want 35", n)
		}
		if n := count(t, d, `SELECT COUNT(DISTINCT email) FROM people`); n != 35 {
			t.Errorf("%d distinct emails, want 35", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM person_tags`); n != 35 {
			t.Errorf("%d taggings, want 35", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_runs WHERE status = 'done'`); n != 1 {
			t.Errorf("%d runs done, want the one run", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_runs`); n != 1 {
			t.Errorf("%d runs, want 1", n)
		}
	})
}

func TestImportRefusesFilesThatAreNotCSV(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		_, err := im.Import(system(), strings.NewReader("PK\x03\x04\x14\x00rest of a zip"), Options{})
		var fe *peoplecsv.FormatError
		if !errs.Is(err, errs.Invalid) || !errors.As(err, &fe) || !strings.Contains(errs.MessageOf(err), "Excel workbook (.xlsx)") {
			t.Errorf("xlsx: err = %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_runs`); n != 0 {
			t.Errorf("a refused file left %d runs", n)
		}
	})
}

func TestImportPermission(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		adminID := db.NewID()
		if _, err := d.Exec(context.Background(), `INSERT INTO users (id, email, name, role, created_at, updated_at)
			VALUES (?, 'admin@example.org', 'Admin', 'admin', ?, ?)`, adminID, db.Now(), db.Now()); err != nil {
			t.Fatal(err)
		}
		as := func(p *auth.Principal) context.Context { return auth.WithPrincipal(context.Background(), p) }
		cases := []struct {
			name    string
			ctx     context.Context
			groupID string
			want    errs.Code
		}{
			{"Anonymous", context.Background(), "", errs.Unauthorized},
			{"Member", as(&auth.Principal{UserID: "u1", Role: auth.RoleMember, Label: "m"}), "", errs.Forbidden},
			{"MemberForAGroup", as(&auth.Principal{UserID: "u1", Role: auth.RoleMember, Label: "m"}), "g1", errs.Forbidden},
			{"GroupTokenForItsGroup", as(&auth.Principal{TokenGroupID: "g1", Label: "token:g1"}), "g1", ""},
			{"GroupTokenForAnotherGroup", as(&auth.Principal{TokenGroupID: "g1", Label: "token:g1"}), "g2", errs.Forbidden},
			{"Admin", as(&auth.Principal{UserID: adminID, Role: auth.RoleAdmin, Label: "a"}), "", ""},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				csv := "Email\nperson" + string(rune('a'+i)) + "@example.org\n"
				_, err := im.Import(c.ctx, strings.NewReader(csv), Options{GroupID: c.groupID})
				if got := errs.CodeOf(err); got != c.want {
					t.Errorf("code %q (%v), want %q", got, err, c.want)
				}
			})
		}
	})
}

// An import raises SQLite's page cache for its own run only: afterwards the
// writer has its usual cache again, and the memory goes back.
func TestImportPutsTheCacheBack(t *testing.T) {
	d := dbtest.NewSQLite(t)
	cacheSize := func() int {
		var n int
		if err := d.W.QueryRow("PRAGMA cache_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := cacheSize()
	im := newImporter(t, d)
	var during int
	mustImport(t, im, genCSV(50), Options{BatchSize: 10, Progress: func(int, int) {
		if during == 0 {
			during = cacheSize()
		}
	}})
	if during != -importCacheKiB {
		t.Errorf("cache_size during the import = %d, want %d", during, -importCacheKiB)
	}
	if after := cacheSize(); after != before {
		t.Errorf("cache_size after the import = %d, want %d as before", after, before)
	}
}
