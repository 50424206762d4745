package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestError(t *testing.T) {
	internal := fmt.Errorf("find event: %w", errors.New("pq: relation secret_table does not exist"))
	tests := []struct {
		name       string
		method     string
		err        error
		wantStatus int
		wantBody   []string
		notBody    []string
		wantLog    bool
	}{
		{"Internal", "GET", internal, 500,
			[]string{"Something went wrong on our side"}, []string{"secret_table", "pq:", "find event"}, true},
		{"WrappedInternalCode", "POST", &errs.Error{Code: errs.Internal, Message: "disk full on /var/x", Err: internal}, 500,
			[]string{"Something went wrong"}, []string{"disk full", "secret_table"}, true},
		{"Forbidden", "GET", errs.E(errs.Forbidden, "Only organisers of this group can do that."), 403,
			[]string{"Only organisers of this group can do that."}, nil, false},
		{"NotFound", "GET", fmt.Errorf("load: %w", errs.E(errs.NotFound, "That event does not exist.")), 404,
			[]string{"That event does not exist."}, []string{"load:"}, false},
		{"Invalid", "POST", errs.E(errs.Invalid, "Bad date."), 400, []string{"Bad date."}, nil, false},
		{"Conflict", "POST", errs.E(errs.Conflict, "Email taken."), 409, []string{"Email taken."}, nil, false},
		{"TooMany", "POST", errs.E(errs.TooMany, "Slow down."), 429, []string{"Slow down."}, nil, false},
		{"UnauthorizedPOST", "POST", errs.E(errs.Unauthorized, "Please log in."), 401,
			[]string{"Please log in.", `href="/login"`}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rend, logs := newTestRenderer(t)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rend.Error(w, r, tt.err) })
			rec := serve(h, httptest.NewRequest(tt.method, "/groups/7/events?x=1", nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			id := rec.Header().Get("X-Request-Id")
			body := rec.Body.String()
			mustContain(t, body, append(tt.wantBody, "Request id: <code>"+id+"</code>", `href="/"`)...)
			mustNotContain(t, body, tt.notBody...)
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			logged := logs.String()
			if tt.wantLog {
				if n := strings.Count(logged, "internal error"); n != 1 {
					t.Errorf("want the internal error logged once, got %d:\n%s", n, logged)
				}
				mustContain(t, logged, "secret_table", "request_id="+id)
			} else if logged != "" {
				t.Errorf("want no log for %s, got:\n%s", tt.name, logged)
			}
		})
	}
}

func TestErrorUnauthorizedGETRedirectsToLogin(t *testing.T) {
	rend, _ := newTestRenderer(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rend.Error(w, r, errs.E(errs.Unauthorized, "Please log in."))
	})
	rec := serve(h, httptest.NewRequest("GET", "/groups/7/events?page=2", nil))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status = %d, want 303", rec.Code)
	}
	want := "/login?next=" + url.QueryEscape("/groups/7/events?page=2")
	if got := rec.Header().Get("Location"); got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
}

