package app_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// a13XSSCorpus is the OWASP XSS filter-evasion cheat sheet's vectors and
// the Markdown link tricks, each calling alert with its own number, so a
// dialog says which one ran. Each entry starts with a word "xsscaseN" that
// must show on the page (so a vector that was dropped whole, with the text
// around it, is noticed too).
func a13XSSCorpus() []string {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	v := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(2)>`,
		`<svg/onload=alert(3)>`,
		`<iframe src=javascript:alert(4)></iframe>`,
		`"><script>alert(5)</script>`,
		`<a href="javascript:alert(6)">x6</a>`,
		"<a href=\"jav&#x09;ascript:alert(7)\">x7</a>",
		`<body onload=alert(8)>`,
		`<math><mi xlink:href="javascript:alert(9)">x9</mi></math>`,
		`<div style="width: expression(alert(10))">x10</div>`,
		`<object data="data:text/html;base64,` + b64(`<script>alert(11)</script>`) + `"></object>`,
		`<IMG SRC="javascript:alert(12);">`,
		`<IMG SRC=JaVaScRiPt:alert(13)>`,
		"<IMG SRC=`javascript:alert(14)`>",
		`<IMG """><SCRIPT>alert(15)</SCRIPT>">`,
		`<IMG SRC=# onmouseover="alert(16)">`,
		`<IMG SRC=/ onerror="alert(17)"></img>`,
		`<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#56;&#41;>`,
		`<IMG SRC="jav&#x0A;ascript:alert(19);">`,
		`<IMG SRC=" &#14;  javascript:alert(20);">`,
		`<SCRIPT/XSS>alert(21)</SCRIPT>`,
		`<<SCRIPT>alert(22);//\<</SCRIPT>`,
		`<INPUT TYPE="IMAGE" SRC="javascript:alert(23);">`,
		`<BODY BACKGROUND="javascript:alert(24)">`,
		`<svg><script>alert(25)</script></svg>`,
		`<details open ontoggle=alert(26)>x26</details>`,
		`<iframe srcdoc="<script>parent.alert(27)</script>"></iframe>`,
		`<form><button formaction=javascript:alert(28)>x28</button></form>`,
		`<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(29);">`,
		`<TABLE BACKGROUND="javascript:alert(30)"><tr><td>x30</td></tr></TABLE>`,
		`<DIV STYLE="background-image: url(javascript:alert(31))">x31</DIV>`,
		`<BASE HREF="javascript:alert(32);//">`,
		`<EMBED SRC="data:image/svg+xml;base64,` + b64(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(33)"/>`) + `" type="image/svg+xml">`,
		`<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(34)">x34</a>`,
		`<svg><a xlink:href="javascript:alert(35)"><text x="20" y="20">x35</text></a></svg>`,
		`<video><source onerror="alert(36)"></video>`,
		`<marquee onstart=alert(37)>x37</marquee>`,
		`<style>@import 'javascript:alert(38)';</style>`,
		`<link rel="stylesheet" href="javascript:alert(39);">`,
		`<a href="javascript&colon;alert(40)">x40</a>`,
		`<img src="x" onerror="&#97;&#108;&#101;&#114;&#116;&#40;&#52;&#49;&#41;">`,
		`<input autofocus onfocus=alert(42)>`,
		// Markdown link tricks.
		`[x43](javascript:alert(43))`,
		`[x44](JaVaScRiPt:alert(44))`,
		`[x45](data:text/html;base64,` + b64(`<script>alert(45)</script>`) + `)`,
		`![x46](javascript:alert(46))`,
		`<javascript:alert(47)>`,
		"[x48][r48]\n\n[r48]: javascript:alert(48)",
		`[x49](  javascript:alert(49))`,
		`[x50](javascript&#58;alert(50))`,
		`[x51](&#106;avascript:alert(51))`,
		`[x52](vbscript:alert(52))`,
		`[x53](javascript://%0aalert(53))`,
		`[x54](<javascript:alert(54)>)`,
		"[x55](jav\tascript:alert(55))",
		`[x56](" onmouseover="alert(56))`,
		`[x57](https://example.org/" onclick="alert(57))`,
		`[x58](https://example.org "t\" onmouseover=alert(58) x=\"")`,
		`![x59](https://example.org/x.png" onerror="alert(59))`,
		`javascript:alert(60)`,
		`www.example.org/<script>alert(61)</script>`,
		`[x62](data:text/html,<script>alert(62)</script>)`,
		"`<script>alert(63)</script>`",
		`&lt;script&gt;alert(64)&lt;/script&gt;`,
		`[x65](javascript&colon;alert(65))`,
		`[x66](java%0ascript:alert(66))`,
		`<a href="data:text/html;base64,` + b64(`<script>alert(67)</script>`) + `">x67</a>`,
		`[![x68](https://example.org/i.png)](javascript:alert(68))`,
		`<https://example.org/"onmouseover="alert(69)">`,
		`[x70]: javascript:alert(70)` + "\n\n[x70]",
	}
	for i := range v {
		v[i] = fmt.Sprintf("xsscase%d %s", i+1, v[i])
	}
	return v
}

