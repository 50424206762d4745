package peopleio

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

func TestExportRoundTrips(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		im := newImporter(t, d)
		csv := "First name,Last name,Email,Phone,Address 1,Town,Postcode,Latitude,Longitude,Language,Member,Member since,Tags,Email opt-in,SMS opt-in,Source\n" +
			"Ann,O'Neill,ann@example.org,07700 900001,\"1 High St, Flat 2\",London,E8 1DY,51.5465,-0.0553,cy,yes,2021-03-31,\"climate, housing\",yes,no,Petition\n" +
			"=Bob,Jones,\"bob@example.org, bob@work.example\",,,,,,,,,,,,,\n" +
			"Cy,,,+353 1 234 5678,,,,,,,,,,,,\n"
		mustImport(t, im, csv, Options{Tags: []string{"Spring"}})

		svc := newCore(t, d).People
		var out bytes.Buffer
		n, err := Export(system(), svc, people.Filter{}, &out)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("exported %d people, want 3", n)
		}
		text := out.String()
		for _, want := range []string{"\ufeffFirst name,Last name,Email,Phone,Address 1,", "'=Bob", "'+447700900001",
			"bob@example.org, bob@work.example", "\"1 High St, Flat 2\"", "Spring"} {
			if !strings.Contains(text, want) {
				t.Errorf("export lacks %q:\n%s", want, text)
			}
		}
		// The export, imported again into the same network, changes nothing…
		before := tableCounts(t, d)
		again := mustImport(t, im, text, Options{FileName: "export.csv"})
		if again.Created != 0 || again.Updated != 0 || again.Rejected != 0 {
			t.Errorf("re-importing the export: %+v", again)
		}
		if after := tableCounts(t, d); !reflect.DeepEqual(after, before) {
			t.Errorf("re-importing the export changed row counts:\n%v\n%v", before, after)
		}
		// …and into an empty one makes the same export.
		d2 := dbtest.NewSQLite(t)
		mustImport(t, newImporter(t, d2), text, Options{FileName: "export.csv"})
		var out2 bytes.Buffer
		if _, err := Export(system(), newCore(t, d2).People, people.Filter{}, &out2); err != nil {
			t.Fatal(err)
		}
		if out2.String() != text {
			t.Errorf("export → import → export differs:\n%s\n---\n%s", text, out2.String())
		}
	})
}
