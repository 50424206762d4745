package library

import (
	"bytes"
	"context"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/files"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := New(Deps{})
	if err == nil {
		t.Fatal("New with no deps: no error")
	}
	for _, name := range []string{"DB", "Policy", "Files"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
	d := dbtest.NewSQLite(t)
	store, _ := files.NewDisk(t.TempDir())
	if _, err := New(Deps{DB: d, Policy: auth.NewPolicy(), Files: store}); err == nil || !strings.Contains(err.Error(), "MaxBytes") {
		t.Errorf("New without limits: %v, want an error naming MaxBytes", err)
	}
}

// fixture is a network with two groups, each with an organiser and a
// member, a supporter, and a folder of each visibility in group A.
type fixture struct {
	*env
	a, b                                string
	orgA, memA, orgB, memB, sup, netMem person
	anon                                context.Context
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	e := newEnv(t, d)
	f := &fixture{env: e, anon: context.Background()}
	f.a, f.b = e.group(t, "hackney"), e.group(t, "leeds")
	f.orgA, f.memA = e.person(t, "Olive Organiser", auth.RoleMember), e.person(t, "Mo Member", auth.RoleMember)
	f.orgB, f.memB = e.person(t, "Bea Organiser", auth.RoleMember), e.person(t, "Ben Member", auth.RoleMember)
	f.sup, f.netMem = e.person(t, "Sam Supporter", auth.RoleSupporter), e.person(t, "Nia Networker", auth.RoleMember)
	e.join(t, f.a, f.orgA, "organiser")
	e.join(t, f.a, f.memA, "member")
	e.join(t, f.b, f.orgB, "organiser")
	e.join(t, f.b, f.memB, "member")
	return f
}

func TestReadPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pub := f.mustFolder(t, f.orgA.ctx, FolderInput{GroupID: f.a, Name: "Guides", Visibility: Public})
		docs := map[string]*Document{}
		for _, vis := range []string{Public, Members, Group} {
			docs[vis] = f.mustDoc(t, f.memA.ctx, DocInput{FolderID: pub.ID, Title: "Doc " + vis, Body: "Text for " + vis, Visibility: vis})
		}
		readers := []struct {
			name string
			ctx  context.Context
			sees []string
		}{
			{"anonymous", f.anon, []string{Public}},
			{"supporter", f.sup.ctx, []string{Public}},
			{"network member", f.netMem.ctx, []string{Public, Members}},
			{"organiser of B", f.orgB.ctx, []string{Public, Members}},
			{"member of A", f.memA.ctx, []string{Public, Members, Group}},
			{"admin", f.admin.ctx, []string{Public, Members, Group}},
		}
		for _, r := range readers {
			t.Run(r.name, func(t *testing.T) {
				fv, err := f.svc.Folder(r.ctx, pub.ID)
				if err != nil {
					t.Fatal(err)
				}
				var listed []string
				for _, d := range fv.Documents {
					listed = append(listed, d.Visibility)
				}
				for _, vis := range []string{Public, Members, Group} {
					want := contains(r.sees, vis)
					_, err := f.svc.Document(r.ctx, docs[vis].ID)
					if want && err != nil {
						t.Errorf("%s document: %v, want it readable", vis, err)
					}
					if !want {
						wantCode(t, err, errs.NotFound)
					}
					if _, _, err := f.svc.Revisions(r.ctx, docs[vis].ID); (err == nil) != want {
						t.Errorf("%s revisions: %v, want readable %v", vis, err, want)
					}
					if contains(listed, vis) != want {
						t.Errorf("folder lists %v; %s listed should be %v", listed, vis, want)
					}
				}
			})
		}
		// A group-only folder is not shown at all to those outside.
		priv := f.mustFolder(t, f.orgA.ctx, FolderInput{GroupID: f.a, Name: "Organisers' notes", Visibility: Group})
		if _, err := f.svc.Folder(f.orgB.ctx, priv.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("organiser of B reads A's group folder: %v", err)
		}
		sh, err := f.svc.Shelf(f.orgB.ctx, f.a)
		if err != nil {
			t.Fatal(err)
		}
		if len(sh.Folders) != 1 || sh.Folders[0].ID != pub.ID || sh.CanManage {
			t.Errorf("organiser of B sees A's shelf as %+v, want only the public folder and no managing", sh)
		}
	})
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func TestWritePermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		folder := f.mustFolder(t, f.orgA.ctx, FolderInput{GroupID: f.a, Name: "Guides", Visibility: Members})
		t.Run("MembersWriteTheirGroup", func(t *testing.T) {
			doc := f.mustDoc(t, f.memA.ctx, DocInput{FolderID: folder.ID, Title: "Phone banking", Body: "Call.", Visibility: Members})
			if _, err := f.svc.Save(f.memA.ctx, doc.ID, DocInput{Title: "Phone banking", Body: "Call them.", Visibility: Members, BaseRevision: 1}); err != nil {
				t.Fatal(err)
			}
			// Another group's organiser may read it (members-only) but not change it.
			_, err := f.svc.Save(f.orgB.ctx, doc.ID, DocInput{Title: "x", Body: "x", Visibility: Members, BaseRevision: 2})
			wantCode(t, err, errs.Forbidden)
			_, err = f.svc.CreateDocument(f.orgB.ctx, DocInput{FolderID: folder.ID, Title: "x", Visibility: Members})
			wantCode(t, err, errs.Forbidden)
			wantCode(t, f.svc.DeleteDocument(f.memA.ctx, doc.ID), errs.Forbidden)
		})
		t.Run("OrganisersManageFolders", func(t *testing.T) {
			_, err := f.svc.CreateFolder(f.memA.ctx, FolderInput{GroupID: f.a, Name: "Mine", Visibility: Public})
			wantCode(t, err, errs.Forbidden)
			_, err = f.svc.CreateFolder(f.orgB.ctx, FolderInput{GroupID: f.a, Name: "Theirs", Visibility: Public})
			wantCode(t, err, errs.Forbidden)
			_, err = f.svc.CreateFolder(f.anon, FolderInput{GroupID: f.a, Name: "Nobody's", Visibility: Public})
			wantCode(t, err, errs.Unauthorized)
			sub := f.mustFolder(t, f.orgA.ctx, FolderInput{ParentID: folder.ID, Name: "Canvassing", Visibility: Group})
			if sub.GroupID != f.a {
				t.Errorf("subfolder's group %q, want its parent's", sub.GroupID)
			}
			_, err = f.svc.CreateFolder(f.orgA.ctx, FolderInput{ParentID: sub.ID, Name: "Too deep", Visibility: Group})
			if errs.FieldsOf(err)["parent_id"] == "" {
				t.Errorf("a third level: %v, want an error on parent_id", err)
			}
			_, err = f.svc.CreateFolder(f.orgA.ctx, FolderInput{ParentID: folder.ID, Name: "Wider", Visibility: Public})
			if errs.FieldsOf(err)["visibility"] == "" {
				t.Errorf("a public folder in a members' folder: %v, want an error on visibility", err)
			}
		})
		t.Run("NetworkLibraryIsAdmins", func(t *testing.T) {
			_, err := f.svc.CreateFolder(f.orgA.ctx, FolderInput{Name: "Network guides", Visibility: Public})
			wantCode(t, err, errs.Forbidden)
			nf := f.mustFolder(t, f.admin.ctx, FolderInput{Name: "Network guides", Visibility: Public})
			_, err = f.svc.CreateDocument(f.netMem.ctx, DocInput{FolderID: nf.ID, Title: "x", Visibility: Public})
			wantCode(t, err, errs.Forbidden)
			_, err = f.svc.CreateFolder(f.admin.ctx, FolderInput{Name: "Group only?", Visibility: Group})
			if errs.FieldsOf(err)["visibility"] == "" {
				t.Errorf("a group-only network folder: %v, want an error on visibility", err)
			}
		})
		t.Run("FieldsNamed", func(t *testing.T) {
			_, err := f.svc.CreateDocument(f.memA.ctx, DocInput{FolderID: folder.ID, Title: strings.Repeat("x", 201),
				Body: strings.Repeat("y", maxBody+1), Visibility: "everyone"})
			for _, k := range []string{"title", "body", "visibility"} {
				if errs.FieldsOf(err)[k] == "" {
					t.Errorf("error %v does not name %s", err, k)
				}
			}
			_, err = f.svc.CreateDocument(f.memA.ctx, DocInput{FolderID: "nope", Title: "x", Visibility: Members})
			wantCode(t, err, errs.NotFound)
		})
	})
}

