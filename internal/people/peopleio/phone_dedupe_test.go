package peopleio

import (
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestImportMatchesPhoneSpellings: rows with no email whose numbers are one
// number written the ways people write it (national, international, with
// the bracketed trunk zero, for a GB and an Irish number) become one person
// each, with one stored number in E.164.
func TestImportMatchesPhoneSpellings(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		csv := "First name,Last name,Phone,Country\n" +
			"Sam,Shah,07700 900123,GB\n" +
			"Sam,Shah,+44 (0)7700 900123,GB\n" +
			"Sam,Shah,0044 7700-900-123,\n" +
			"Aoife,Byrne,087 123 4567,IE\n" +
			"Aoife,Byrne,+353 87 123 4567,GB\n"
		res := mustImport(t, im, csv, Options{FileName: "phones.csv"})
		if res.Rejected != 0 || res.Created != 2 {
			t.Fatalf("result = %+v (errors %+v), want 2 people created and nothing rejected", res, res.Errors)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM people`); n != 2 {
			t.Errorf("%d people, want 2", n)
		}
		for _, number := range []string{"+447700900123", "+353871234567"} {
			if n := count(t, d, `SELECT COUNT(*) FROM person_phones WHERE number = '`+number+`'`); n != 1 {
				t.Errorf("%s stored %d times, want once", number, n)
			}
		}
	})
}
