package mail

import (
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
)

func TestTemplates(t *testing.T) {
	fsys := fstest.MapFS{
		"mail/hello.tmpl":   {Data: []byte("Subject: Hello {{.Name}}\n\n{{shout .Name}}, welcome.\n")},
		"mail/nosubj.tmpl":  {Data: []byte("Hello {{.Name}}\n")},
		"mail/missing.tmpl": {Data: []byte("Subject: x\n\n{{.Nope}}\n")},
	}
	ts, err := ParseTemplates(fsys, "mail/*.tmpl", template.FuncMap{"shout": strings.ToUpper})
	if err != nil {
		t.Fatal(err)
	}
	m, err := ts.Message("hello.tmpl", "ada@example.org", map[string]string{"Name": "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Hello Ada" || m.Text != "ADA, welcome.\n" || m.To != "ada@example.org" {
		t.Fatalf("message %+v", m)
	}
	if _, _, err := ts.Render("nosubj.tmpl", map[string]string{"Name": "Ada"}); err == nil {
		t.Fatal("a template without a Subject line was accepted")
	}
	if _, _, err := ts.Render("missing.tmpl", map[string]string{"Name": "Ada"}); err == nil {
		t.Fatal("a template naming a missing field was accepted")
	}
}
