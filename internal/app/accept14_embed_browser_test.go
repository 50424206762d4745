package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// Issue 14, acceptance line 2: a petition embedded on a page served from a
// different site is signed on a phone (390 px). The page is a plain one on
// another origin (http://localhost:<port>, where the node is
// http://127.0.0.1:<port>: another site, so the embed's POST is a real
// cross-site request, with CORS) carrying only the petition's script tag.
// The signer gets the thank-you mail through the real SMTP server
// (mailpit); the count rises live (SSE) on the public petition page open in
// another browser; and a webhook receiver registered for signatures gets a
// delivery whose X-Momentum-Signature verifies with webhooks.Verify and
// whose body is Action Network's shape: a JSON array holding an
// "osdi:signature" object.
func TestAcceptEmbedSignedCrossSite(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		mp := mailtest.Start(t)
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: mp.SMTPURL})
		sys := auth.WithSystem(reqctx.WithActor(context.Background(), reqctx.Actor{Label: "test"}))

		// The campaign's webhook receiver.
		type delivery struct {
			header http.Header
			body   []byte
		}
		got := make(chan delivery, 16)
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got <- delivery{r.Header.Clone(), b}
			w.WriteHeader(http.StatusOK)
		}))
		t.Cleanup(recv.Close)
		ep, secret, err := n.App.Webhooks.Create(sys, webhooks.Input{URL: recv.URL + "/hooks/momentum",
			Kinds: []string{outbox.SignatureCreated}, Enabled: true, Description: "the campaign's receiver"})
		if err != nil {
			t.Fatal(err)
		}

		const slug = "save-hackney-library"
		p, err := n.App.Actions.Create(sys, actions.Input{Kind: actions.KindPetition, Slug: slug,
			Title: "Save Hackney Library", Target: "Hackney Council",
			Text: "Keep the library on Mare Street open six days a week.", Goal: 100,
			ConsentWording: "Email me about the library campaign.", Tags: []string{"library"},
			ThanksSubject: "Thank you for signing, {{given_name}}", ThanksText: "You signed {{title}}. Please share it."})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.App.Actions.SetStatus(sys, p.ID, actions.StatusOpen); err != nil {
			t.Fatal(err)
		}

		// The campaign's own site, on another origin, with only the script tag.
		site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Friends of Hackney Library</title></head>
