package mailtest

import (
	"strings"
	"testing"
)

// Renderer is what Rendered reads: *mail.Templates (named by its method, so
// that mail's own tests may use this package).
type Renderer interface {
	Render(name string, data any) (subject, text string, err error)
}

// Rendered renders the template name of ts with data and fails t unless
// the subject is subject and the body holds each of body; it returns the
// body for further checks. Each capability's template tests use it.
func Rendered(t testing.TB, ts Renderer, name string, data any, subject string, body ...string) string {
	t.Helper()
	gotSubject, gotBody, err := ts.Render(name, data)
	if err != nil {
		t.Fatal(err)
	}
	if gotSubject != subject {
		t.Errorf("%s: subject %q, want %q", name, gotSubject, subject)
	}
	for _, want := range body {
		if !strings.Contains(gotBody, want) {
			t.Errorf("%s: body lacks %q:\n%s", name, want, gotBody)
		}
	}
	return gotBody
}