// a13XSSSentinel runs before any script of every page and frame: the
// dialog functions note who called them, then open the dialog as usual (the
// listener closes it and notes it too).
const a13XSSSentinel = `(() => {
	window.__xss = [];
	for (const f of ["alert", "confirm", "prompt", "print"]) {
		const orig = window[f];
		window[f] = function (...args) {
			try { (window.top.__xss || window.__xss).push(f + "(" + String(args[0]) + ")"); } catch (e) { window.__xss.push(f + "(" + String(args[0]) + ")"); }
			return orig.apply(window, args);
		};
	}
})()`

// a13XSSProblems (JavaScript) lists what in the page could run a script
// that is not the app's own: a script element inline or from elsewhere, an
// event-handler attribute, a javascript:, vbscript: or script-bearing data:
// address in any address attribute, a frame, object or embed, a base or
// meta or style or link in the body, a style attribute with expression() or
// url(). It reads the DOM the browser built, not the HTML sent.
const a13XSSProblems = `(() => {
	const out = [];
	const bad = (u) => {
		const s = String(u || "").replace(/[\u0000-\u0020\u007f]+/g, "").toLowerCase();
		return s.startsWith("javascript:") || s.startsWith("vbscript:") ||
			(s.startsWith("data:") && !/^data:image\/(png|gif|jpeg|webp);/.test(s));
	};
	const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
	for (const el of document.querySelectorAll("*")) {
		const tag = el.tagName.toLowerCase();
		if (tag === "script") {
			const src = el.getAttribute("src");
			if (!src || new URL(src, location.href).origin !== location.origin || el.textContent.trim() !== "") {
				out.push("script " + (src || el.textContent.slice(0, 60)));
			}
		}
		if (["iframe", "frame", "frameset", "object", "embed", "applet"].includes(tag)) out.push("a " + tag + " element");
		if (el.closest("body") && ["base", "meta", "style", "link"].includes(tag)) out.push("a " + tag + " element in the body");
		for (const a of el.attributes) {
			const n = a.name.toLowerCase();
			if (n.startsWith("on")) out.push(name(el) + " has " + n + "=" + a.value.slice(0, 60));
			if (["href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcdoc", "lowsrc", "dynsrc", "srcset", "content"].includes(n) && bad(a.value)) {
				out.push(name(el) + " " + n + "=" + a.value.slice(0, 60));
			}
			if (n === "style" && /expression\s*\(|url\s*\(|javascript:/i.test(a.value)) out.push(name(el) + " style=" + a.value.slice(0, 60));
		}
		if ((tag === "a" || tag === "area") && el.hasAttribute("href") && !["http:", "https:", "mailto:", ""].includes(el.protocol)) {
			out.push(name(el) + " links to " + el.protocol + " " + el.getAttribute("href").slice(0, 60));
		}
	}
	return out;
})()`

// a13XSSTab is a browser tab that records every dialog and reads the page
// for what could run, with the page's Content-Security-Policy switched off:
// the policy stops inline scripts, so with it on a vector the sanitiser
// let through would still not run, and the test could not fail. What is
// tested here is that the markup itself is safe.
type a13XSSTab struct {
	*browsertest.Tab
	mu      sync.Mutex
	dialogs []string
}

