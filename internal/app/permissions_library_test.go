package app_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// libraryFixtures (issue 13) makes the knowledge base the matrix's
// library rows act on: a public network folder with a public document in
// two revisions ({LFN}, {LDP}) on a public path ({LP}); group A's
// members-only folder ({LFA}) with a group-only document in two revisions
// ({LDG}) and two attachments, one to download and one to delete ({LAG},
// {LAD}); and a document of group A's to delete ({LDD}).
func libraryFixtures(t *testing.T, a *app.App, vals map[string]string, groupA string) {
	t.Helper()
	sys := auth.WithSystem(context.Background())
	lib := a.Library
	fn, err := lib.CreateFolder(sys, library.FolderInput{Name: "Matrix guides", Visibility: library.Public})
	if err != nil {
		t.Fatal(err)
	}
	fa, err := lib.CreateFolder(sys, library.FolderInput{GroupID: groupA, Name: "Matrix A", Visibility: library.Members})
	if err != nil {
		t.Fatal(err)
	}
	doc := func(folder, title, vis string) string {
		d, err := lib.CreateDocument(sys, library.DocInput{FolderID: folder, Title: title, Body: "First.", Visibility: vis})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lib.Save(sys, d.ID, library.DocInput{Title: title, Body: "First.\nSecond.", Visibility: vis, BaseRevision: 1}); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	ldp, ldg := doc(fn.ID, "Matrix public", library.Public), doc(fa.ID, "Matrix group", library.Group)
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	att := func() string {
		at, err := lib.Attach(sys, ldg, "matrix.pdf", bytes.NewReader(pdf), int64(len(pdf)))
		if err != nil {
			t.Fatal(err)
		}
		return at.ID
	}
	p, err := lib.CreatePath(sys, library.PathInput{Title: "Matrix path", Visibility: library.Public})
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.AddStep(sys, p.ID, ldp); err != nil {
		t.Fatal(err)
	}
	vals["{LFN}"], vals["{LFA}"], vals["{LDP}"], vals["{LDG}"] = fn.ID, fa.ID, ldp, ldg
	vals["{LAG}"], vals["{LAD}"], vals["{LP}"] = att(), att(), p.ID
	vals["{LDD}"] = doc(fa.ID, "Matrix doomed", library.Group) // issue 13: deleting a document
}
