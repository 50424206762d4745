// Package browsertest starts a real headless Chromium for the browser tests
// and drives one tab of it with chromedp (v0.23, the generic API: Run takes
// one action and returns its value, Do runs actions that return nothing).
//
// Each call to Start runs its own browser with a throw-away profile and stops
// it when the test ends. Every step has a timeout, so a page that hangs fails
// the test with the step's name, and a failed test logs the tab's address,
// its text and what the page wrote to its console.
//
// Chromium is found at $MOMENTUM_CHROMIUM or on PATH. When it is missing the
// test is skipped, saying how to install it — except when CI=true, where
// nothing may be skipped and the test fails instead.
package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// Install is the command that installs the browser these tests expect.
const Install = "apt-get install -y chromium"

// Binary returns the path of the browser, or "" when there is none.
func Binary() string {
	if p := os.Getenv("MOMENTUM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Options say what screen the tab has.
type Options struct {
	// Width and Height of the viewport in CSS pixels; 1280×800 when zero.
	Width, Height int64
	// Mobile emulates a phone: the page's meta viewport is honoured, touch
	// is on, and Click taps instead of clicking.
	Mobile bool
	// Timeout bounds everything the tab does in this test, counted from
	// Start; 30s when zero.
	Timeout time.Duration
	// Step bounds each single step (a navigation, a click and the page it
	// loads, a read); 15s when zero.
	Step time.Duration
}

// Tab is one tab of a running browser. Its methods fail the test on error.
type Tab struct {
	t      testing.TB
	opts   Options
	tab    context.Context // the tab itself, without a deadline
	ctx    context.Context // the tab, with the test's deadline
	output *buffer

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// Start runs a headless browser for this test and returns its tab.
func Start(t testing.TB, o Options) *Tab {
	t.Helper()
	bin := Binary()
	if bin == "" {
		testenv.Missing(t, "Browser", "install chromium ("+Install+") or set MOMENTUM_CHROMIUM")
	}
	if o.Width == 0 || o.Height == 0 {
		o.Width, o.Height = 1280, 800
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Step == 0 {
		o.Step = 15 * time.Second
	}
	out := &buffer{}
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.NoSandbox, // tests often run as root, where the sandbox cannot start
		chromedp.DisableGPU,
		// The test network is closed: nothing may try to phone home.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(int(o.Width), int(o.Height)),
		chromedp.CombinedOutput(out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), flags...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit, before the profile is removed
	})

	// The first Do binds the browser's life to the context it is given, so
	// it gets the tab's own context; a timer stands in for its deadline.
	timer := time.AfterFunc(o.Step, cancelAlloc)
	err := chromedp.Do(tabCtx)
	if !timer.Stop() {
		err = fmt.Errorf("no answer within %s", o.Step)
	}
	if err != nil {
		t.Fatalf("start %s: %v\n%s", bin, err, out.String())
	}

	ctx, cancel := context.WithTimeout(tabCtx, o.Timeout)
	tab := &Tab{t: t, opts: o, tab: tabCtx, ctx: ctx, output: out}
	t.Cleanup(cancel)
	t.Cleanup(tab.logOnFailure)
	messages := chromedp.Console(tabCtx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			tab.mu.Lock()
			tab.console = append(tab.console, m)
			tab.mu.Unlock()
		}
	}()

	viewport := []chromedp.EmulateViewportOption{}
	if o.Mobile {
		viewport = append(viewport, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	tab.do("set the viewport", chromedp.EmulateViewport(o.Width, o.Height, viewport...))
	return tab
}

// Context is the tab's context with the test's deadline, for chromedp
// actions this type has no method for.
func (tb *Tab) Context() context.Context { return tb.ctx }

// Mobile reports whether the tab emulates a phone.
func (tb *Tab) Mobile() bool { return tb.opts.Mobile }

// Width is the width of the viewport in CSS pixels.
func (tb *Tab) Width() int64 { return tb.opts.Width }

// Navigate opens u and waits until it has loaded; it returns the HTTP status.
func (tb *Tab) Navigate(u string) int {
	tb.t.Helper()
	res := run(tb, "open "+u, chromedp.NavigateResponse(u))
	return int(res.Status)
}

// Click clicks (on a phone: taps) the element that the CSS selector sel
// finds and waits for the page it loads; it returns that page's HTTP status.
func (tb *Tab) Click(sel string) int {
	tb.t.Helper()
	return tb.clickAndWait("click "+sel, clickOn(tb.opts.Mobile, chromedp.CSS(sel)))
}

// ClickText clicks (on a phone: taps) the link or button inside the region
// (an element name: "header", "main", "form") whose whole text is text,
// waits for the page it loads and returns that page's HTTP status.
func (tb *Tab) ClickText(region, text string) int {
	tb.t.Helper()
	if strings.ContainsAny(text, `"`) {
		tb.t.Fatalf("ClickText: %q: quotes are not supported", text)
	}
	xpath := fmt.Sprintf(`//%s//*[self::a or self::button][normalize-space()="%s"]`, region, text)
	return tb.clickAndWait(fmt.Sprintf("click %q in <%s>", text, region), clickOn(tb.opts.Mobile, chromedp.Search(xpath)))
}

// PressText is ClickText for a page restored from the back/forward cache
// (see Back): it finds the link or button with JavaScript instead of through
// chromedp's copy of the document, clicks (on a phone: taps) its middle,
// waits for the page it loads and returns that page's HTTP status.
func (tb *Tab) PressText(region, text string) int {
	tb.t.Helper()
	what := fmt.Sprintf("press %q in <%s>", text, region)
	at := Eval[[]float64](tb, `((region, text) => {
		for (const el of document.querySelectorAll(region + " a, " + region + " button")) {
			if (el.textContent.replace(/\s+/g, " ").trim() === text) {
				el.scrollIntoView({block: "center"});
				const r = el.getBoundingClientRect();
				return [r.left + r.width / 2, r.top + r.height / 2];
			}
		}
		return [];
	})(`+strconv.Quote(region)+`, `+strconv.Quote(text)+`)`)
	if len(at) != 2 {
		tb.t.Fatalf("%s: there is no such link or button", what)
	}
	var press chromedp.Action[chromedp.Void] = chromedp.MouseClickXY(at[0], at[1])
	if tb.opts.Mobile {
		press = chromedp.TapXY(at[0], at[1])
	}
	return tb.clickAndWait(what, press)
}

func clickOn[S chromedp.Selectable](tap bool, sel S) chromedp.Action[chromedp.Void] {
	if tap {
		return chromedp.Tap(sel)
	}
	return chromedp.Click(sel)
}

func (tb *Tab) clickAndWait(what string, click chromedp.Action[chromedp.Void]) int {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, tb.opts.Step)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, click)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	return int(res.Status)
}

// Fill replaces the value of the input that sel finds by typing value.
func (tb *Tab) Fill(sel, value string) {
	tb.t.Helper()
	tb.do("fill "+sel, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value))
}

