package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
)

// EmbedHost (issue 14) serves, from an origin of its own (another port,
// and "localhost" where Momentum's is 127.0.0.1), a campaign's page that
// holds the embed code: the placeholder and the script tag of scriptURL.
func EmbedHost(t *testing.T, placeholder, scriptURL string) *httptest.Server {
	t.Helper()
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Renters' campaign</title></head>
<body><h1>Our campaign</h1><p>Please sign below.</p>
<div ` + placeholder + `></div>
<script src="` + html.EscapeString(scriptURL) + `" async></script>
</body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	srv.URL = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	return srv
}

// WaitJS waits until the JavaScript expression cond is true in ctx (a
// tab's), failing the test after timeout.
func WaitJS(t *testing.T, ctx context.Context, what, cond string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
			t.Fatalf("%s: not within %s (err %v)\npage text:\n%.2000s", what, timeout, err, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserActionsEmbed, on a phone (390 px): a petition embedded on a
// page served from another origin draws its form there; it is filled in
// and sent, the thank-you text appears in place, and the count on the
// petition's own page, open in another tab, rises live. On both engines.
func TestBrowserActionsEmbed(t *testing.T) {
	phone := browsertest.Options{Width: 390, Height: 844, Mobile: true, Timeout: 60 * time.Second}
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		tab := browsertest.Start(t, phone)
		w := StartActionsWorld(t, apptest.Options{DatabaseURL: dbURL})
		slug := w.Petition.Slug
		host := EmbedHost(t, `data-momentum-act="`+slug+`"`, w.N.URL+"/embed/act/"+slug+".js")

		// The petition's own page, in a second tab of the same browser.
		watch, cancel := chromedp.NewContext(tab.Context())
		defer cancel()
		if err := chromedp.Do(watch, chromedp.Navigate(w.N.URL+"/act/"+slug), chromedp.WaitVisible(chromedp.CSS("#act-count"))); err != nil {
			t.Fatalf("open the petition's page: %v", err)
		}
		WaitJS(t, watch, "the page's count", `document.querySelector("#act-count").textContent.trim() === "0"`, 5*time.Second)

		wantStatus(t, "campaign page", tab.Navigate(host.URL+"/"), http.StatusOK)
		WaitJS(t, tab.Context(), "the embedded form", `document.querySelector(".mm-embed form input[name=rendered]") && document.querySelector(".mm-embed form input[name=rendered]").value !== ""`, 10*time.Second)
		wantContains(t, tab, ".mm-embed", "Fix the damp in Hackney's council flats")
		wantContains(t, tab, ".mm-embed", "To: Hackney Council")
		for _, name := range []string{"given_name", "family_name", "email", "postcode", "email_opt_in", "comment"} {
			id := tab.Attr(".mm-embed [name="+name+"]", "id")
			if id == "" || !browsertest.Eval[bool](tab, `!!document.querySelector('.mm-embed label[for="`+id+`"]')`) {
				t.Errorf("the embedded %s has no label", name)
			}
		}
		tab.Fill(".mm-embed [name=given_name]", "Femi")
		tab.Fill(".mm-embed [name=family_name]", "Adeyemi")
		tab.Fill(".mm-embed [name=email]", "femi@example.org")
		tab.Fill(".mm-embed [name=postcode]", "E8 1DY")
		// An empty textarea has no text node for Fill's Clear: type into it.
		if err := chromedp.Do(tab.Context(), chromedp.SendKeys(chromedp.CSS(".mm-embed [name=comment]"), "My kids cough all winter.")); err != nil {
			t.Fatal(err)
		}
		if !browsertest.Eval[bool](tab, `document.querySelector('.mm-embed [name=email_opt_in]').checked = true`) {
			t.Fatal("could not tick the consent box")
		}
		wantFits(t, tab)
		tab.Screenshot("actions-embed-form.png")
		time.Sleep(2100 * time.Millisecond) // a person takes at least the minimum fill time
		if err := chromedp.Do(tab.Context(), chromedp.Click(chromedp.CSS(".mm-embed button[type=submit]"))); err != nil {
			t.Fatalf("send the embedded form: %v", err)
		}
		WaitJS(t, tab.Context(), "the thank-you text", `document.querySelector(".mm-embed .mm-thanks")`, 10*time.Second)
		wantContains(t, tab, ".mm-embed .mm-thanks", "Thank you for signing")
		wantText(t, tab, ".mm-embed .mm-count-n", "1")
		if got := browsertest.Eval[string](tab, `document.activeElement.className`); got != "mm-thanks" {
			t.Errorf("focus after sending is on %q, want the thank-you text", got)
		}
		wantFits(t, tab)
		tab.Screenshot("actions-embed-thanks.png")

		// The petition's page counted it, live.
		WaitJS(t, watch, "the live count", `document.querySelector("#act-count").textContent.trim() === "1"`, 10*time.Second)
		list, err := w.N.App.Actions.Responses(w.OrgACtx, w.Petition.ID, "", 5)
		if err != nil || len(list) != 1 {
			t.Fatalf("responses: %v, %d", err, len(list))
		}
		if want := "embed: " + strings.TrimPrefix(host.URL, "http://"); list[0].Source != want {
			t.Errorf("source %q, want %q", list[0].Source, want)
		}
		if list[0].Comment != "My kids cough all winter." {
			t.Errorf("comment %q", list[0].Comment)
		}

		// The petition's own page and the iframe fallback fit the phone too.
		wantStatus(t, "petition page", tab.Navigate(w.N.URL+"/act/"+slug), http.StatusOK)
		wantContains(t, tab, "main", "My kids cough all winter.")
		wantFits(t, tab)
		tab.Screenshot("actions-public.png")
		wantStatus(t, "iframe page", tab.Navigate(w.N.URL+"/embed/act/"+slug), http.StatusOK)
		wantFits(t, tab)
		tab.Screenshot("actions-iframe.png")
	})
}
