package app_test

import (
	"context"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/demo"
)

// mainScreens are the two widths the main pages are shown and checked at.
var mainScreens = []struct {
	name string
	opts browsertest.Options
}{
	{"390", browsertest.Options{Width: 390, Height: 844, Mobile: true, Timeout: 4 * time.Minute, Step: 30 * time.Second}},
	{"1280", browsertest.Options{Width: 1280, Height: 800, Timeout: 4 * time.Minute, Step: 30 * time.Second}},
}

// mainPage is one of the main pages of the demo network, as one of its
// personas sees it.
type mainPage struct {
	name string // the screenshot's name: docs/screenshots/<name>-<width>.png
	as   string // the persona: "organiser" or "admin"
	path string // filled in by walkMainPages when it has to find the page first
}

// walkMainPages loads the demo network (as `momentum serve --demo` does),
// signs in as its organiser and then its admin, and calls visit on each main
// page once it has loaded with status 200: home, dashboard, groups, a group,
// events, an event, decisions, a decision's results, people and the style
// guide. It returns how many pages it visited.
func walkMainPages(t *testing.T, tab *browsertest.Tab, visit func(p mainPage)) int {
	t.Helper()
	nw := demo.Generate(1, 120)
	n := apptest.Start(t, apptest.Options{Before: apptest.LoadDemo(nw)})
	ctx := context.Background()
	personas, err := demo.Personas(ctx, n.App, nw)
	if err != nil {
		t.Fatal(err)
	}
	login := func(role string) {
		t.Helper()
		clearCookies(t, tab)
		for _, p := range personas {
			if p.Role == role {
				wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
				tab.Fill("#f-email", p.Email)
				tab.Fill("#f-password", p.Password)
				wantStatus(t, "log in as "+role, tab.ClickText("main", "Log in"), http.StatusOK)
				return
			}
		}
		t.Fatalf("the demo has no %s persona", role)
	}
	// firstLink is the path of the first link in <main> to a page under
	// prefix (one more segment, not one of the fixed pages).
	firstLink := func(prefix string) string {
		t.Helper()
		p := browsertest.Eval[string](tab, `((prefix) => {
			for (const a of document.querySelectorAll("main a[href]")) {
				const u = new URL(a.href);
				if (u.origin !== location.origin || !u.pathname.startsWith(prefix)) continue;
				const rest = u.pathname.slice(prefix.length);
				if (rest && !rest.includes("/") && !/^(new|near|regions|map|calendar|import|lists)$/.test(rest) && !rest.includes(".")) return u.pathname;
			}
			return "";
		})(`+jsString(prefix)+`)`)
		if p == "" {
			t.Fatalf("%s: no link to a page under %s", tab.Path(), prefix)
		}
		return p
	}
	var decision string
	if err := n.App.DB.QueryRow(ctx, `SELECT id FROM decisions WHERE status IN ('published', 'closed')
		ORDER BY CASE status WHEN 'published' THEN 0 ELSE 1 END, id LIMIT 1`).Scan(&decision); err != nil {
		t.Fatalf("a decided decision in the demo: %v", err)
	}

	count := 0
	show := func(p mainPage) {
		t.Helper()
		wantStatus(t, p.path, tab.Navigate(n.URL+p.path), http.StatusOK)
		visit(p)
		count++
	}
	login("organiser")
	show(mainPage{"home", "organiser", "/"})
	show(mainPage{"dashboard", "organiser", "/dashboard"})
	show(mainPage{"groups", "organiser", "/groups"})
	show(mainPage{"group", "organiser", firstLink("/groups/")})
	show(mainPage{"events", "organiser", "/events"})
	show(mainPage{"event", "organiser", firstLink("/events/")})
	show(mainPage{"decisions", "organiser", "/decisions"})
	login("admin")
	show(mainPage{"decision-results", "admin", "/decisions/" + decision + "/results"})
	show(mainPage{"people", "admin", "/people"})
	show(mainPage{"styleguide", "admin", "/admin/styleguide"})
	return count
}

func clearCookies(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	err := chromedp.Do(tab.Context(), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
	if err != nil {
		t.Fatalf("clear cookies: %v", err)
	}
}

// screenshotDir is where TestBrowserScreens writes: docs/screenshots when
// MOMENTUM_DOC_SCREENSHOTS=1, the folder it names when it names another,
// and nowhere when it is not set. (Not MOMENTUM_SCREENSHOTS: browsertest
// reads that as the folder every browser test's failure shots go to.)
func screenshotDir(t *testing.T) string {
	switch d := os.Getenv("MOMENTUM_DOC_SCREENSHOTS"); d {
	case "":
		return ""
	case "1":
		return filepath.Join("..", "..", "docs", "screenshots")
	default:
		return d
	}
}

// maxShotHeight caps a screenshot's height, to keep the files small.
const maxShotHeight = 2400

// TestBrowserScreens (issue 16) opens the main pages of the demo network
// at 390 and 1280 px and checks that each answers 200 and, at 390 px, does
// not scroll sideways. With MOMENTUM_DOC_SCREENSHOTS=1 it also saves each as
// docs/screenshots/<page>-<width>.png (the page's full height, at most
// 2,400 px), the pictures in the README:
//
//	MOMENTUM_DOC_SCREENSHOTS=1 go test -count=1 -run TestBrowserScreens ./internal/app/
func TestBrowserScreens(t *testing.T) {
	dir := screenshotDir(t)
	for _, screen := range mainScreens {
		t.Run(screen.name, func(t *testing.T) {
			tab := browsertest.Start(t, screen.opts)
			n := walkMainPages(t, tab, func(p mainPage) {
				if screen.opts.Width == 390 {
					wantFits(t, tab)
				}
				if dir == "" {
					return
				}
				png := cappedScreenshot(t, tab)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, p.name+"-"+screen.name+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			})
			t.Logf("%d pages at %s px", n, screen.name)
			wantCleanConsole(t, tab)
		})
	}
}

// cappedScreenshot is a PNG of the page from its top, as wide as the
// screen and as tall as the page but at most maxShotHeight.
func cappedScreenshot(t *testing.T, tab *browsertest.Tab) []byte {
	t.Helper()
	h := browsertest.Eval[float64](tab, `document.documentElement.scrollHeight`)
	h = math.Min(h, maxShotHeight)
	png, err := chromedp.Run(tab.Context(), chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: ptrTo(true),
			FromSurface:           ptrTo(true),
			Clip:                  &page.Viewport{X: 0, Y: 0, Width: float64(tab.Width()), Height: h, Scale: 1},
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}))
	if err != nil {
		t.Fatalf("%s: screenshot: %v", tab.Path(), err)
	}
	return png
}

func ptrTo[T any](v T) *T { return &v }
