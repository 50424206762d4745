package app_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// styleguideMarkers are what each component of the design system (issue 16)
// leaves in /admin/styleguide: every one must be there, in both schemes.
var styleguideMarkers = []struct{ component, marker string }{
	{"type scale", `class="type-sample sg-step-4"`},
	{"spacing", `class="space-sample"`},
	{"colours", `class="swatch sg-swatch-brand"`},
	{"icons", `class="icon-grid"`},
	{"primary button", `class="button" href=`},
	{"secondary button", `class="button button--secondary"`},
	{"danger button", `class="button button--danger"`},
	{"danger confirmation", `<details class="confirm"`},
	{"danger's real button", `<button type="submit" class="button--danger">`},
	{"badges", `class="badge badge--success"`},
	{"tabs", `<nav class="tabs"`},
	{"card", `<section class="card">`},
	{"card header", `class="card__header"`},
	{"figure card", `class="card card--accent"`},
	{"link card", `class="card card--link"`},
	{"messages", `class="flash flash--success"`},
	{"empty state", `<div class="empty"`},
	{"table as a list on phones", `<table class="table--list">`},
	{"table cell label", `data-label="Email"`},
	{"form layout", `class="form-grid"`},
	{"field error", `class="field field--invalid"`},
	{"radio", `class="field--radio"`},
	{"checkbox", `class="field field--checkbox field--full"`},
	{"form actions", `class="form-actions"`},
}

// TestStyleguide: an admin's /admin/styleguide draws every component of the
// design system once in the light and once in the dark scheme, and every
// icon of the sprite; the brand settings give the page its brand.css and
// logo, with text on the brand colour as contrast requires.
func TestStyleguide(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		logo := filepath.Join(t.TempDir(), "logo.svg")
		if err := os.WriteFile(logo, []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5"/></svg>`), 0o600); err != nil {
			t.Fatal(err)
		}
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) {
			c.BrandColor = "#FFD500" // a yellow: its text must be black
			c.LogoFile = logo
		}})
		n.CreateUser(t, "admin@example.org", "a password nobody guesses", auth.RoleAdmin)
		c := apptest.Client(t)
		n.Login(t, c, "admin@example.org", "a password nobody guesses")
		res := apptest.Get(t, c, n.URL+"/admin/styleguide")
		if res.Status != http.StatusOK {
			t.Fatalf("GET /admin/styleguide: %d\n%s", res.Status, res.Body)
		}
		for _, scheme := range []string{"scheme-light", "scheme-dark"} {
			start := strings.Index(res.Body, `data-scheme="`+scheme+`"`)
			if start < 0 {
				t.Fatalf("no %s panel", scheme)
			}
			panel := res.Body[start:]
			if end := strings.Index(panel[1:], "data-scheme="); end >= 0 {
				panel = panel[:end+1]
			}
			for _, m := range styleguideMarkers {
				if !strings.Contains(panel, m.marker) {
					t.Errorf("%s: no %s (%s)", scheme, m.component, m.marker)
				}
			}
			icons := web.IconNames()
			if len(icons) < 20 {
				t.Fatalf("the sprite has %d icons", len(icons))
			}
			for _, name := range icons {
				if !strings.Contains(panel, `data-icon="`+name+`"`) {
					t.Errorf("%s: icon %s not shown", scheme, name)
				}
			}
		}

		// The sprite, the brand's stylesheet and the logo are served.
		sprite := regexp.MustCompile(`href="(/static/icons\.[0-9a-f]+\.svg)#i-[a-z0-9-]+"`).FindStringSubmatch(res.Body)
		css := regexp.MustCompile(`<link rel="stylesheet" href="(/static/brand\.[0-9a-f]+\.css)">`).FindStringSubmatch(res.Body)
		img := regexp.MustCompile(`<img class="site-logo" src="(/static/logo\.[0-9a-f]+\.svg)" alt="">`).FindStringSubmatch(res.Body)
		if sprite == nil || css == nil || img == nil {
			t.Fatalf("sprite %v, brand.css %v, logo %v: one is not linked", sprite, css, img)
		}
		if s := apptest.Get(t, c, n.URL+sprite[1]); s.Status != 200 || !strings.Contains(s.Body, `<symbol id="i-calendar"`) || !strings.Contains(s.Body, "ISC License") {
			t.Errorf("sprite: %d, lacks the calendar or the licence", s.Status)
		}
		if s := apptest.Get(t, c, n.URL+css[1]); s.Status != 200 || !strings.Contains(s.Body, "--brand: #ffd500") || !strings.Contains(s.Body, "--on-brand: #000000") {
			t.Errorf("brand.css: %d\n%s", s.Status, s.Body)
		}
		if s := apptest.Get(t, c, n.URL+img[1]); s.Status != 200 || s.Header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("logo: %d %s", s.Status, s.Header.Get("Content-Type"))
		}

		// A member is refused (the permission matrix checks every role).
		n.CreateUser(t, "member@example.org", "a password nobody guesses", auth.RoleMember)
		m := apptest.Client(t)
		n.Login(t, m, "member@example.org", "a password nobody guesses")
		if r := apptest.Get(t, m, n.URL+"/admin/styleguide"); r.Status != http.StatusForbidden {
			t.Errorf("a member's GET /admin/styleguide: %d, want 403", r.Status)
		}
	})
}