func TestNotFound(t *testing.T) {
	rend, _ := newTestRenderer(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/", rend.NotFound)
	rec := serve(mux, httptest.NewRequest("GET", "/no/such/page", nil))
	if rec.Code != 404 {
		t.Fatalf("status = %d, want 404", rec.Code)
	}
	mustContain(t, rec.Body.String(), "404", "We could not find that page", `<html lang="en">`)
}

func TestPageLayout(t *testing.T) {
	tests := []struct {
		name    string
		viewer  *Viewer
		want    []string
		notWant []string
	}{
		{"Anonymous", nil,
			[]string{`href="/login"`, `href="/signup"`, "anonymous"},
			[]string{`action="/logout"`, `href="/admin"`, `href="/dashboard"`}},
		{"Member", &Viewer{UserID: "u1", Name: "Ada"},
			[]string{`href="/dashboard"`, `href="/account"`, `<form method="post" action="/logout"`, ">Ada<"},
			[]string{`href="/admin"`, `href="/login"`}},
		{"Admin", &Viewer{UserID: "u2", Name: "Grace", IsAdmin: true},
			[]string{`href="/admin"`, `action="/logout"`},
			[]string{`href="/signup"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rend, _ := newTestRenderer(t)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.viewer != nil {
					r = r.WithContext(WithViewer(r.Context(), tt.viewer))
				}
				rend.Page(w, r, http.StatusOK, "test/show", Page{Title: "Events", Data: "<b>not bold</b>"})
			})
			rec := serve(h, httptest.NewRequest("GET", "/dashboard", nil))
			if rec.Code != 200 {
				t.Fatalf("status = %d", rec.Code)
			}
			body := rec.Body.String()
			mustContain(t, body, append(tt.want,
				"<title>Events · Test Union</title>", `<main id="content"`, "Skip to content",
				`href="/static/app.`, `&lt;b&gt;not bold&lt;/b&gt;`, `role="status"`)...)
			mustNotContain(t, body, append(tt.notWant, "<b>not bold</b>")...)
		})
	}
}

func TestPageUnknownNameIsInternalError(t *testing.T) {
	rend, logs := newTestRenderer(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rend.Page(w, r, http.StatusOK, "test/missing", Page{})
	})
	rec := serve(h, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	mustContain(t, logs.String(), "test/missing")
	mustNotContain(t, rec.Body.String(), "test/missing")
}

func TestAddRejectsDuplicates(t *testing.T) {
	rend, _ := newTestRenderer(t)
	if err := rend.Add(domainTemplates, "test"); err == nil {
		t.Error("adding the same pages twice should fail")
	}
}

func TestForm(t *testing.T) {
	values := url.Values{"email": {`ada@example"><script>`}, "password": {"hunter2secret"}, "bio": {"Organiser"}, "news": {"true"}}
	tests := []struct {
		name    string
		form    *Form
		want    []string
		notWant []string
	}{
		{"FieldErrors", FormWithError(values, errs.Fields(map[string]string{"email": "That email is already registered."})),
			[]string{
				`value="ada@example&#34;&gt;&lt;script&gt;"`,
				`aria-invalid="true"`,
				`aria-describedby="f-email-error"`,
				`<p class="field__error" id="f-email-error"><span class="field__error-prefix">Error:</span> That email is already registered.</p>`,
				`class="field field--invalid"`,
				`<label for="f-email">Email address</label>`,
				`id="f-email" name="email" type="email"`,
				`autocomplete="email"`,
				`>Organiser</textarea>`,
				`aria-describedby="f-bio-hint"`,
				`value="true" checked`,
			},
			[]string{"hunter2secret", `role="alert"`, "<script>"}},
		{"FormLevelError", FormWithError(values, errs.E(errs.Conflict, "Sign-ups are closed.")),
			[]string{`role="alert"`, "Sign-ups are closed."},
			[]string{"hunter2secret", `aria-invalid`}},
		{"InternalErrorStaysGeneric", FormWithError(values, errors.New("smtp: auth failed for relay")),
			[]string{`role="alert"`, "Something went wrong"},
			[]string{"smtp", "hunter2secret"}},
		{"EmptyForm", nil,
			[]string{`id="f-email" name="email" type="email" value=""`},
			[]string{`aria-invalid`, `role="alert"`, " checked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rend, _ := newTestRenderer(t)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rend.Page(w, r, http.StatusUnprocessableEntity, "test/signup", Page{Title: "ignored", Form: tt.form})
			})
			rec := serve(h, httptest.NewRequest("POST", "/signup", nil))
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d", rec.Code)
			}
			body := rec.Body.String()
			mustContain(t, body, append(tt.want, "<title>Join us</title>")...)
			mustNotContain(t, body, tt.notWant...)
			// The password input is drawn, without a value attribute.
			i := strings.Index(body, `name="password"`)
			if i < 0 {
				t.Fatal("no password input")
			}
			if tag := body[i : strings.Index(body[i:], ">")+i]; strings.Contains(tag, "value=") {
				t.Errorf("password input has a value: %s", tag)
			}
		})
	}
}

func TestFieldRejectsReservedAttributes(t *testing.T) {
	for _, extra := range []string{"value=x", "id=other", "name=other", "aria-describedby=x"} {
		if _, err := newField(nil, "email", "Email", "email", extra); err == nil {
			t.Errorf("field accepted %q", extra)
		}
	}
}
