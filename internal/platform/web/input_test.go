package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestCleanInput: text no store can keep is refused before the handler,
// naming the field; anything else reaches the handler with its body whole.
func TestCleanInput(t *testing.T) {
	for _, c := range []struct {
		name, method, target, ct, body string
		wantCode                       errs.Code // "" reaches the handler
		wantField                      string
	}{
		{"clean form", "POST", "/x", "application/x-www-form-urlencoded", "title=Hello+%E2%98%83", "", ""},
		{"NUL in form", "POST", "/x", "application/x-www-form-urlencoded", "title=a%00b", errs.Invalid, "title"},
		{"bad UTF-8 in form", "POST", "/x", "application/x-www-form-urlencoded", "ok=1&name=%FF%FE", errs.Invalid, "name"},
		{"bad UTF-8 in query", "GET", "/x?q=%FF", "", "", errs.Invalid, "q"},
		{"NUL in path", "GET", "/events/a%00b", "", "", errs.NotFound, ""},
		{"bad UTF-8 in path", "GET", "/events/%FF%FE", "", "", errs.NotFound, ""},
		{"clean JSON", "POST", "/api/v1/x", "application/json", `{"title":"caf\u00e9"}`, "", ""},
		{"NUL in JSON", "POST", "/api/v1/x", "application/hal+json", `{"person":{"emails":[{"address":"a\u0000b"}]}}`, errs.Invalid, "person.emails[0].address"},
		{"bad UTF-8 in JSON", "POST", "/api/v1/x", "application/json", "{\"title\":\"\xff\"}", errs.Invalid, "body"},
		{"form over 1 MB", "POST", "/x", "application/x-www-form-urlencoded", "body=" + strings.Repeat("x", 1<<20), errs.Invalid, "body"},
		{"multipart left to the handler", "POST", "/x", "multipart/form-data; boundary=b", "--b--", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got error
			reached := ""
			h := CleanInput(func(w http.ResponseWriter, r *http.Request, err error) { got = err })(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				reached = string(b)
			}))
			req := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
			if c.ct != "" {
				req.Header.Set("Content-Type", c.ct)
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
			if errs.CodeOf(got) != c.wantCode {
				t.Fatalf("refused with %v, want code %q", got, c.wantCode)
			}
			if c.wantField != "" && errs.FieldsOf(got)[c.wantField] == "" {
				t.Errorf("fields %v do not name %q", errs.FieldsOf(got), c.wantField)
			}
			if c.wantCode == "" && strings.Contains(c.ct, "json") && reached != c.body {
				t.Errorf("the handler read %q, want the whole body %q", reached, c.body)
			}
		})
	}
}
