package app_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

// TestLibraryPages (issue 13) walks the knowledge base as its people do:
// an admin makes a network folder and a guide (whose Markdown is
// sanitised), edits it; a second editor's stale save is refused with
// their text kept; the revisions, a diff and a restore; attachments
// within and over the limits, and who may download them; a group-only
// document hidden from another group's organiser and from visitors; a
// learning path ticked off; and an archived group's library read-only.
func TestLibraryPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) { c.AttachmentMaxBytes = 64 << 10 }})
		a := n.App
		sys := auth.WithSystem(context.Background())
		n.CreateUser(t, "admin@example.org", "Password-For-admin", auth.RoleAdmin)
		n.CreateUser(t, "mo@example.org", "Password-For-mo", auth.RoleMember)
		n.CreateUser(t, "bea@example.org", "Password-For-bea", auth.RoleMember)
		gA, err := a.Groups.Create(sys, groups.Input{Name: "Hackney", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
		if err != nil {
			t.Fatal(err)
		}
		gB, err := a.Groups.Create(sys, groups.Input{Name: "Leeds", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"LS1"}})
		if err != nil {
			t.Fatal(err)
		}
		person := func(email string) string {
			id, err := a.People.Match(sys, email, "")
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: gA.ID, PersonID: person("mo@example.org"), Role: groups.RoleMember},
			{GroupID: gB.ID, PersonID: person("bea@example.org"), Role: groups.RoleOrganiser}}); err != nil {
			t.Fatal(err)
		}
		admin, mo, bea, anon := apptest.Client(t), apptest.Client(t), apptest.Client(t), apptest.Client(t)
		n.Login(t, admin, "admin@example.org", "Password-For-admin")
		n.Login(t, mo, "mo@example.org", "Password-For-mo")
		n.Login(t, bea, "bea@example.org", "Password-For-bea")
		post := func(c *http.Client, path string, kv ...string) apptest.Response {
			t.Helper()
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return apptest.PostForm(t, c, n.URL+path, v)
		}
		get := func(c *http.Client, path string) apptest.Response {
			t.Helper()
			return apptest.Get(t, c, n.URL+path)
		}
		created := func(res apptest.Response, prefix string) string {
			t.Helper()
			loc := res.Header.Get("Location")
			if res.Status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
				t.Fatalf("status %d to %q, want a redirect to %s…\n%s", res.Status, loc, prefix, res.Body)
			}
			return strings.TrimPrefix(strings.SplitN(loc, "#", 2)[0], prefix)
		}
		want := func(res apptest.Response, status int, texts ...string) {
			t.Helper()
			if res.Status != status {
				t.Fatalf("status %d, want %d\n%s", res.Status, status, res.Body)
			}
			for _, s := range texts {
				if !strings.Contains(res.Body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
		}

		// The network's folder and a guide in it.
		folder := created(post(admin, "/library/folders", "name", "Organising guides", "visibility", "public"), "/library/f/")
		want(get(anon, "/library"), 200, "Organising guides", `href="/library"`)
		want(get(admin, "/library/f/"+folder), 200, "Write a document here")
		want(get(admin, "/library/new?folder="+folder), 200, `name="title"`, `name="body"`)
		body := "# Before the meeting\n\nBook a room.\n\n<script>alert(1)</script>\n\n[agenda](javascript:alert(1))"
		doc := created(post(admin, "/library/docs", "folder_id", folder, "title", "Running your first meeting", "body", body,
			"visibility", "public", "note", "First draft"), "/library/d/")
		page := get(anon, "/library/d/"+doc)
		want(page, 200, "<h1>Before the meeting</h1>", "Book a room.")
		if strings.Contains(page.Body, "<script>alert") || strings.Contains(page.Body, "javascript:") {
			t.Errorf("the document's page carries the script:\n%s", page.Body)
		}
		want(post(anon, "/library/docs", "folder_id", folder, "title", "x", "visibility", "public"), http.StatusUnauthorized)
		want(post(admin, "/library/docs", "folder_id", folder, "title", "", "visibility", "everyone"), 422, "Enter a title.", "Choose who can see it.")

		// Two editors open revision 1; the second save is refused, text kept.
		want(get(admin, "/library/d/"+doc+"/edit"), 200, `name="base_revision" value="1"`)
		created(post(admin, "/library/d/"+doc, "title", "Running your first meeting", "body", "# Before the meeting\n\nBook a room.\nMake tea.",
			"visibility", "public", "base_revision", "1", "note", "Tea"), "/library/d/")
		stale := post(admin, "/library/d/"+doc, "title", "Running your first meeting", "body", "My own words", "visibility", "public", "base_revision", "1")
		want(stale, http.StatusConflict, "Someone else saved this document", "My own words", "Make tea.", `name="base_revision" value="2"`)

		want(get(anon, "/library/d/"+doc+"/revisions"), 200, "Revision 2", "Revision 1", "First draft", "Tea")
		want(get(anon, "/library/d/"+doc+"/diff?from=1&to=2"), 200, "<ins>", "Make tea.", "<del>")
		want(get(anon, "/library/d/"+doc+"/diff?from=x"), 400)
		want(post(admin, "/library/d/"+doc+"/restore", "revision", "1"), http.StatusSeeOther)
		want(get(anon, "/library/d/"+doc), 200, "Revision 3")

		// Attachments: a PDF is shown inline, text is downloaded; too big
		// and the wrong type are refused with words, not a 5xx.
		upload := func(c *http.Client, name string, content []byte) apptest.Response {
			t.Helper()
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write(content)
			mw.Close()
			req, _ := http.NewRequest("POST", n.URL+"/library/d/"+doc+"/attachments", &b)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			return apptest.Do(t, c, req)
		}
		want(upload(admin, "leaflet.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
		want(upload(admin, "notes.txt", []byte("Bring leaflets.\n")), http.StatusSeeOther)
		want(upload(admin, "big.txt", bytes.Repeat([]byte("a"), 200<<10)), http.StatusRequestEntityTooLarge, "larger than 64 KB")
		want(upload(admin, "bigger.txt", bytes.Repeat([]byte("a"), 70<<10)), 422, "Error:")
		want(upload(admin, "page.html", []byte("<html><script>alert(1)</script></html>")), 422, "Error:")
		want(upload(mo, "x.pdf", []byte("%PDF-1.4\n")), http.StatusForbidden)
		ids := regexp.MustCompile(`href="/library/a/([0-9a-f-]+)">([^<]+)<`).FindAllStringSubmatch(get(anon, "/library/d/"+doc).Body, -1)
		if len(ids) != 2 {
			t.Fatalf("attachments listed: %v", ids)
		}
		for _, m := range ids {
			res := get(anon, "/library/a/"+m[1])
			disp, ct := res.Header.Get("Content-Disposition"), res.Header.Get("Content-Type")
			if res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: no nosniff", m[2])
			}
			switch m[2] {
			case "leaflet.pdf":
				if ct != "application/pdf" || !strings.HasPrefix(disp, "inline") {
					t.Errorf("pdf served as %q, %q", ct, disp)
				}
			case "notes.txt":
				if !strings.HasPrefix(ct, "text/plain") || !strings.HasPrefix(disp, "attachment") || res.Body != "Bring leaflets.\n" {
					t.Errorf("text served as %q, %q: %q", ct, disp, res.Body)
				}
			}
		}

		// A group-only document: the group's member reads it; another
		// group's organiser and visitors do not, nor its attachment.
		gf := created(post(admin, "/library/folders", "group_id", gA.ID, "name", "Hackney notes", "visibility", "group"), "/library/f/")
		gdoc := created(post(mo, "/library/docs", "folder_id", gf, "title", "Our phone tree", "body", "Call Ann.", "visibility", "group"), "/library/d/")
		want(get(mo, "/library/d/"+gdoc), 200, "Call Ann.")
		want(get(mo, "/groups/"+gA.Slug+"/library"), 200, "Hackney notes")
		want(get(mo, "/groups/"+gA.Slug), 200, "Our phone tree", "/groups/"+gA.Slug+"/library")
		if res := get(bea, "/groups/"+gA.Slug); strings.Contains(res.Body, "Our phone tree") {
			t.Errorf("the group page's library panel shows a group-only document to another group's organiser")
		}
		for name, c := range map[string]*http.Client{"organiser of Leeds": bea, "visitor": anon} {
			if res := get(c, "/library/d/"+gdoc); res.Status != http.StatusNotFound || strings.Contains(res.Body, "Call Ann") {
				t.Errorf("%s reads the group-only document: %d", name, res.Status)
			}
			if res := get(c, "/groups/"+gA.Slug+"/library"); strings.Contains(res.Body, "Hackney notes") {
				t.Errorf("%s sees the group-only folder", name)
			}
		}

		// A learning path, ticked off by a member.
		path := created(post(admin, "/library/paths", "title", "New organiser", "description", "Start here.", "visibility", "public"), "/library/p/")
		want(post(admin, "/library/p/"+path+"/steps", "document_id", doc), http.StatusSeeOther)
		want(get(mo, "/library/p/"+path), 200, "0 of 1 done", "Tick off")
		want(post(mo, "/library/p/"+path+"/tick", "document_id", doc, "done", "1"), http.StatusSeeOther)
		want(get(mo, "/library/paths"), 200, "New organiser", "1 of 1 done")
		want(get(admin, "/library/paths"), 200, "0 of 1 done")

		// An archived group's library: readable, refusing writes.
		if err := a.Groups.Archive(sys, gA.ID); err != nil {
			t.Fatal(err)
		}
		want(get(mo, "/library/d/"+gdoc), 200, "This group is archived")
		want(post(mo, "/library/d/"+gdoc, "title", "Our phone tree", "body", "x", "visibility", "group", "base_revision", "1"),
			http.StatusConflict, "This group is archived.")
	})
}