func a13StartXSSTab(t *testing.T) *a13XSSTab {
	t.Helper()
	tab := browsertest.Start(t, browsertest.Options{Width: 1280, Height: 800, Timeout: 3 * time.Minute})
	x := &a13XSSTab{Tab: tab}
	ctx := tab.Context()
	if _, err := chromedp.Call(ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatalf("bypass CSP: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: a13XSSSentinel}); err != nil {
		t.Fatalf("add the sentinel: %v", err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			x.mu.Lock()
			x.dialogs = append(x.dialogs, string(ev.Type)+"("+ev.Message+")")
			x.mu.Unlock()
			// Close it, or the page stays blocked.
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return x
}

func (x *a13XSSTab) takeDialogs() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	d := x.dialogs
	x.dialogs = nil
	return d
}

// check opens path and fails on any dialog, any call of the sentinel, and
// anything that could run; it also clicks every link whose address is not
// plain http(s) or mailto (there should be none), to be sure. want are the
// words the page must show (the vectors' cases, as text).
func (x *a13XSSTab) check(t *testing.T, base, path string, want []string) {
	t.Helper()
	// Open it with a bound of our own: a page whose script opens dialogs
	// (in frames the listener cannot close) never finishes loading, which
	// is then the failure to report, with the dialogs seen.
	ctx, cancel := context.WithTimeout(x.Context(), 10*time.Second)
	res, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+path))
	cancel()
	if err != nil {
		t.Errorf("%s: the page did not load (%v); script ran: dialogs %v", path, err, x.takeDialogs())
		return
	}
	if res.Status != http.StatusOK {
		t.Errorf("%s: status %d", path, res.Status)
		return
	}
	// Give handlers that fire late (onerror of images that fail, a
	// meta refresh, autofocus) the time to.
	time.Sleep(700 * time.Millisecond)
	if x.Path() != strings.SplitN(strings.SplitN(path, "?", 2)[0], "#", 2)[0] {
		t.Errorf("%s: the page went elsewhere by itself: to %s", path, x.Path())
		return
	}
	text := browsertest.Eval[string](x.Tab, `document.body.innerText`)
	for _, w := range want {
		if !regexp.MustCompile(`\b` + w + `\b`).MatchString(text) {
			t.Errorf("%s: the page does not show %s (the text around a vector was lost)", path, w)
		}
	}
	for _, p := range browsertest.Eval[[]string](x.Tab, a13XSSProblems) {
		t.Errorf("%s: %s", path, p)
	}
	n := browsertest.Eval[int](x.Tab, `(() => {
		let n = 0;
		for (const a of document.querySelectorAll("main a[href]")) {
			if (!["http:", "https:", "mailto:"].includes(a.protocol)) { a.click(); n++; }
		}
		return n;
	})()`)
	if n > 0 {
		time.Sleep(300 * time.Millisecond)
	}
	if fired := browsertest.Eval[[]string](x.Tab, `window.__xss || ["(the sentinel is gone: the page was replaced)"]`); len(fired) > 0 {
		t.Errorf("%s: script ran: %v", path, fired)
	}
	if d := x.takeDialogs(); len(d) > 0 {
		t.Errorf("%s: dialogs opened: %v", path, d)
	}
}

// canary shows that the checks can fail: markup a sanitiser should have
// removed, put into the page, is reported by the DOM check, its handler
// runs (the policy is off) and the dialog is seen.
func (x *a13XSSTab) canary(t *testing.T) {
	t.Helper()
	browsertest.Eval[bool](x.Tab, `(document.querySelector("main").insertAdjacentHTML("beforeend",
		'<p id="canary"><img src="/no-such-image" onerror="alert(999)"><a href="javascript:alert(998)">c</a></p>'), true)`)
	deadline := time.Now().Add(5 * time.Second)
	for len(browsertest.Eval[[]string](x.Tab, `window.__xss`)) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if fired := browsertest.Eval[[]string](x.Tab, `window.__xss`); len(fired) == 0 {
		t.Fatal("canary: an onerror handler put into the page did not run: the sentinel cannot see script running")
	}
	time.Sleep(200 * time.Millisecond)
	if d := x.takeDialogs(); len(d) == 0 {
		t.Fatal("canary: alert(999) opened no dialog that the listener saw")
	}
	if p := browsertest.Eval[[]string](x.Tab, a13XSSProblems); len(p) < 2 {
		t.Fatalf("canary: the DOM check found %v in markup with an onerror and a javascript: link", p)
	}
	browsertest.Eval[bool](x.Tab, `(document.getElementById("canary").remove(), window.__xss = [], true)`)
}

