package peopleio

import (
	"context"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// queryString runs a one-value query and returns the value as text.
func queryString(t *testing.T, d *db.DB, query string, args ...any) string {
	t.Helper()
	var s string
	if err := d.QueryRow(context.Background(), query, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return s
}

func TestImportMergesIntoExistingPeople(t *testing.T) {
	const first = "First name,Last name,Email,Postcode,Email opt-in,Address 1\n" +
		"Ann,,ann@example.org,,yes,1 Old Road\n"
	cases := []struct {
		name  string
		csv   string
		o     Options
		query string
		want  string
	}{
		{"FillsBlankFieldsOnly", "Email,Last name,Postcode,Address 1\nann@example.org,Smith,e81dy,2 New Road\n", Options{},
			`SELECT family_name || '|' || postcode || '|' || postcode_district || '|' || address_line1 FROM people`, "Smith|E8 1DY|E8|1 Old Road"},
		{"AddsEmailAddress", "Email\n\"ann@example.org, ann.smith@example.org\"\n", Options{},
			`SELECT COUNT(*) || '|' || MIN(p.email) FROM person_emails e JOIN people p ON p.id = e.person_id`, "2|ann@example.org"},
		{"WithdrawsConsentWithHistory", "Email,Email opt-in\nann@example.org,no\n", Options{FileName: "unsubs.csv", ConsentWording: "Email me news"},
			`SELECT c.status || '|' || c.source || '|' || c.wording || '|' || (SELECT COUNT(*) FROM consent_history) FROM consents c`,
			"withdrawn|import: unsubs.csv|Email me news|2"},
		{"SameConsentAddsNoHistory", "Email,Email opt-in\nann@example.org,yes\n", Options{},
			`SELECT COUNT(*) FROM consent_history`, "1"},
		{"BlankConsentChangesNothing", "Email,Email opt-in\nann@example.org,\n", Options{},
			`SELECT status FROM consents`, "granted"},
		{"MembershipAndLadder", "Email,Member,Member since\nann@example.org,yes,2020-05-01\n", Options{},
			`SELECT membership_status || '|' || ladder || '|' || (SELECT COUNT(*) FROM person_actions WHERE kind = 'ladder.changed') FROM people`, "member|member|1"},
		{"DonationMakesADonor", "Email,Amount,Donation date\nann@example.org,£25,2024-03-01\n", Options{},
			`SELECT ladder || '|' || (SELECT amount_pence FROM donations) || '|' || (SELECT COUNT(*) FROM person_actions WHERE kind = 'donation') FROM people`, "donor|2500|1"},
		{"NeverDemotesToSupporter", "Email,Member\nann@example.org,no\n", Options{},
			`SELECT membership_status FROM people`, "supporter"},
		{"OrganiserImportKeepsConsent", "Email,Email opt-in,Last name\nann@example.org,no,Smith\n", Options{GroupID: "g1"},
			`SELECT status || '|' || (SELECT family_name FROM people) FROM consents`, "granted|Smith"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, d *db.DB) {
				im := newImporter(t, d)
				mustImport(t, im, first, Options{FileName: "first.csv"})
				ctx := system()
				if c.o.GroupID != "" { // an organiser's import, through a token scoped to the group
					ctx = auth.WithPrincipal(context.Background(), &auth.Principal{TokenGroupID: c.o.GroupID, Label: "token:g"})
				}
				res, err := im.Import(ctx, strings.NewReader(c.csv), c.o)
				if err != nil {
					t.Fatal(err)
				}
				if res.Created != 0 || res.Rejected != 0 {
					t.Errorf("result %+v: want the row merged into Ann", res)
				}
				if got := queryString(t, d, c.query); got != c.want {
					t.Errorf("%s\n got %q\nwant %q", c.query, got, c.want)
				}
			})
		})
	}
}

func TestImportNewPeople(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		csv := "Name,Email,Phone,Post code,Lat,Lng,Language,Membership status,Source,Donation amount\n" +
			"Mary Ann Smith,MARY@example.org,07700 900123,e81dy,51.5465,-0.0553,Welsh,member,Spring petition,12.50\n" +
			"Jo,,,,,,,,,\n"
		res := mustImport(t, im, csv, Options{FileName: "petition.csv"})
		if res.Created != 2 {
			t.Fatalf("result %+v", res)
		}
		got := queryString(t, d, `SELECT given_name || '|' || family_name || '|' || email || '|' || email_key || '|' || name_key || '|' ||
			phone || '|' || postcode || '|' || postcode_district || '|' || country || '|' || language || '|' ||
			membership_status || '|' || ladder || '|' || source || '|' || source_detail || '|' || latitude FROM people WHERE email IS NOT NULL`)
		want := "Mary Ann|Smith|mary@example.org|mary@example.org|mary ann smith|+447700900123|E8 1DY|E8|GB|cy|member|member|import|Spring petition|51.5465"
		if got != want {
			t.Errorf("person\n got %s\nwant %s", got, want)
		}
		if got := queryString(t, d, `SELECT source_detail || '|' || ladder FROM people WHERE email IS NULL`); got != "petition.csv|supporter" {
			t.Errorf("name-only person: %s", got)
		}
		if n := queryString(t, d, `SELECT COUNT(*) FROM person_actions WHERE kind NOT IN ('donation', 'ladder.changed')`); n != "0" {
			t.Errorf("an import stores %s timeline entries besides donations: how a person came is read from their record", n)
		}
		// A name-only row is recognised again by name and postcode.
		if again := mustImport(t, im, csv, Options{FileName: "petition.csv"}); again.Created != 0 {
			t.Errorf("second import created %d", again.Created)
		}
	})
}

func TestImportCustomFields(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, f := range []struct{ key, kind, choices string }{{"branch", "text", "[]"}, {"shoe", "number", "[]"}, {"tier", "choice", `["gold","silver"]`}} {
			if _, err := d.Exec(ctx, `INSERT INTO custom_field_defs (key, label, kind, choices, created_at) VALUES (?, ?, ?, ?, ?)`,
				f.key, f.key, f.kind, f.choices, db.Now()); err != nil {
				t.Fatal(err)
			}
		}
		im := newImporter(t, d)
		res := mustImport(t, im, "Email,custom:branch,custom:shoe,custom:tier\na@example.org,Hackney,42.0,gold\nb@example.org,,big,\nc@example.org,,,bronze\n", Options{})
		if res.Created != 1 || len(res.Errors) != 2 || !strings.Contains(res.Errors[0].Message, `custom:shoe: "big" is not a number`) ||
			!strings.Contains(res.Errors[1].Message, `custom:tier: "bronze" is not one of the choices`) {
			t.Errorf("result %+v", res)
		}
		if got := queryString(t, d, `SELECT custom_fields FROM people`); got != `{"branch":"Hackney","shoe":"42","tier":"gold"}` {
			t.Errorf("custom_fields = %s", got)
		}
		_, err := im.Import(system(), strings.NewReader("Email,custom:nope\nx@example.org,1\n"), Options{})
		if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), `custom field "nope" that does not exist`) {
			t.Errorf("undefined custom field: %v", err)
		}
	})
}