func TestRevisionsDiffRestore(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		folder := f.mustFolder(t, f.orgA.ctx, FolderInput{GroupID: f.a, Name: "Guides", Visibility: Public})
		doc := f.mustDoc(t, f.memA.ctx, DocInput{FolderID: folder.ID, Title: "First meeting",
			Body: "Book a room.\nMake tea.\nWelcome people.", Visibility: Public, Note: "First draft"})
		f.now = f.now.Add(3600e9)
		doc2, err := f.svc.Save(f.orgA.ctx, doc.ID, DocInput{Title: "Running your first meeting",
			Body: "Book a room.\nWelcome people at the door.\nAgree the agenda.", Visibility: Public, Note: "Agenda", BaseRevision: 1})
		if err != nil {
			t.Fatal(err)
		}
		if doc2.Revision != 2 {
			t.Fatalf("revision %d after one save, want 2", doc2.Revision)
		}
		_, revs, err := f.svc.Revisions(f.anon, doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 || revs[0].Number != 2 || revs[0].AuthorName != "Olive Organiser" || revs[0].Note != "Agenda" ||
			revs[1].AuthorName != "Mo Member" || revs[1].Note != "First draft" || !revs[0].At.After(revs[1].At) {
			t.Fatalf("revisions %+v", revs)
		}
		c, err := f.svc.Diff(f.anon, doc.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range c.Lines {
			got = append(got, l.Op+" "+l.Text)
		}
		want := []string{"same Book a room.", "removed Make tea.", "removed Welcome people.",
			"added Welcome people at the door.", "added Agree the agenda."}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("diff\n got %q\nwant %q", got, want)
		}
		if !c.TitleChanged || c.Added != 2 || c.Removed != 2 {
			t.Errorf("comparison %+v", c)
		}
		if _, err := f.svc.Diff(f.anon, doc.ID, 1, 9); !errs.Is(err, errs.NotFound) {
			t.Errorf("diff to a revision that does not exist: %v", err)
		}
		// Restore brings revision 1 back as revision 3.
		doc3, err := f.svc.Restore(f.memA.ctx, doc.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if doc3.Revision != 3 || doc3.Title != "First meeting" || !strings.Contains(doc3.Body, "Make tea.") {
			t.Errorf("restored %+v", doc3)
		}
		r3, err := f.svc.Revision(f.anon, doc.ID, 3)
		if err != nil || r3.RestoredFrom != 1 {
			t.Errorf("revision 3: %+v, %v; want restored from 1", r3, err)
		}
		_, err = f.svc.Restore(f.memA.ctx, doc.ID, 3)
		if errs.FieldsOf(err)["revision"] == "" {
			t.Errorf("restoring the current revision: %v", err)
		}
		_, err = f.svc.Restore(f.orgB.ctx, doc.ID, 2)
		wantCode(t, err, errs.Forbidden)
	})
}

