package importweb

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestUploadBounds: a header or row too long to import is refused at
// upload with the line named, and no page echoes more than a few dozen
// characters of a long header or cell.
func TestUploadBounds(t *testing.T) {
	s := newSiteLimit(t, dbtest.NewSQLite(t), 4<<20)
	admin := s.user(t, "Ada Admin", auth.RoleAdmin)
	long := func(c string, n int) string { return strings.Repeat(c, n) }

	t.Run("HeaderTooLong", func(t *testing.T) {
		res := s.do(t, admin, "POST", "/people/import", &upload{FileName: "one-line.csv", File: "Email," + long("h", 100_000)})
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422:\n%.2000s", res.Status, res.Text)
		}
		expect(t, res, "The first line (the column names) is longer than 64 KiB")
		expectNot(t, res, long("h", 100))
	})
	t.Run("RowTooLong", func(t *testing.T) {
		file := "Email,Notes\nann@example.org,ok\nbob@example.org," + long("n", 2<<20) + "\ncy@example.org,ok\n"
		res := s.do(t, admin, "POST", "/people/import", &upload{FileName: "long-row.csv", File: file})
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422:\n%.2000s", res.Status, res.Text)
		}
		expect(t, res, "The row starting on line 3 is longer than 1 MiB")
		expectNot(t, res, long("n", 100))
	})
	t.Run("LongHeaderAndCellClipped", func(t *testing.T) {
		file := "Email," + long("H", 5000) + "\nann@example.org," + long("C", 5000) + "\n"
		id := s.mustUpload(t, admin, &upload{FileName: "wide.csv", File: file})
		res := s.do(t, admin, "GET", "/imports/"+id, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("mapping page: status %d:\n%.2000s", res.Status, res.Text)
		}
		expect(t, res, long("H", 59)+"…", long("C", 59)+"…")
		expectNot(t, res, long("H", 61), long("C", 61))
	})
	t.Run("LongFileNameClipped", func(t *testing.T) {
		id := s.mustUpload(t, admin, &upload{FileName: long("f", 5000) + ".csv", File: "Email\nann@example.org\n"})
		res := s.do(t, admin, "GET", "/imports/"+id, nil)
		expect(t, res, long("f", 119)+"…")
		expectNot(t, res, long("f", 121))
	})
	t.Run("DraftPrivateAndSwept", func(t *testing.T) {
		id := s.mustUpload(t, admin, &upload{FileName: "private.csv", File: "Email\nann@example.org\n"})
		path := s.hd.drafts.path(id, ".csv")
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("a draft's file has mode %o, want 600 (the server's user only)", perm)
		}
		s.hd.drafts.sweep(time.Now().Add(draftTTL - time.Minute))
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("a draft younger than a day was swept: %v", err)
		}
		s.hd.drafts.sweep(time.Now().Add(draftTTL + time.Minute))
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("a draft a day old is still there (%v)", err)
		}
	})
}