<body><h1>Friends of Hackney Library</h1><p>Our library needs you.</p>
<script src="%s/embed/act/%s.js"></script>
</body></html>`, n.URL, slug)
		}))
		t.Cleanup(site.Close)
		siteURL := strings.Replace(site.URL, "127.0.0.1", "localhost", 1)

		// The public petition page, open in another browser, before signing.
		public := browsertest.Start(t, browsertest.Options{Timeout: 90 * time.Second})
		if status := public.Navigate(n.URL + "/act/" + slug); status != 200 {
			t.Fatalf("public page: %d", status)
		}
		if c := strings.TrimSpace(public.Text("#act-count")); c != "0" {
			t.Fatalf("count before signing: %q", c)
		}

		// The signer, on a phone, on the campaign's site.
		tab := browsertest.Start(t, browsertest.Options{Width: 390, Height: 844, Mobile: true, Timeout: 90 * time.Second})
		if status := tab.Navigate(siteURL + "/"); status != 200 {
			t.Fatalf("campaign site: %d", status)
		}
		rendered := time.Now()
		form := ".mm-embed form "
		tab.Fill(form+`input[name="given_name"]`, "Ada")
		tab.Fill(form+`input[name="family_name"]`, "Lovelace")
		tab.Fill(form+`input[name="email"]`, "ada@example.org")
		tab.Fill(form+`input[name="postcode"]`, "E8 1DY")
		tick := chromedp.Action[chromedp.Void](chromedp.Click(chromedp.CSS(form + `input[name="email_opt_in"]`)))
		if tab.Mobile() {
			tick = chromedp.Tap(chromedp.CSS(form + `input[name="email_opt_in"]`))
		}
		if _, err := chromedp.Run(tab.Context(), tick); err != nil {
			t.Fatalf("tick the consent box: %v", err)
		}
		if w := browsertest.Eval[float64](tab, `document.querySelector(".mm-embed").getBoundingClientRect().width`); w > 390 {
			t.Errorf("the embed is %vpx wide on a 390px screen", w)
		}
		// A person takes a moment to fill a form; one sent faster is
		// refused as a bot's (actions.Deps.MinFillTime, 2 s).
		time.Sleep(time.Until(rendered.Add(2500 * time.Millisecond)))
		send := chromedp.Action[chromedp.Void](chromedp.Click(chromedp.CSS(form + `button[type="submit"]`)))
		if tab.Mobile() {
			send = chromedp.Tap(chromedp.CSS(form + `button[type="submit"]`))
		}
		if _, err := chromedp.Run(tab.Context(), send); err != nil {
			t.Fatalf("send the form: %v", err)
		}
		thanks := tab.Text(".mm-embed .mm-thanks")
		if !strings.Contains(thanks, "Thank you") {
			t.Errorf("after signing the embed shows %q", thanks)
		}
		if c := strings.TrimSpace(tab.Text(".mm-embed .mm-count-n")); c != "1" {
			t.Errorf("the embed's count after signing: %q", c)
		}
		if path := tab.Path(); path != "/" {
			t.Errorf("the campaign's page was left for %s", path)
		}

		// The thank-you mail, through the real SMTP server.
		m := mp.WaitFor(t, "ada@example.org", 30*time.Second)
		if m.Subject != "Thank you for signing, Ada" || !strings.Contains(m.Text, "Save Hackney Library") {
			t.Errorf("thank-you mail: %q\n%s", m.Subject, m.Text)
		}

		// The count rose live on the public page, which was not reloaded.
		deadline := time.Now().Add(20 * time.Second)
		for {
			c := browsertest.Eval[string](public, `document.getElementById("act-count").textContent.trim()`)
			if c == "1" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the public page's count is still %q", c)
			}
			time.Sleep(100 * time.Millisecond)
		}

		// The signed webhook delivery.
		var d delivery
		select {
		case d = <-got:
		case <-time.After(30 * time.Second):
			t.Fatal("no webhook delivery within 30s")
		}
		if err := webhooks.Verify(secret, d.header.Get(webhooks.HeaderTimestamp), d.header.Get(webhooks.HeaderSignature), d.body, 5*time.Minute); err != nil {
			t.Errorf("the delivery's signature: %v (headers %v)", err, d.header)
		}
		if err := webhooks.Verify(secret+"x", d.header.Get(webhooks.HeaderTimestamp), d.header.Get(webhooks.HeaderSignature), d.body, 5*time.Minute); err == nil {
			t.Errorf("the signature verifies with another secret too")
		}
		if k := d.header.Get(webhooks.HeaderEvent); k != outbox.SignatureCreated {
			t.Errorf("%s = %q", webhooks.HeaderEvent, k)
		}
		var items []map[string]json.RawMessage
		if err := json.Unmarshal(d.body, &items); err != nil || len(items) != 1 {
			t.Fatalf("the body is not an array of one object: %v\n%s", err, d.body)
		}
		var sig map[string]any
		if err := json.Unmarshal(items[0]["osdi:signature"], &sig); err != nil || sig == nil {
			t.Fatalf(`no "osdi:signature" object: %s`, d.body)
		}
		if pe, _ := sig["person"].(map[string]any); pe == nil {
			// Action Network's signature payload carries the person.
			if l, _ := sig["_links"].(map[string]any); l == nil || l["osdi:person"] == nil {
				t.Errorf("the signature names no person: %s", d.body)
			}
		}
		if !strings.Contains(string(d.body), "ada@example.org") && !strings.Contains(string(d.body), "/people/") {
			t.Errorf("the delivery does not say who signed: %s", d.body)
		}
		_ = ep
	})
}
