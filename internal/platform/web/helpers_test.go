package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// domainTemplates stands in for a domain's embedded templates/ directory.
var domainTemplates = fstest.MapFS{
	"show.html":   {Data: []byte(`{{define "content"}}<h1>{{.Title}}</h1><p id="data">{{.Data}}</p>{{template "_badge" .}}{{end}}`)},
	"_badge.html": {Data: []byte(`{{define "_badge"}}<span class="badge">{{with .Viewer}}{{.Name}}{{else}}anonymous{{end}}</span>{{end}}`)},
	"signup.html": {Data: []byte(`{{define "title"}}Join us{{end}}{{define "content"}}
<form method="post" action="/signup">
{{template "form-errors" .Form}}
{{template "field" (field .Form "email" "Email address" "email" "autocomplete=email" "required")}}
{{template "field" (field .Form "password" "Password" "password" "autocomplete=new-password")}}
{{template "field" (field .Form "bio" "About you" "textarea" "hint=Optional.")}}
{{template "field" (field .Form "news" "Send me news" "checkbox")}}
<button type="submit">Sign up</button>
</form>{{end}}`)},
}

// newTestRenderer returns a renderer with the test domain added as "test",
// logging into the returned buffer.
func newTestRenderer(t *testing.T) (*Renderer, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	r, err := NewRenderer(log, RendererOptions{SiteName: "Test Union"})
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	if err := r.Add(domainTemplates, "test"); err != nil {
		t.Fatalf("Add: %v", err)
	}
	return r, &logs
}

// serve runs h for req behind RequestIDs and returns the recorded response.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	RequestIDs()(h).ServeHTTP(rec, req)
	return rec
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body does not contain %q\nbody:\n%s", w, body)
		}
	}
}

func mustNotContain(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("body contains %q but must not\nbody:\n%s", w, body)
		}
	}
}
