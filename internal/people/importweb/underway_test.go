package importweb

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestSecondImportRefused: while a job imports a file (here: staged, its
// job not yet run), the same file is refused at upload and at start, with
// a link to the import under way; once that job is cancelled on the jobs
// page, the file can be imported again. Another file, or the same file for
// another group, is not refused.
func TestSecondImportRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		admin := s.user(t, "Ada Admin", auth.RoleAdmin)
		org := s.user(t, "Olu Organiser", auth.RoleMember, "g-leeds", "Leeds Renters")
		file := "Email,Name\nann@example.org,Ann\nbob@example.org,Bob\n"

		early := s.mustUpload(t, admin, &upload{FileName: "members.csv", File: file}) // a draft, before the first starts
		first := s.mustUpload(t, admin, &upload{FileName: "members.csv", File: file})
		res := s.do(t, admin, "POST", "/imports/"+first+"/start", nil)
		if res.Status != http.StatusSeeOther || res.Location != "/imports/"+first && !strings.HasPrefix(res.Location, "/imports/") {
			t.Fatalf("start: %d %q:\n%s", res.Status, res.Location, res.Text)
		}
		run := strings.TrimPrefix(res.Location, "/imports/")

		refused := func(t *testing.T, res response) {
			t.Helper()
			if res.Status != http.StatusConflict {
				t.Fatalf("status %d, want 409:\n%s", res.Status, res.Text)
			}
			expect(t, res, "This file is already being imported (members.csv, started ",
				`<a href="/imports/`+run+`">follow the import of members.csv</a>`)
		}
		t.Run("AtUpload", func(t *testing.T) {
			refused(t, s.do(t, admin, "POST", "/people/import", &upload{FileName: "copy of members.csv", File: file}))
		})
		t.Run("AtStart", func(t *testing.T) {
			refused(t, s.do(t, admin, "POST", "/imports/"+early+"/start", nil))
		})
		t.Run("OtherFileOrGroupAccepted", func(t *testing.T) {
			s.mustUpload(t, admin, &upload{FileName: "other.csv", File: file + "cy@example.org,Cy\n"})
			s.mustUpload(t, org, &upload{FileName: "members.csv", File: file, Fields: map[string]string{"group_id": "g-leeds"}})
		})
		t.Run("AfterCancel", func(t *testing.T) {
			var jobID int64
			if err := d.QueryRow(context.Background(), `SELECT job_id FROM import_runs WHERE id = ?`, run).Scan(&jobID); err != nil {
				t.Fatal(err)
			}
			if err := s.jobs.Cancel(context.Background(), jobID); err != nil {
				t.Fatal(err)
			}
			expect(t, s.do(t, admin, "GET", "/imports/"+run, nil), "The import failed", "The import stopped before the end")
			res := s.do(t, admin, "POST", "/imports/"+early+"/start", nil)
			if res.Status != http.StatusSeeOther {
				t.Fatalf("start after the first was cancelled: status %d:\n%s", res.Status, res.Text)
			}
		})
	})
}