func TestStaleSaveConflict(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		folder := f.mustFolder(t, f.orgA.ctx, FolderInput{GroupID: f.a, Name: "Guides", Visibility: Group})
		doc := f.mustDoc(t, f.memA.ctx, DocInput{FolderID: folder.ID, Title: "Rota", Body: "Mon: Mo", Visibility: Group})
		// Both open the edit form at revision 1; the organiser saves first.
		if _, err := f.svc.Save(f.orgA.ctx, doc.ID, DocInput{Title: "Rota", Body: "Mon: Olive", Visibility: Group, BaseRevision: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Save(f.memA.ctx, doc.ID, DocInput{Title: "Rota", Body: "Mon: Mo\nTue: Mo", Visibility: Group, BaseRevision: 1})
		wantCode(t, err, errs.Conflict)
		if !strings.Contains(errs.MessageOf(err), "Someone else saved") {
			t.Errorf("message %q does not say someone else saved", errs.MessageOf(err))
		}
		dv, _ := f.svc.Document(f.memA.ctx, doc.ID)
		if dv.Document.Body != "Mon: Olive" || dv.Document.Revision != 2 {
			t.Errorf("after the refused save: %+v", dv.Document)
		}
	})
}

func TestPathProgress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		folder := f.mustFolder(t, f.admin.ctx, FolderInput{Name: "Organising guides", Visibility: Public})
		var ids []string
		for _, title := range []string{"Running your first meeting", "Canvassing safely", "Data protection for organisers"} {
			vis := Public
			if title == "Data protection for organisers" {
				vis = Members
			}
			ids = append(ids, f.mustDoc(t, f.admin.ctx, DocInput{FolderID: folder.ID, Title: title, Body: title, Visibility: vis}).ID)
		}
		_, err := f.svc.CreatePath(f.orgA.ctx, PathInput{Title: "New organiser"})
		wantCode(t, err, errs.Forbidden)
		p, err := f.svc.CreatePath(f.admin.ctx, PathInput{Title: "New organiser", Description: "Start here.", Visibility: Public})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := f.svc.AddStep(f.admin.ctx, p.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.svc.AddStep(f.admin.ctx, p.ID, ids[0]); errs.FieldsOf(err)["document_id"] == "" {
			t.Errorf("adding a step twice: %v", err)
		}
		wantCode(t, f.svc.AddStep(f.orgA.ctx, p.ID, ids[0]), errs.Forbidden)
		for _, id := range ids[:2] {
			if err := f.svc.Tick(f.memA.ctx, p.ID, id, true); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.svc.Tick(f.memA.ctx, p.ID, ids[0], true); err != nil { // twice is harmless
			t.Fatal(err)
		}
		pv, err := f.svc.Path(f.memA.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pv.Path.Done != 2 || pv.Path.Total != 3 || !pv.Steps[0].Done || !pv.Steps[1].Done || pv.Steps[2].Done ||
			pv.Steps[0].Document.Title != "Running your first meeting" {
			t.Errorf("member's path: %+v, steps %+v", pv.Path, pv.Steps)
		}
		if err := f.svc.Tick(f.memA.ctx, p.ID, ids[1], false); err != nil {
			t.Fatal(err)
		}
		page, err := f.svc.Paths(f.memA.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Paths) != 1 || page.Paths[0].Done != 1 || page.Paths[0].Total != 3 {
			t.Errorf("member's paths: %+v", page.Paths)
		}
		// Progress is one's own; the supporter does not see the members-only step.
		page, _ = f.svc.Paths(f.sup.ctx)
		if len(page.Paths) != 1 || page.Paths[0].Done != 0 || page.Paths[0].Total != 2 {
			t.Errorf("supporter's paths: %+v", page.Paths[0])
		}
		if err := f.svc.Tick(f.sup.ctx, p.ID, ids[2], true); errs.FieldsOf(err)["document_id"] == "" {
			t.Errorf("supporter ticks a step they may not read: %v", err)
		}
		wantCode(t, f.svc.Tick(f.anon, p.ID, ids[0], true), errs.Unauthorized)
	})
}

