package app_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// TestLibraryDeletePage (issue 13), on both engines, as plain HTTP: a
// group's organiser sees "Delete this document" on a document's page, a
// <details> that says what goes (the revisions and attached files) before
// the button, so no script is needed; a member is offered nothing and is
// refused, as is another group's organiser; the delete takes the document
// out of its folder and of search, and its page is then not found.
func TestLibraryDeletePage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a := n.App
		sys := auth.WithSystem(context.Background())
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		n.CreateUser(t, "olive@example.org", "Password-For-olive", auth.RoleMember)
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
		if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: gA.ID, PersonID: person("olive@example.org"), Role: groups.RoleOrganiser},
			{GroupID: gA.ID, PersonID: person("mo@example.org"), Role: groups.RoleMember},
			{GroupID: gB.ID, PersonID: person("bea@example.org"), Role: groups.RoleOrganiser}}); err != nil {
			t.Fatal(err)
		}
		olive, mo, bea := apptest.Client(t), apptest.Client(t), apptest.Client(t)
		n.Login(t, olive, "olive@example.org", "Password-For-olive")
		n.Login(t, mo, "mo@example.org", "Password-For-mo")
		n.Login(t, bea, "bea@example.org", "Password-For-bea")

		f, err := a.Library.CreateFolder(sys, library.FolderInput{GroupID: gA.ID, Name: "Hackney guides", Visibility: library.Members})
		if err != nil {
			t.Fatal(err)
		}
		d, err := a.Library.CreateDocument(sys, library.DocInput{FolderID: f.ID, Title: "Phone banking script", Body: "Say hello to the zebras.", Visibility: library.Members})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Library.Save(sys, d.ID, library.DocInput{Title: "Phone banking script", Body: "Say hello to the zebras, warmly.", Visibility: library.Members, BaseRevision: 1}); err != nil {
			t.Fatal(err)
		}
		pdf := []byte("%PDF-1.4\n%%EOF\n")
		if _, err := a.Library.Attach(sys, d.ID, "script.pdf", bytes.NewReader(pdf), int64(len(pdf))); err != nil {
			t.Fatal(err)
		}
		u, page := n.URL, n.URL+"/library/d/"+d.ID

		want(t, "organiser's page", apptest.Get(t, olive, page), http.StatusOK, "Delete this document", "<details", "its 2 revisions and its 1 attached file",
			`action="/library/d/`+d.ID+`/delete"`, "Yes, delete it for good")
		res := apptest.Get(t, mo, page)
		want(t, "member's page", res, http.StatusOK, "Phone banking script")
		if strings.Contains(res.Body, "/delete\"") && strings.Contains(res.Body, "Delete this document") {
			t.Error("a member is offered to delete the document")
		}
		refused(t, "member deletes", apptest.PostForm(t, mo, page+"/delete", url.Values{}))
		refused(t, "another group's organiser deletes", apptest.PostForm(t, bea, page+"/delete", url.Values{}))
		want(t, "anonymous delete", apptest.PostForm(t, apptest.Client(t), page+"/delete", url.Values{}), http.StatusNotFound)
		want(t, "still there", apptest.Get(t, mo, page), http.StatusOK, "Phone banking script")

		res = apptest.PostForm(t, olive, page+"/delete", url.Values{})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/library/f/"+f.ID {
			t.Fatalf("delete: %d to %q\n%.2000s", res.Status, res.Header.Get("Location"), res.Body)
		}
		res = apptest.Get(t, olive, u+"/library/f/"+f.ID)
		want(t, "the folder after", res, http.StatusOK, "is deleted, with its revisions and attachments")
		if strings.Contains(res.Body, `href="/library/d/`+d.ID+`"`) {
			t.Error("the folder still lists the deleted document")
		}
		want(t, "the page after", apptest.Get(t, olive, page), http.StatusNotFound)
		r, err := search.Search(context.Background(), a.DB.Q(), search.Scope{All: true}, search.Query{Text: "zebras"})
		if err != nil || len(r.Hits) != 0 {
			t.Errorf("search after the delete: %+v, %v", r.Hits, err)
		}
	})
}