// a13XSSWorld starts a node with an organiser and a member of a group.
func a13XSSWorld(t *testing.T) (n *apptest.Node, org, mem *a13Account, groupID, slug string) {
	t.Helper()
	n = apptest.Start(t, apptest.Options{})
	a13User(t, n, "Ada Admin", "ada13@example.org", auth.RoleAdmin)
	org = a13User(t, n, "Olive Organiser", "olive13@example.org", auth.RoleMember)
	mem = a13User(t, n, "Mo Member", "mo13@example.org", auth.RoleMember)
	g, err := n.App.Groups.Create(auth.WithSystem(context.Background()), groups.Input{Name: "Alpha Branch", Kind: groups.KindWorking, JoinPolicy: groups.JoinOpen})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.App.Groups.ImportMembers(auth.WithSystem(context.Background()), []groups.NewMember{
		{GroupID: g.ID, PersonID: org.person, Role: groups.RoleOrganiser}, {GroupID: g.ID, PersonID: mem.person, Role: groups.RoleMember}}); err != nil {
		t.Fatal(err)
	}
	return n, org, mem, g.ID, g.Slug
}

func a13Cases(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("xsscase%d", i))
	}
	return out
}

// TestXSSNeverExecutesInComments: every vector of the corpus, posted as
// comments and replies through the thread's form (typed into the page's
// own form for some, sent as that form sends for the rest), as a thread's
// title and opening post, and as an edit, never runs in Chromium: no
// dialog, no call of alert, nothing in the DOM that could run, on the
// thread, the thread lists, a comment's history and the search results
// (including a vector as the query). The canary at the start shows the
// checks can fail; so does web.Markdown without bluemonday and with
// goldmark's raw HTML on (tried: the thread page reports alert(1),
// alert(2), alert(4)… and never finishes loading).
func TestXSSNeverExecutesInComments(t *testing.T) {
	x := a13StartXSSTab(t)
	n, org, mem, groupID, slug := a13XSSWorld(t)
	corpus := a13XSSCorpus()

	th := a13StartThread(t, n, org, groupID, `<img src=x onerror=alert(100)> "><script>alert(101)</script> xsstitle`,
		"xssopening "+corpus[0]+"\n\n"+corpus[42], "public")
	if th == "" {
		t.FailNow() // the thread could not be started (reported)
	}
	thread := "/talk/t/" + th

	// The canary, on the real thread page.
	if st := x.Navigate(n.URL + "/login"); st != 200 {
		t.Fatalf("login page: %d", st)
	}
	x.Fill("#f-email", mem.email)
	x.Fill("#f-password", mem.pass)
	x.ClickText("main", "Log in")
	x.Navigate(n.URL + thread)
	x.canary(t)

	// Three vectors typed into the page's own comment form.
	for _, v := range corpus[:3] {
		x.Navigate(n.URL + thread)
		// The form for a new comment: not a reply form (one with a parent_id).
		if !browsertest.Eval[bool](x.Tab, `(() => {
			for (const f of document.querySelectorAll('form[action="`+thread+`/comments"]')) {
				const p = f.querySelector('input[name="parent_id"]');
				if (!p || p.value === "") { f.id = "a13-new-comment"; return true; }
			}
			return false;
		})()`) {
			t.Fatalf("the thread page has no form posting a new comment to %s/comments", thread)
		}
		a13Type(t, x.Tab, `#a13-new-comment textarea[name="body"]`, v)
		if st := x.Click(`#a13-new-comment button:not([type="button"])`); st != 200 {
			t.Fatalf("posting %q through the form: status %d", v, st)
		}
	}
	// The rest as that form sends them, a few to a comment: the first a
	// top-level comment, the others replies to it.
	var first string
	for i := 3; i < len(corpus); i += 4 {
		body := strings.Join(corpus[i:min(i+4, len(corpus))], "\n\n")
		_, cid := a13Comment(t, n, mem, thread+"/comments", first, body, fmt.Sprintf("xsscase%d", i+1))
		if first == "" {
			first = cid
		}
	}
	// An edit keeps the old text in the history: both must be safe.
	_, edited := a13Comment(t, n, mem, thread+"/comments", "", "xssbeforeedit "+corpus[5]+"\n\n"+corpus[45], "xssbeforeedit")
	a13Post(t, n, mem.c, "/talk/c/"+edited+"/edit", url.Values{"body": {"xssedited " + corpus[1] + "\n\n" + corpus[44]}})

	x.check(t, n.URL, thread, append(a13Cases(1, len(corpus)), "xssopening", "xsstitle", "xssedited"))
	x.check(t, n.URL, "/talk/c/"+edited+"/history", []string{"xssbeforeedit"})
	x.check(t, n.URL, "/talk", []string{"xsstitle"})
	x.check(t, n.URL, "/groups/"+slug+"/talk", []string{"xsstitle"})
	x.check(t, n.URL, "/search?q=xsscase3", []string{"xsscase3"})
	x.check(t, n.URL, "/search?q=xsstitle+img+script", []string{"xsstitle"}) // the title, its words marked
	x.check(t, n.URL, "/search?q=alert", nil)
	x.check(t, n.URL, "/search?q="+url.QueryEscape(`"><script>alert(102)</script><img src=x onerror=alert(103)>`), nil)
}