func TestAttachments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		folder := f.mustFolder(t, f.orgA.ctx, FolderInput{GroupID: f.a, Name: "Guides", Visibility: Group})
		doc := f.mustDoc(t, f.memA.ctx, DocInput{FolderID: folder.ID, Title: "Leaflet", Visibility: Group})
		pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
		att, err := f.svc.Attach(f.memA.ctx, doc.ID, `C:\Users\mo\leaflet.pdf`, bytes.NewReader(pdf), int64(len(pdf)))
		if err != nil {
			t.Fatal(err)
		}
		if att.ContentType != "application/pdf" || att.Name != "leaflet.pdf" || att.Size != int64(len(pdf)) {
			t.Errorf("attachment %+v", att)
		}
		t.Run("TooBig", func(t *testing.T) {
			big := bytes.Repeat([]byte("a"), testMaxBytes+1)
			_, err := f.svc.Attach(f.memA.ctx, doc.ID, "notes.txt", bytes.NewReader(big), int64(len(big)))
			if errs.FieldsOf(err)["file"] == "" {
				t.Errorf("a file over the limit: %v, want an error on file", err)
			}
		})
		t.Run("WrongType", func(t *testing.T) {
			html := []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
			_, err := f.svc.Attach(f.memA.ctx, doc.ID, "page.html", bytes.NewReader(html), int64(len(html)))
			if errs.FieldsOf(err)["file"] == "" {
				t.Errorf("an HTML file: %v, want an error on file", err)
			}
			exe := append([]byte("MZ\x90\x00"), make([]byte, 100)...)
			_, err = f.svc.Attach(f.memA.ctx, doc.ID, "leaflet.pdf", bytes.NewReader(exe), int64(len(exe)))
			if errs.FieldsOf(err)["file"] == "" {
				t.Errorf("a program named .pdf: %v, want an error on file", err)
			}
		})
		t.Run("Download", func(t *testing.T) {
			a, rc, err := f.svc.OpenAttachment(f.memA.ctx, att.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(got, pdf) || a.ContentType != "application/pdf" {
				t.Errorf("downloaded %q as %s", got, a.ContentType)
			}
			for name, ctx := range map[string]context.Context{"anonymous": f.anon, "organiser of B": f.orgB.ctx, "network member": f.netMem.ctx} {
				if _, _, err := f.svc.OpenAttachment(ctx, att.ID); !errs.Is(err, errs.NotFound) {
					t.Errorf("%s downloads a group-only attachment: %v", name, err)
				}
			}
			_, err = f.svc.Attach(f.orgB.ctx, doc.ID, "x.pdf", bytes.NewReader(pdf), int64(len(pdf)))
			wantCode(t, err, errs.NotFound)
		})
		t.Run("Delete", func(t *testing.T) {
			_, err := f.svc.DeleteAttachment(f.memA.ctx, att.ID)
			wantCode(t, err, errs.Forbidden)
			if _, err := f.svc.DeleteAttachment(f.orgA.ctx, att.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.store.Open(context.Background(), att.Key); !errs.Is(err, errs.NotFound) {
				t.Errorf("the file is still stored: %v", err)
			}
		})
	})
}

func TestArchivedGroupReadOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		folder := f.mustFolder(t, f.orgA.ctx, FolderInput{GroupID: f.a, Name: "Guides", Visibility: Members})
		doc := f.mustDoc(t, f.memA.ctx, DocInput{FolderID: folder.ID, Title: "Minutes", Body: "We met.", Visibility: Members})
		p, err := f.svc.CreatePath(f.orgA.ctx, PathInput{GroupID: f.a, Title: "Induction"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AddStep(f.orgA.ctx, p.ID, doc.ID); err != nil {
			t.Fatal(err)
		}
		f.archive(t, f.a)
		dv, err := f.svc.Document(f.memA.ctx, doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if dv.CanEdit || dv.CanManage || !dv.Archived {
			t.Errorf("archived document view %+v", dv)
		}
		archived := func(name string, err error) {
			t.Helper()
			if !errs.Is(err, errs.Conflict) || errs.MessageOf(err) != "This group is archived." {
				t.Errorf("%s in an archived group: %v", name, err)
			}
		}
		_, err = f.svc.Save(f.orgA.ctx, doc.ID, DocInput{Title: "Minutes", Body: "x", Visibility: Members, BaseRevision: 1})
		archived("save", err)
		_, err = f.svc.CreateDocument(f.memA.ctx, DocInput{FolderID: folder.ID, Title: "New", Visibility: Members})
		archived("create", err)
		_, err = f.svc.CreateFolder(f.orgA.ctx, FolderInput{GroupID: f.a, Name: "More", Visibility: Members})
		archived("folder", err)
		_, err = f.svc.CreatePath(f.orgA.ctx, PathInput{GroupID: f.a, Title: "More"})
		archived("path", err)
		pdf := []byte("%PDF-1.4\n%%EOF\n")
		_, err = f.svc.Attach(f.memA.ctx, doc.ID, "a.pdf", bytes.NewReader(pdf), int64(len(pdf)))
		archived("attach", err)
		archived("delete", f.svc.DeleteDocument(f.orgA.ctx, doc.ID))
		// Still readable and still indexed; ticking one's progress is reading.
		if err := f.svc.Tick(f.memA.ctx, p.ID, doc.ID, true); err != nil {
			t.Errorf("tick in an archived group: %v", err)
		}
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM search_docs WHERE kind = 'document' AND id = ?`, doc.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("indexed rows %d, %v", n, err)
		}
	})
}

func TestSearchIndex(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		folder := f.mustFolder(t, f.orgA.ctx, FolderInput{GroupID: f.a, Name: "Guides", Visibility: Members})
		doc := f.mustDoc(t, f.memA.ctx, DocInput{FolderID: folder.ID, Title: "Canvassing", Body: "Knock twice.", Visibility: Group})
		indexed := func() (vis, group, url, body, context string) {
			t.Helper()
			err := d.QueryRow(ctx, `SELECT visibility, group_id, url, body, context FROM search_docs WHERE kind = 'document' AND id = ?`,
				doc.ID).Scan(&vis, &group, &url, &body, &context)
			if err != nil {
				t.Fatal(err)
			}
			return
		}
		vis, group, url, body, where := indexed()
		if vis != Group || group != f.a || url != "/library/d/"+doc.ID || body != "Knock twice." || where != "hackney › Guides" {
			t.Errorf("indexed %q %q %q %q %q", vis, group, url, body, where)
		}
		if _, err := f.svc.Save(f.memA.ctx, doc.ID, DocInput{Title: "Canvassing", Body: "Knock three times.", Visibility: Members, BaseRevision: 1}); err != nil {
			t.Fatal(err)
		}
		if vis, _, _, body, _ = indexed(); vis != Members || body != "Knock three times." {
			t.Errorf("after a save: indexed %q %q", vis, body)
		}
		var emitted []string
		if err := f.svc.SearchDocs(ctx, d.Q(), func(sd searchDocT) error { emitted = append(emitted, sd.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(emitted) != 1 || emitted[0] != doc.ID {
			t.Errorf("SearchDocs emitted %v", emitted)
		}
		if err := f.svc.DeleteDocument(f.orgA.ctx, doc.ID); err != nil {
			t.Fatal(err)
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs WHERE id = ?`, doc.ID).Scan(&n)
		if n != 0 {
			t.Errorf("a deleted document is still indexed")
		}
	})
}

