package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// TestDiscussMentionAndFindOldDecision, on a phone 390 px wide and on both
// engines: a member opens a proposal that is under discussion, goes to its
// discussion and replies to the organiser's comment through the reply form
// (reached and filled from the keyboard), mentioning @olive-organiser and
// @dara-digest; Olive, who gets such notices instantly (the default), is
// mailed, and Dara's notice waits for her daily digest, as she chose.
// Later the member types a word said in the discussion of a decision closed
// two years ago into the header's search box, finds it and opens it. No
// page scrolls sideways.
func TestDiscussMentionAndFindOldDecision(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		tab := browsertest.Start(t, browsertest.Options{Width: 390, Height: 844, Mobile: true, Timeout: 90 * time.Second})
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a := n.App
		sys := auth.WithSystem(context.Background())
		a13User(t, n, "Ada Admin", "ada13@example.org", auth.RoleAdmin)
		org := a13User(t, n, "Olive Organiser", "olive13@example.org", auth.RoleMember)
		mem := a13User(t, n, "Mo Member", "mo13@example.org", auth.RoleMember)
		// A second organiser, who chose the daily digest for mentions.
		dara := a13User(t, n, "Dara Digest", "dara13@example.org", auth.RoleMember)
		a13Post(t, n, dara.c, "/account/notifications", url.Values{"talk.mention": {"digest"}})
		g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindWorking, JoinPolicy: groups.JoinOpen})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: g.ID, PersonID: org.person, Role: groups.RoleOrganiser},
			{GroupID: g.ID, PersonID: mem.person, Role: groups.RoleMember},
			{GroupID: g.ID, PersonID: dara.person, Role: groups.RoleOrganiser}}); err != nil {
			t.Fatal(err)
		}

		// Two years ago: a decision whose discussion said "quillwort".
		var oldThread, oldComment string
		old := a13Decision(t, n, org, g.ID, "Community garden on the estate", "Shall we take on the plot behind the estate?", "published",
			func(id string) {
				oldThread, oldComment = a13Comment(t, n, mem, "/talk/on/decision/"+id, "",
					"We could ask the quillwort growers at the allotments to help us start.", "quillwort")
			})
		a13Backdate(t, n, old, oldThread, oldComment, time.Now().AddDate(-2, 0, 0))

		// Now: a proposal under discussion, where the organiser has spoken.
		var parent string
		prop := a13Decision(t, n, org, g.ID, "Hire a hall for the winter assembly", "The church hall is free on Saturdays.", "discussion",
			func(id string) {
				_, parent = a13Comment(t, n, org, "/talk/on/decision/"+id, "", "I can ask the church about the price.", "church about")
			})

		// 1. The member opens the proposal and its discussion.
		wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
		tab.Fill("#f-email", mem.email)
		tab.Fill("#f-password", mem.pass)
		wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
		wantStatus(t, "proposal", tab.Navigate(n.URL+"/decisions/"+prop), http.StatusOK)
		wantContains(t, tab, "main", "Under discussion")
		wantContains(t, tab, "main", "I can ask the church about the price.")
		wantFits(t, tab)
		if !strings.HasPrefix(a13FollowDiscussion(t, tab), "/talk/") {
			t.Fatalf("the proposal's discussion link led to %s", tab.Path())
		}
		wantContains(t, tab, "main", "I can ask the church about the price.")
		// Nobody here was erased: no one is "a former member" (a
		// decision's discussion has no author of its own to show as one).
		if txt := tab.Text("main"); strings.Contains(txt, "a former member") {
			t.Errorf("the discussion of the proposal names \"a former member\" though nobody was erased:\n%s", txt)
		}
		wantFits(t, tab)

		// 2. They reply to the organiser's comment from the keyboard.
		if parent == "" {
			parent = browsertest.Eval[string](tab, `(() => {
				for (const el of document.querySelectorAll('[id^="c-"]')) {
					if (el.textContent.includes("church about the price")) return el.id.slice(2);
				}
				return "";
			})()`)
		}
		if parent == "" {
			t.Fatal("no comment element id=\"c-…\" holds the organiser's comment")
		}
		reply := "Yes please, @olive-organiser, and ask whether the kitchen is included. @dara-digest FYI."
		a13KeyboardReply(t, tab, parent, reply)
		wantContains(t, tab, "main", "ask whether the kitchen is included")
		if depth := browsertest.Eval[bool](tab, `(() => {
			const p = document.getElementById("c-`+parent+`");
			for (const el of document.querySelectorAll('[id^="c-"]')) {
				if (el !== p && el.textContent.includes("kitchen is included")) {
					// A reply: inside its parent, or just after it and marked as a reply.
					return p.contains(el) || (p.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
				}
			}
			return false;
		})()`); !depth {
			t.Error("the reply is not shown as a reply after the organiser's comment")
		}
		wantFits(t, tab)
		tab.Screenshot("accept13-reply-" + engineName(dbURL) + ".png")

		// 3. The organiser is told at once, by mail.
		m := a13WaitMail(t, n, org.email, "talk.mention", 15*time.Second)
		if !strings.Contains(m.Text, "kitchen is included") && !strings.Contains(m.Text, "/talk/") {
			t.Errorf("the mention mail neither quotes the reply nor links to it:\n%s", m.Text)
		}
		if !strings.Contains(m.Text, n.URL+"/") && !strings.Contains(m.Text, "http") {
			t.Errorf("the mention mail has no link:\n%s", m.Text)
		}
		// The organiser who chose the digest gets no mail now; the notice
		// waits for their digest.
		if list, err := a.Mail.Outbox(context.Background(), mail.OutboxFilter{To: dara.email, Limit: 20}); err != nil {
			t.Fatal(err)
		} else {
			for _, m := range list {
				if m.Related == "talk.mention" {
					t.Errorf("Dara chose the digest for mentions but was mailed at once: %q", m.Subject)
				}
			}
		}
		var kept int
		if err := a.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM notification_digest WHERE person_id = ? AND kind = 'talk.mention'`,
			dara.person).Scan(&kept); err != nil {
			t.Fatal(err)
		}
		if kept != 1 {
			t.Errorf("Dara's digest keeps %d mention notices, want 1", kept)
		}

		// 4. Later, the member finds the old decision by a word from its
		// discussion, from the header's search box.
		wantStatus(t, "dashboard", tab.Navigate(n.URL+"/dashboard"), http.StatusOK)
		a13HeaderSearch(t, tab, "quillwort")
		wantPath(t, tab, "/search")
		wantFits(t, tab)
		tab.Screenshot("accept13-search-" + engineName(dbURL) + ".png")
		href := browsertest.Eval[string](tab, `(() => {
			for (const a of document.querySelectorAll("main a[href]")) {
				const p = new URL(a.href).pathname;
				if (p === "/decisions/`+old+`" || p === "/talk/t/`+oldThread+`" || p.startsWith("/talk/on/decision/`+old+`")) return a.getAttribute("href");
			}
			return "";
		})()`)
		if href == "" {
			t.Fatalf("searching for quillwort finds no link to the two-year-old decision or its discussion:\n%s", tab.Text("main"))
		}
		wantStatus(t, "open the hit", tab.Click(`main a[href="`+href+`"]`), http.StatusOK)
		if tab.Path() != "/decisions/"+old {
			// The hit was the comment: its thread links to its decision.
			wantContains(t, tab, "main", "quillwort")
			wantStatus(t, "the decision of the discussion", tab.Click(`main a[href="/decisions/`+old+`"]`), http.StatusOK)
		}
		wantPath(t, tab, "/decisions/"+old)
		wantContains(t, tab, "main", "Community garden on the estate")
		wantFits(t, tab)
		wantCleanConsole(t, tab)
	})
}

// a13Backdate moves a closed decision, its discussion and their index
// entries to at, as if they had happened then.
func a13Backdate(t *testing.T, n *apptest.Node, decision, thread, comment string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	at = at.UTC().Truncate(time.Second)
	stmts := []struct {
		q    string
		args []any
	}{
		{`UPDATE decisions SET created_at = ?, updated_at = ?, opens_at = ?, opened_at = ?, closes_at = ?, closed_at = ?, published_at = ? WHERE id = ?`,
			[]any{at.Add(-14 * 24 * time.Hour), at, at.Add(-7 * 24 * time.Hour), at.Add(-7 * 24 * time.Hour), at, at, at, decision}},
		{`UPDATE search_docs SET at = ? WHERE kind = 'decision' AND id = ?`, []any{at, decision}},
	}
	if thread != "" {
		stmts = append(stmts,
			struct {
				q    string
				args []any
			}{`UPDATE talk_threads SET created_at = ?, last_post_at = ? WHERE id = ?`, []any{at.Add(-10 * 24 * time.Hour), at.Add(-9 * 24 * time.Hour), thread}},
			struct {
				q    string
				args []any
			}{`UPDATE search_docs SET at = ? WHERE kind = 'thread' AND id = ?`, []any{at.Add(-10 * 24 * time.Hour), thread}})
	}
	if comment != "" {
		stmts = append(stmts,
			struct {
				q    string
				args []any
			}{`UPDATE talk_comments SET created_at = ? WHERE id = ?`, []any{at.Add(-9 * 24 * time.Hour), comment}},
			struct {
				q    string
				args []any
			}{`UPDATE search_docs SET at = ? WHERE kind = 'comment' AND id = ?`, []any{at.Add(-9 * 24 * time.Hour), comment}})
	}
	for _, s := range stmts {
		if _, err := n.App.DB.Exec(ctx, s.q, s.args...); err != nil {
			t.Fatalf("backdate: %s: %v", s.q, err)
		}
	}
}

// a13FollowDiscussion follows the subject page's link to its discussion
// (the first link in main to /talk/…) and returns the path it lands on.
func a13FollowDiscussion(t *testing.T, tab *browsertest.Tab) string {
	t.Helper()
	href := browsertest.Eval[string](tab, `(() => {
		const a = document.querySelector('main a[href^="/talk/t/"], main a[href^="/talk/on/"]');
		return a ? a.getAttribute("href") : "";
	})()`)
	if href == "" {
		// The discussion may be on the page itself.
		return tab.Path()
	}
	wantStatus(t, "discussion", tab.Click(`main a[href="`+href+`"]`), http.StatusOK)
	return tab.Path()
}

// a13KeyboardReply writes a reply to comment parent as someone using the
// keyboard: the reply form's control (a "Reply" summary or button, when the
// form starts folded) is focused and opened with Enter; the textarea and
// the send button must be reachable (visible, in the tab order, enabled).
func a13KeyboardReply(t *testing.T, tab *browsertest.Tab, parent, text string) {
	t.Helper()
	form := `form:has(input[name="parent_id"][value="` + parent + `"])`
	if !browsertest.Eval[bool](tab, `!!document.querySelector(`+strconv.Quote(form)+`)`) {
		t.Fatalf("there is no reply form for comment %s (a form with parent_id=%s)", parent, parent)
	}
	// checkVisibility also sees into a closed <details>, whose content
	// keeps its boxes (content-visibility: hidden).
	visible := `(el => !!el && el.checkVisibility({visibilityProperty: true}))`
	if !browsertest.Eval[bool](tab, visible+`(document.querySelector(`+strconv.Quote(form+` textarea[name="body"]`)+`))`) {
		// Folded: open it from the keyboard.
		opener := browsertest.Eval[string](tab, `(() => {
			const f = document.querySelector(`+strconv.Quote(form)+`);
			const d = f.closest("details");
			if (d) { const s = d.querySelector("summary"); s.id = s.id || "a13-opener"; return "#" + s.id; }
			const c = document.getElementById("c-`+parent+`");
			for (const b of c.querySelectorAll("button, a")) {
				if (/reply/i.test(b.textContent) && !f.contains(b)) { b.id = b.id || "a13-opener"; return "#" + b.id; }
			}
			return "";
		})()`)
		if opener == "" {
			t.Fatal("the reply form is hidden and nothing opens it")
		}
		if _, err := chromedp.Run(tab.Context(), chromedp.Focus(chromedp.CSS(opener))); err != nil {
			t.Fatalf("focus %s: %v", opener, err)
		}
		if err := chromedp.Do(tab.Context(), chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatalf("press Enter on %s: %v", opener, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, sel := range []string{form + ` textarea[name="body"]`, form + ` button:not([type="button"])`} {
		ok := browsertest.Eval[bool](tab, `(el => `+visible+`(el) && el.tabIndex >= 0 && !el.disabled)(document.querySelector(`+strconv.Quote(sel)+`))`)
		if !ok {
			t.Fatalf("%s is not reachable from the keyboard (hidden, disabled or out of the tab order)", sel)
		}
	}
	a13Type(t, tab, form+` textarea[name="body"]`, text)
	// Send it from the keyboard too: focus the button and press Enter.
	if _, err := chromedp.Run(tab.Context(), chromedp.Focus(chromedp.CSS(form+` button:not([type="button"])`))); err != nil {
		t.Fatalf("focus the send button: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab.Context(), 15*time.Second)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter))
	if err != nil {
		t.Fatalf("send the reply with Enter: %v", err)
	}
	wantStatus(t, "reply", int(res.Status), http.StatusOK)
}

// a13HeaderSearch types words into the search box in the page's header
// and sends it with Enter.
func a13HeaderSearch(t *testing.T, tab *browsertest.Tab, words string) {
	t.Helper()
	const box = `header form[action="/search"] input[name="q"]`
	if !browsertest.Eval[bool](tab, `!!document.querySelector(`+strconv.Quote(box)+`)`) {
		t.Fatalf("the header has no search box (%s)", box)
	}
	tab.Fill(box, words)
	ctx, cancel := context.WithTimeout(tab.Context(), 15*time.Second)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS(box), kb.Enter))
	if err != nil {
		t.Fatalf("search for %q: %v", words, err)
	}
	wantStatus(t, "search", int(res.Status), http.StatusOK)
}

// a13WaitMail waits for a mail to an address about a kind of notice (the
// stored mail's Related).
func a13WaitMail(t *testing.T, n *apptest.Node, to, kind string, timeout time.Duration) mail.Stored {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		list, err := n.App.Mail.Outbox(context.Background(), mail.OutboxFilter{To: to, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, m := range list {
			if m.Related == kind {
				return m
			}
			kinds = append(kinds, m.Related+": "+m.Subject)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s mail to %s within %s; their mail: %v", kind, to, timeout, kinds)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// a13Type types text into an empty field (browsertest's Fill clears it
// first, which chromedp cannot do to an empty textarea).
func a13Type(t *testing.T, tab *browsertest.Tab, sel, text string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Context(), 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		t.Fatalf("type into %s: %v", sel, err)
	}
}
