package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

// TestBrowserDesignFitsPhone (issue 16): at 390 px no page among the home
// page, login, events, groups, the accounts list (with an address too long
// for a line) and the style guide is wider than the screen.
func TestBrowserDesignFitsPhone(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		tab := browsertest.Start(t, browsertest.Options{Width: 390, Height: 844, Mobile: true, Timeout: 60e9})
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		const pass = "a password nobody guesses"
		n.CreateUser(t, "admin@example.org", pass, auth.RoleAdmin)
		n.CreateUser(t, "rosalind.okonkwo-fairweather.membership@hackney-tenants-union.example.org", pass, auth.RoleMember)

		for _, p := range []string{"/", "/login", "/events", "/groups"} {
			wantStatus(t, p, tab.Navigate(n.URL+p), http.StatusOK)
			wantNarrow(t, tab)
		}
		tab.Navigate(n.URL + "/login")
		tab.Fill("#f-email", "admin@example.org")
		tab.Fill("#f-password", pass)
		wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
		for _, p := range []string{"/", "/events", "/groups", "/admin/users", "/admin/styleguide"} {
			wantStatus(t, p, tab.Navigate(n.URL+p), http.StatusOK)
			wantNarrow(t, tab)
			if p == "/admin/users" {
				// The accounts table is a list: each row a block, each
				// cell saying its column.
				if got := browsertest.Eval[string](tab, `getComputedStyle(document.querySelector("main table.table--list tbody tr")).display`); got != "block" {
					t.Errorf("/admin/users at 390px: rows are display %q, want block (a list)", got)
				}
				wantContains(t, tab, "main table.table--list", "rosalind.okonkwo")
			}
		}
		wantCleanConsole(t, tab)
	})
}

// wantNarrow checks document.documentElement.scrollWidth against the
// screen's width, and the rest of wantFits.
func wantNarrow(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	if w := browsertest.Eval[int64](tab, `document.documentElement.scrollWidth`); w > tab.Width() {
		t.Errorf("%s: scrollWidth %d > %d", tab.Path(), w, tab.Width())
	}
	wantFits(t, tab)
}

// TestBrowserDarkScheme (issue 16): with chromium emulating
// prefers-color-scheme: dark, pages turn dark and the text of the body, the
// header, links and every kind of button keeps a contrast of at least 4.5:1
// with what is behind it; both with Momentum's colour and a pale brand
// colour, whose text must then be black.
func TestBrowserDarkScheme(t *testing.T) {
	for _, brand := range []string{"", "#ffd500"} {
		name := "default"
		if brand != "" {
			name = "yellow"
		}
		t.Run(name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, dbURL string) {
				tab := browsertest.Start(t, browsertest.Options{Width: 1280, Height: 800, Timeout: 60e9})
				n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) { c.BrandColor = brand }})
				const pass = "a password nobody guesses"
				n.CreateUser(t, "admin@example.org", pass, auth.RoleAdmin)
				emulateDark(t, tab)

				wantStatus(t, "login", tab.Navigate(n.URL+"/login"), http.StatusOK)
				if l := browsertest.Eval[float64](tab, contrastJS+`lum(bgOf(document.body))`); l > 0.05 {
					t.Fatalf("the body's background has luminance %.2f under prefers-color-scheme: dark, want a dark one", l)
				}
				wantContrast(t, tab, "body", ".site-name", ".site-nav a", "main a", `main button[type="submit"]`, "main label")

				tab.Fill("#f-email", "admin@example.org")
				tab.Fill("#f-password", pass)
				wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
				wantStatus(t, "style guide", tab.Navigate(n.URL+"/admin/styleguide"), http.StatusOK)
				for _, scheme := range []string{".scheme-light", ".scheme-dark"} {
					s := scheme + " "
					wantContrast(t, tab, scheme, s+"a.button:not(.button--secondary)", s+".button--secondary", s+"summary.button--danger",
						s+".badge--success", s+".badge--warn", s+".badge--danger", s+".badge--info", s+".badge--brand",
						s+".tabs a[aria-current]", s+".flash--success", s+".field__error", s+".muted", s+".sg-swatch-brand", s+"th")
				}
				wantCleanConsole(t, tab)
			})
		})
	}
}

func emulateDark(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	err := chromedp.Do(tab.Context(), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
		})
		return err
	}))
	if err != nil {
		t.Fatalf("emulate prefers-color-scheme: dark: %v", err)
	}
}

// contrastJS defines lum (WCAG relative luminance of a computed colour) and
// bgOf (the first opaque background behind an element).
const contrastJS = `
var rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
var lum = (el) => { const c = typeof el === "string" ? el : getComputedStyle(el).color;
  const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
var bgOf = (el) => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor; const v = rgb(c);
  if (v.length === 3 || (v.length === 4 && v[3] > 0.99)) return c; } return "rgb(255, 255, 255)"; };
`

// wantContrast checks, for the first element each selector finds, that its
// text contrasts at least 4.5:1 with the background behind it.
func wantContrast(t *testing.T, tab *browsertest.Tab, sels ...string) {
	t.Helper()
	type res struct {
		Sel, Color, Bg string
		Ratio          float64
		Found          bool
	}
	for _, sel := range sels {
		r := browsertest.Eval[res](tab, contrastJS+`((sel) => { const el = document.querySelector(sel); if (!el) return {Sel: sel, Found: false};
			const a = lum(el), b = lum(bgOf(el)); const hi = Math.max(a, b), lo = Math.min(a, b);
			return {Sel: sel, Found: true, Color: getComputedStyle(el).color, Bg: bgOf(el), Ratio: (hi + 0.05) / (lo + 0.05)}; })(`+jsString(sel)+`)`)
		if !r.Found {
			t.Errorf("%s: no element %s", tab.Path(), sel)
			continue
		}
		if r.Ratio < 4.5 {
			t.Errorf("%s: %s is %s on %s, a contrast of %.2f:1, below 4.5", tab.Path(), sel, r.Color, r.Bg, r.Ratio)
		}
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
