package importweb

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// badFile has two rows that cannot be imported: line 3 (an email address
// without a domain) and line 5 (a phone number).
const badFile = "First name,Last name,E-mail address,Mobile,Post code\n" +
	"Ada,Lovelace,ada@example.org,07700 900001,E8 1DY\n" +
	"Bob,Bad,bob@,07700 900002,E8 1DY\n" +
	"Cy,Twm,cy@example.org,07700 900003,CF10 1AA\n" +
	"Dee,Dial,dee@example.org,12,LS1 1AA\n" +
	"Eve,Ok,eve@example.org,,BS1 1AA\n"

// fixedFile is badFile with both rows corrected.
const fixedFile = "First name,Last name,E-mail address,Mobile,Post code\n" +
	"Ada,Lovelace,ada@example.org,07700 900001,E8 1DY\n" +
	"Bob,Bad,bob@example.org,07700 900002,E8 1DY\n" +
	"Cy,Twm,cy@example.org,07700 900003,CF10 1AA\n" +
	"Dee,Dial,dee@example.org,07700 900004,LS1 1AA\n" +
	"Eve,Ok,eve@example.org,,BS1 1AA\n"

// TestWizard walks an organiser's whole import: a file with two bad rows is
// previewed with both errors by line, the corrected file is uploaded,
// imported as a job, and the progress page reaches done with the counts.
func TestWizard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		org := s.user(t, "Olu Organiser", auth.RoleMember, "g-hackney", "Hackney Tenants")
		fields := map[string]string{"tags": "petition 2026, Hackney", "group_id": "g-hackney",
			"consent_wording": "Keep me updated by email."}

		bad := s.mustUpload(t, org, &upload{FileName: "members.csv", File: badFile, Fields: fields})
		t.Run("MappingDetected", func(t *testing.T) {
			res := s.do(t, org, "GET", "/imports/"+bad, nil)
			if res.Status != http.StatusOK {
				t.Fatalf("status %d:\n%s", res.Status, res.Text)
			}
			expect(t, res, "Which column holds what?", `<label for="col-2">E-mail address</label>`,
				`<option value="email" selected>Email</option>`, `<option value="postcode" selected>Postcode</option>`,
				"ada@example.org", "CF10 1AA")
		})
		t.Run("MappingOfNothingRefused", func(t *testing.T) {
			res := s.do(t, org, "POST", "/imports/"+bad+"/mapping", url.Values{
				"#1": {"ignore"}, "#2": {"ignore"}, "#3": {"ignore"}, "#4": {"ignore"}, "#5": {"ignore"}})
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422:\n%s", res.Status, res.Text)
			}
			expect(t, res, `<div class="form-error" role="alert">`, `<option value="ignore" selected>Ignore</option>`)
			expectNot(t, res, `<option value="email" selected>`)
		})
		t.Run("PreviewListsBothErrors", func(t *testing.T) {
			res := s.do(t, org, "POST", "/imports/"+bad+"/mapping", url.Values{
				"#1": {"given_name"}, "#2": {"family_name"}, "#3": {"email"}, "#4": {"phone"}, "#5": {"postcode"}})
			if res.Status != http.StatusSeeOther || res.Location != "/imports/"+bad+"/preview" {
				t.Fatalf("save mapping: %d %q:\n%s", res.Status, res.Location, res.Text)
			}
			res = s.do(t, org, "GET", res.Location, nil)
			expect(t, res, "line 3: E-mail address: 'bob@' is not an email address",
				"line 5: Mobile: '12' is not a phone number",
				"<dt>New people</dt><dd>3</dd>", "<dt>Rows rejected</dt><dd>2</dd>",
				`action="/imports/`+bad+`/start"`, `href="/people/import?from=`+bad+`"`, "Upload a corrected file")
		})
		t.Run("CorrectedFileKeepsOptions", func(t *testing.T) {
			res := s.do(t, org, "GET", "/people/import?from="+bad, nil)
			expect(t, res, `value="petition 2026, Hackney"`, `<option value="g-hackney" selected>`, "Keep me updated by email.")
		})

		fixed := s.mustUpload(t, org, &upload{FileName: "members-fixed.csv", File: fixedFile, Fields: fields})
		res := s.do(t, org, "GET", "/imports/"+fixed+"/preview", nil)
		expect(t, res, "<dt>New people</dt><dd>5</dd>", "<dt>Rows rejected</dt><dd>0</dd>")
		expectNot(t, res, "line ")

		res = s.do(t, org, "POST", "/imports/"+fixed+"/start", url.Values{})
		m := runPath.FindStringSubmatch(res.Location)
		if res.Status != http.StatusSeeOther || m == nil || m[1] == fixed {
			t.Fatalf("start: %d %q, want 303 to the run:\n%s", res.Status, res.Location, res.Text)
		}
		run := m[1]
		t.Run("WaitingPageRefreshes", func(t *testing.T) {
			res := s.do(t, org, "GET", "/imports/"+run, nil)
			expect(t, res, "Waiting to start…", `<meta http-equiv="refresh" content="2">`, "0 of about 5")
		})
		t.Run("StartTwiceLeadsToTheRun", func(t *testing.T) {
			for _, req := range []struct{ method, path string }{
				{"POST", "/imports/" + fixed + "/start"}, {"GET", "/imports/" + fixed}, {"GET", "/imports/" + fixed + "/preview"}} {
				res := s.do(t, org, req.method, req.path, url.Values{})
				if res.Status != http.StatusSeeOther || res.Location != "/imports/"+run {
					t.Errorf("%s %s: %d %q, want 303 to the run", req.method, req.path, res.Status, res.Location)
				}
			}
		})

		s.startJobs(t)
		res = s.waitFor(t, org, run, "<h2 id=\"status\">Done</h2>")
		t.Run("ProgressDone", func(t *testing.T) {
			expect(t, res, "5 of 5", "<dt>New people</dt><dd>5</dd>", "<dt>People updated</dt><dd>0</dd>",
				"<dt>Rows rejected</dt><dd>0</dd>", `<progress id="bar" max="100" value="100">`)
			expectNot(t, res, "http-equiv", "Rejected rows")
			var n, tagged int
			// The imported people, the organiser's own record aside; each a
			// member of the group it was imported for.
			if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM people WHERE user_id IS NULL`).Scan(&n); err != nil || n != 5 {
				t.Errorf("people in the database: %d (%v), want 5", n, err)
			}
			var members int
			if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM group_members m JOIN people p ON p.id = m.person_id
				WHERE m.group_id = 'g-hackney' AND p.user_id IS NULL`).Scan(&members); err != nil || members != 5 {
				t.Errorf("members of the group: %d (%v), want the 5 imported", members, err)
			}
			if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM person_tags`).Scan(&tagged); err != nil || tagged != 10 {
				t.Errorf("tags given: %d (%v), want 10 (two tags on five people)", tagged, err)
			}
		})
		t.Run("PastRuns", func(t *testing.T) {
			res := s.do(t, org, "GET", "/people/imports?group=g-hackney", nil)
			expect(t, res, `<a href="/imports/`+run+`">members-fixed.csv</a>`, "<td>done</td>", "<td>5</td>")
			expectNot(t, res, ">members.csv</a>") // never imported
		})
		t.Run("RejectedRowsOnProgress", func(t *testing.T) {
			// The first file, imported after all: its two bad rows are listed
			// on the run's page, and nobody is added twice.
			res := s.do(t, org, "POST", "/imports/"+bad+"/start", url.Values{})
			m := runPath.FindStringSubmatch(res.Location)
			if m == nil {
				t.Fatalf("start: %d %q:\n%s", res.Status, res.Location, res.Text)
			}
			res = s.waitFor(t, org, m[1], "<h2 id=\"status\">Done</h2>")
			expect(t, res, "Rejected rows", "line 3: E-mail address: 'bob@' is not an email address",
				"line 5: Mobile: '12' is not a phone number", "<dt>New people</dt><dd>0</dd>", "<dt>Rows rejected</dt><dd>2</dd>")
		})
	})
}

// TestUploadRefused: files that cannot be imported are refused at upload,
// with the reason beside the file field and the other answers kept.
func TestUploadRefused(t *testing.T) {
	s := newSiteLimit(t, dbtest.NewSQLite(t), 1<<20)
	admin := s.user(t, "Ada Admin", auth.RoleAdmin)
	tags := map[string]string{"tags": "kept tag"}
	tests := []struct {
		Name   string
		Upload *upload
		Status int
		Want   string
	}{
		{"Xlsx", &upload{FileName: "members.xlsx", File: "PK\x03\x04\x14\x00\x06\x00workbook", Fields: tags},
			http.StatusUnprocessableEntity, "This looks like an Excel workbook (.xlsx): save it as CSV UTF-8 and try again."},
		{"Empty", &upload{FileName: "empty.csv", File: "", Fields: tags},
			http.StatusUnprocessableEntity, "The file is empty"},
		{"NoFile", &upload{Fields: tags}, http.StatusUnprocessableEntity, "Choose the CSV file to import."},
		{"TooLarge", &upload{FileName: "big.csv", File: "Email\n" + strings.Repeat("x@example.org\n", 100_000), Fields: tags},
			http.StatusRequestEntityTooLarge, "The file is larger than 1 MB"},
	}
	for _, tc := range tests {
		t.Run(tc.Name, func(t *testing.T) {
			res := s.do(t, admin, "POST", "/people/import", tc.Upload)
			if res.Status != tc.Status {
				t.Fatalf("status %d, want %d:\n%s", res.Status, tc.Status, res.Text)
			}
			// The message sits in the file field's error, which the input points at.
			expect(t, res, `<p class="field__error" id="f-file-error"><span class="field__error-prefix">Error:</span> `+tc.Want,
				`aria-describedby="f-file-hint f-file-error" aria-invalid="true"`)
			if tc.Status != http.StatusRequestEntityTooLarge {
				expect(t, res, `value="kept tag"`)
			}
		})
	}
	var n int
	if err := s.d.QueryRow(t.Context(), `SELECT COUNT(*) FROM import_runs`).Scan(&n); err != nil || n != 0 {
		t.Errorf("import runs recorded: %d (%v), want none", n, err)
	}
}

// TestPermissions: who may use the wizard. The importer decides; the pages
// show its refusal.
func TestPermissions(t *testing.T) {
	s := newSite(t, dbtest.NewSQLite(t))
	admin := s.user(t, "Ada Admin", auth.RoleAdmin)
	orgA := s.user(t, "Olu Organiser", auth.RoleMember, "g-a", "Group A")
	orgB := s.user(t, "Bea Organiser", auth.RoleMember, "g-b", "Group B")
	member := s.user(t, "Mo Member", auth.RoleMember)
	csv := &upload{FileName: "a.csv", File: fixedFile}
	draftA := s.mustUpload(t, orgA, &upload{FileName: "a.csv", File: fixedFile, Fields: map[string]string{"group_id": "g-a"}})
	network := s.mustUpload(t, admin, csv)
	res := s.do(t, admin, "POST", "/imports/"+network+"/start", url.Values{})
	m := runPath.FindStringSubmatch(res.Location)
	if m == nil {
		t.Fatalf("start: %d %q:\n%s", res.Status, res.Location, res.Text)
	}
	run := m[1]
	refusal := "Only admins, and a group's organisers for their own group, can import people."
	tests := []struct {
		Name        string
		As          *user
		Method, URL string
		Body        any
		Status      int
		Location    string
		Want        []string
		Not         []string
	}{
		{"AnonymousToLogin", nil, "GET", "/people/import", nil, http.StatusSeeOther, "/login?next=%2Fpeople%2Fimport", nil, nil},
		{"MemberForm", member, "GET", "/people/import", nil, http.StatusForbidden, "", []string{refusal}, []string{`type="file"`}},
		{"MemberUpload", member, "POST", "/people/import", csv, http.StatusForbidden, "", []string{refusal}, nil},
		{"MemberRuns", member, "GET", "/people/imports", nil, http.StatusForbidden, "", []string{refusal}, nil},
		{"MemberRun", member, "GET", "/imports/" + run, nil, http.StatusForbidden, "", []string{refusal}, []string{"a.csv"}},
		{"MemberDraft", member, "GET", "/imports/" + draftA, nil, http.StatusForbidden, "", []string{refusal}, []string{"a.csv"}},
		{"AdminForm", admin, "GET", "/people/import", nil, http.StatusOK, "",
			[]string{`<input id="f-file" name="file" type="file" accept=".csv,text/csv" required`, "What did these people agree to?"},
			[]string{"Import into"}},
		{"OrganiserFormOffersOwnGroup", orgA, "GET", "/people/import", nil, http.StatusOK, "",
			[]string{`<option value="g-a">Group A</option>`}, []string{"The whole network", "Group B"}},
		{"OrganiserNetworkWideUpload", orgA, "POST", "/people/import", csv, http.StatusForbidden, "", []string{refusal}, nil},
		{"OrganiserOtherGroupUpload", orgA, "POST", "/people/import",
			&upload{FileName: "a.csv", File: fixedFile, Fields: map[string]string{"group_id": "g-b"}}, http.StatusForbidden, "", []string{refusal}, nil},
		{"OrganiserOwnDraft", orgA, "GET", "/imports/" + draftA, nil, http.StatusOK, "", []string{"Which column holds what?"}, nil},
		{"OrganiserOwnPreview", orgA, "GET", "/imports/" + draftA + "/preview", nil, http.StatusOK, "", []string{"<dt>New people</dt><dd>5</dd>"}, nil},
		{"OtherOrganiserDraft", orgB, "GET", "/imports/" + draftA, nil, http.StatusForbidden, "", nil, []string{"Which column"}},
		{"OtherOrganiserPreview", orgB, "GET", "/imports/" + draftA + "/preview", nil, http.StatusForbidden, "", nil, []string{"New people"}},
		{"OtherOrganiserMapping", orgB, "POST", "/imports/" + draftA + "/mapping", url.Values{"#1": {"email"}}, http.StatusForbidden, "", nil, nil},
		{"OtherOrganiserStart", orgB, "POST", "/imports/" + draftA + "/start", url.Values{}, http.StatusForbidden, "", nil, nil},
		{"AdminCannotOpenAnothersDraft", admin, "GET", "/imports/" + draftA, nil, http.StatusNotFound, "", nil, []string{"Which column"}},
		{"OrganiserNetworkRun", orgA, "GET", "/imports/" + run, nil, http.StatusForbidden, "", nil, []string{"a.csv"}},
		{"OrganiserNetworkDraft", orgA, "GET", "/imports/" + network, nil, http.StatusForbidden, "", nil, nil},
		{"OrganiserRunsOfOtherGroup", orgA, "GET", "/people/imports?group=g-b", nil, http.StatusForbidden, "", nil, nil},
		{"OrganiserRunsNetworkWide", orgA, "GET", "/people/imports", nil, http.StatusForbidden, "", nil, nil},
		{"AdminSeesEveryRun", admin, "GET", "/people/imports", nil, http.StatusOK, "", []string{`href="/imports/` + run + `"`}, nil},
		{"AdminSeesRun", admin, "GET", "/imports/" + run, nil, http.StatusOK, "", []string{"Importing a.csv"}, nil},
		{"UnknownID", admin, "GET", "/imports/0190aaaa-0000-7000-8000-000000000000", nil, http.StatusNotFound, "", nil, nil},
		{"PathTraversal", admin, "GET", "/imports/..%2F..%2Fetc%2Fpasswd", nil, http.StatusNotFound, "", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.Name, func(t *testing.T) {
			res := s.do(t, tc.As, tc.Method, tc.URL, tc.Body)
			if res.Status != tc.Status {
				t.Fatalf("status %d, want %d:\n%s", res.Status, tc.Status, res.Text)
			}
			if tc.Location != "" && res.Location != tc.Location {
				t.Errorf("location %q, want %q", res.Location, tc.Location)
			}
			expect(t, res, tc.Want...)
			expectNot(t, res, tc.Not...)
		})
	}
}