// TestXSSNeverExecutesInDocuments: the whole corpus as a library document
// (title and body), then edited, never runs in Chromium on the document,
// its folder, its revisions, the diff between them and the search results.
func TestXSSNeverExecutesInDocuments(t *testing.T) {
	x := a13StartXSSTab(t)
	n, org, mem, groupID, _ := a13XSSWorld(t)
	corpus := a13XSSCorpus()

	folder := a13ID(t, a13Post(t, n, org.c, "/library/folders", url.Values{"group_id": {groupID}, "parent_id": {""},
		"name": {`<svg/onload=alert(104)> xssfolder`}, "visibility": {"public"}}), "/library/f/")
	loc := a13Post(t, n, org.c, "/library/docs", url.Values{"folder_id": {folder},
		"title": {`<script>alert(105)</script> xssdoctitle`}, "body": {strings.Join(corpus, "\n\n")}, "visibility": {"public"}})
	doc := a13ID(t, loc, "/library/d/")

	// A second revision, through the edit form's own base revision.
	edit := apptest.Get(t, org.c, n.URL+"/library/d/"+doc+"/edit")
	m := regexp.MustCompile(`name="base_revision"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="base_revision"`).FindStringSubmatch(edit.Body)
	if edit.Status != 200 || m == nil {
		t.Fatalf("edit form: status %d, base_revision not found\n%.2000s", edit.Status, edit.Body)
	}
	base := m[1] + m[2]
	a13Post(t, n, org.c, "/library/d/"+doc, url.Values{"title": {`<img src=x onerror=alert(106)> xssdoctitle`},
		"body":       {strings.Join(corpus[len(corpus)/2:], "\n\n") + "\n\n" + strings.Join(corpus[:len(corpus)/2], "\n\n")},
		"visibility": {"public"}, "base_revision": {base}})

	if st := x.Navigate(n.URL + "/login"); st != 200 {
		t.Fatalf("login page: %d", st)
	}
	x.Fill("#f-email", mem.email)
	x.Fill("#f-password", mem.pass)
	x.ClickText("main", "Log in")
	x.Navigate(n.URL + "/library/d/" + doc)
	x.canary(t)

	x.check(t, n.URL, "/library/d/"+doc, append(a13Cases(1, len(corpus)), "xssdoctitle"))
	x.check(t, n.URL, "/library/f/"+folder, []string{"xssdoctitle"})
	x.check(t, n.URL, "/library/d/"+doc+"/revisions", nil)
	x.check(t, n.URL, "/library/d/"+doc+"/diff?from=1&to=2", []string{"xsscase1"})
	x.check(t, n.URL, "/library", nil)
	x.check(t, n.URL, "/search?q=xsscase3", []string{"xsscase3"})
	x.check(t, n.URL, "/search?q=xssdoctitle+img+onerror", []string{"xssdoctitle"}) // the title, its words marked
	x.check(t, n.URL, "/search?q="+url.QueryEscape(`<script>alert(107)</script>`), nil)
}