// Back goes back one page in the tab's history, as the browser's Back
// button does, and waits until that page is shown. The page may be loaded
// again or restored from the back/forward cache, which fires no load event
// (chromedp.NavigateBack would wait for one), so this waits for a complete
// document other than the one it left.
//
// On a page restored from that cache chromedp finds no elements: Chrome
// tells it of the restored document before the navigation to it, and the
// navigation resets chromedp's copy of the document to none. Until the next
// page loads, Click, ClickText, Fill, Text, Value and Attr wait until their
// step times out; Eval, Path, Screenshot and PressText work.
func (tb *Tab) Back() {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, tb.opts.Step)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.browsertestLeft = true; history.back(); true`)); err != nil {
		tb.t.Fatalf("go back: %v", err)
	}
	for {
		// Errors are expected while the documents change over.
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.browsertestLeft && document.readyState === "complete"`))
		if err == nil && shown {
			return
		}
		select {
		case <-ctx.Done():
			tb.t.Fatalf("go back: no page shown within %s (last error: %v)", tb.opts.Step, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// UploadFile chooses the files at paths (absolute) in the file input that
// sel finds, as a person picking them in the file dialog would; the form's
// submission then sends them.
func (tb *Tab) UploadFile(sel string, paths ...string) {
	tb.t.Helper()
	tb.do("choose "+strings.Join(paths, ", ")+" in "+sel, chromedp.SetUploadFiles(chromedp.CSS(sel), paths))
}

// Text returns the visible text of the element that sel finds.
func (tb *Tab) Text(sel string) string {
	tb.t.Helper()
	return run(tb, "read the text of "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// Value returns the current value of the input that sel finds.
func (tb *Tab) Value(sel string) string {
	tb.t.Helper()
	return run(tb, "read the value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// Attr returns an attribute of the element that sel finds, "" when absent.
func (tb *Tab) Attr(sel, name string) string {
	tb.t.Helper()
	return run(tb, "read "+name+" of "+sel, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}

// Path returns the path of the page the tab shows.
func (tb *Tab) Path() string {
	tb.t.Helper()
	loc := run(tb, "read the location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		tb.t.Fatalf("location %q: %v", loc, err)
	}
	return u.Path
}

// Eval runs a JavaScript expression in the page and decodes its result.
func Eval[T any](tb *Tab, expr string) T {
	tb.t.Helper()
	return run(tb, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// Screenshot saves a PNG of the whole page as name in the test's temporary
// folder, and also in $MOMENTUM_SCREENSHOTS when that is set, so a person can
// look at it. It returns the paths written.
func (tb *Tab) Screenshot(name string) []string {
	tb.t.Helper()
	png := run(tb, "take a screenshot", chromedp.FullScreenshot(100))
	paths := []string{filepath.Join(tb.t.TempDir(), name)}
	if dir := os.Getenv("MOMENTUM_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.t.Fatal(err)
		}
		paths = append(paths, filepath.Join(dir, name))
	}
	for _, p := range paths {
		if err := os.WriteFile(p, png, 0o644); err != nil {
			tb.t.Fatal(err)
		}
	}
	return paths
}

// Console returns what the pages wrote to the console so far: calls of the
// console API, uncaught exceptions and the browser's own log (blocked
// scripts, failed loads).
func (tb *Tab) Console() []chromedp.ConsoleMessage {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), tb.console...)
}

func (tb *Tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, tb.opts.Step)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

func run[T any](tb *Tab, what string, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, tb.opts.Step)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// logOnFailure says where the tab was and what it showed, using the tab's
// own context: the test's deadline may be what failed it.
func (tb *Tab) logOnFailure() {
	if !tb.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(tb.tab, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		loc = "(unknown: " + err.Error() + ")"
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		text = "(unknown: " + err.Error() + ")"
	}
	var console []string
	for _, m := range tb.Console() {
		console = append(console, m.String())
	}
	var output []string
	for line := range strings.Lines(tb.output.String()) {
		if !strings.Contains(line, "dbus") { // no system bus in a container: noise
			output = append(output, strings.TrimRight(line, "\n"))
		}
	}
	tb.t.Logf("browser was at %s\n--- page text ---\n%s\n--- console ---\n%s\n--- browser output ---\n%s",
		loc, text, strings.Join(console, "\n"), strings.Join(output, "\n"))
}

// buffer is a goroutine-safe sink for the browser's output.
type buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