// TestSearchPermissions: the index finds a document only for those who
// may read it (search filters by the visibility and group the library
// puts on each), and a reindex from SearchDocs gives the same answers.
func TestSearchPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		folder := f.mustFolder(t, f.orgA.ctx, FolderInput{GroupID: f.a, Name: "Guides", Visibility: Public})
		for _, vis := range []string{Public, Members, Group} {
			f.mustDoc(t, f.memA.ctx, DocInput{FolderID: folder.ID, Title: "Leafleting " + vis, Body: "Fold the leaflets " + vis, Visibility: vis})
		}
		find := func(scope search.Scope) []string {
			t.Helper()
			res, err := search.Search(ctx, d.Q(), scope, search.Query{Text: "leaflets", Kinds: []string{search.KindDocument}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, strings.TrimPrefix(h.Title, "Leafleting "))
			}
			sort.Strings(got)
			return got
		}
		check := func() {
			t.Helper()
			for _, c := range []struct {
				who   string
				scope search.Scope
				want  string
			}{
				{"anonymous or supporter", search.Scope{}, "public"},
				{"organiser of B", search.Scope{Members: true, GroupIDs: []string{f.b}}, "members public"},
				{"member of A", search.Scope{Members: true, GroupIDs: []string{f.a}}, "group members public"},
				{"admin", search.Scope{All: true}, "group members public"},
			} {
				if got := strings.Join(find(c.scope), " "); got != c.want {
					t.Errorf("%s finds %q, want %q", c.who, got, c.want)
				}
			}
		}
		check()
		if _, err := search.Reindex(ctx, d, f.svc); err != nil {
			t.Fatal(err)
		}
		check()
	})
}
