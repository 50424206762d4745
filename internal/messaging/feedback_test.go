package messaging_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

func TestNewFeedbackNeedsEveryCollaborator(t *testing.T) {
	_, err := messaging.NewFeedback(messaging.FeedbackDeps{})
	if err == nil || !strings.Contains(err.Error(), "DB") || !strings.Contains(err.Error(), "People") {
		t.Fatalf("err %v", err)
	}
	d := dbtest.NewSQLite(t)
	e := newFbEnv(t, d)
	_, err = messaging.NewFeedback(messaging.FeedbackDeps{DB: d, Policy: e.c.Policy, People: e.c.People})
	if err == nil || !strings.Contains(err.Error(), "BaseURL") || !strings.Contains(err.Error(), "SiteName") {
		t.Fatalf("err %v", err)
	}
}

func TestUnsubscribeByToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newFbEnv(t, d)
		ctx := context.Background()
		ada, adaMail := e.person(t, "Ada Lovelace")
		b1 := e.broadcast(t, messaging.ChannelEmail, "Rent strike meeting", false)
		b2 := e.broadcast(t, messaging.ChannelEmail, "Next week", false)
		tok := e.recipient(t, b1, ada, adaMail, messaging.RecipientSent)
		queued := e.recipient(t, b2, ada, adaMail, messaging.RecipientQueued)

		u, err := e.fb.Unsubscription(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if u.Masked != "a•••@example.org" || !u.Subscribed || u.SiteName != "Tenants United" || u.Subject != "Rent strike meeting" {
			t.Fatalf("view %+v", u)
		}
		if len(e.history(t, ada, people.ChannelEmail)) != 1 {
			t.Fatal("looking at the page changed the consent")
		}

		if _, err := e.fb.Unsubscribe(ctx, tok); err != nil {
			t.Fatal(err)
		}
		h := e.history(t, ada, people.ChannelEmail)
		last := h[len(h)-1]
		if len(h) != 2 || last.Status != people.ConsentWithdrawn || !strings.Contains(last.Source, "Rent strike meeting") ||
			!strings.Contains(last.Source, b1) || last.ActorLabel != "unsubscribe link" {
			t.Fatalf("history %+v", h)
		}
		if ok, _ := e.c.People.HasConsent(ctx, d.Q(), ada, people.ChannelEmail); ok {
			t.Fatal("email consent still granted")
		}
		if ok, _ := e.c.People.HasConsent(ctx, d.Q(), ada, people.ChannelSMS); !ok {
			t.Fatal("an email unsubscribe withdrew SMS consent too")
		}
		if r := e.row(t, tok); r.Unsubscribed == nil {
			t.Fatal("unsubscribed_at not set")
		}
		if r := e.row(t, queued); r.Status != messaging.RecipientSkipped {
			t.Fatalf("the person's queued row in another broadcast is %s, want skipped", r.Status)
		}
		var audited int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'broadcast.unsubscribed' AND target_id = ?`, ada).Scan(&audited)
		if audited != 1 {
			t.Fatalf("%d audit entries", audited)
		}

		t.Run("Twice", func(t *testing.T) {
			first := e.row(t, tok).Unsubscribed
			e.now = e.now.Add(time.Minute)
			u, err := e.fb.Unsubscribe(ctx, tok)
			if err != nil || u.Subscribed {
				t.Fatalf("%+v %v", u, err)
			}
			if n := len(e.history(t, ada, people.ChannelEmail)); n != 2 {
				t.Fatalf("a second unsubscribe wrote history again: %d rows", n)
			}
			if again := e.row(t, tok).Unsubscribed; !again.Equal(*first) {
				t.Fatalf("unsubscribed_at moved from %v to %v", first, again)
			}
		})

		t.Run("Resubscribe", func(t *testing.T) {
			e.now = e.now.Add(time.Minute)
			u, err := e.fb.Resubscribe(ctx, tok)
			if err != nil || !u.Subscribed {
				t.Fatalf("%+v %v", u, err)
			}
			h := e.history(t, ada, people.ChannelEmail)
			last := h[len(h)-1]
			if last.Status != people.ConsentGranted || !strings.Contains(last.Wording, "Tenants United") {
				t.Fatalf("history %+v", h)
			}
			if r := e.row(t, tok); r.Unsubscribed != nil {
				t.Fatal("unsubscribed_at kept after resubscribing")
			}
			// Nothing left to undo.
			_, err = e.fb.Resubscribe(ctx, tok)
			fbWantCode(t, err, errs.Conflict)
			// And the link works again.
			e.now = e.now.Add(time.Minute)
			if _, err := e.fb.Unsubscribe(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if ok, _ := e.c.People.HasConsent(ctx, d.Q(), ada, people.ChannelEmail); ok {
				t.Fatal("second unsubscribe did not withdraw")
			}
		})
	})
}

func TestUnsubscribeUnknownToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newFbEnv(t, d)
		for _, tok := range []string{"00000000000000000000000000000000", "short", "", "../../etc/passwd", strings.Repeat("a", 200), "ab'cd\"ef;--0123456789"} {
			_, err := e.fb.Unsubscription(context.Background(), tok)
			fbWantCode(t, err, errs.NotFound)
			_, err = e.fb.Unsubscribe(context.Background(), tok)
			fbWantCode(t, err, errs.NotFound)
			_, err = e.fb.Resubscribe(context.Background(), tok)
			fbWantCode(t, err, errs.NotFound)
		}
	})
}

func TestUnsubscribeSMS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newFbEnv(t, d)
		ctx := context.Background()
		bo, _ := e.person(t, "Bo Diddley")
		b := e.broadcast(t, messaging.ChannelSMS, "", false)
		tok := e.recipient(t, b, bo, "+447700900123", messaging.RecipientSent)
		u, err := e.fb.Unsubscription(ctx, tok)
		if err != nil || u.Masked != "+44•••••••123" {
			t.Fatalf("%+v %v", u, err)
		}
		if _, err := e.fb.Unsubscribe(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if ok, _ := e.c.People.HasConsent(ctx, d.Q(), bo, people.ChannelSMS); ok {
			t.Fatal("SMS consent still granted")
		}
		if ok, _ := e.c.People.HasConsent(ctx, d.Q(), bo, people.ChannelEmail); !ok {
			t.Fatal("an SMS unsubscribe withdrew email consent")
		}
		h := e.history(t, bo, people.ChannelSMS)
		if !strings.Contains(h[len(h)-1].Source, "SMS broadcast") {
			t.Fatalf("source %q", h[len(h)-1].Source)
		}
	})
}

func TestHardBounceSuppressesOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newFbEnv(t, d)
		ctx := context.Background()
		cy, cyMail := e.person(t, "Cy Young")
		di, diMail := e.person(t, "Di Prima")
		b := e.broadcast(t, messaging.ChannelEmail, "News", false)
		cyTok := e.recipient(t, b, cy, cyMail, messaging.RecipientSent)
		diTok := e.recipient(t, b, di, diMail, messaging.RecipientSent)

		// The provider reports the address in capitals; no token.
		hard := messaging.DeliveryEvent{Kind: messaging.EventBounce, Hard: true, Address: strings.ToUpper(cyMail),
			Detail: "smtp; 550 5.1.1 user unknown", At: e.now}
		res, err := e.fb.RecordDelivery(ctx, "postmark webhook", []messaging.DeliveryEvent{hard})
		if err != nil || res.Suppressed != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		if ok, _ := messaging.IsSuppressed(ctx, d.Q(), cyMail); !ok {
			t.Fatal("not suppressed")
		}
		// The row is found by address, case aside? The provider's capitals
		// differ from the stored address: found through the lower-case form.
		if r := e.row(t, cyTok); r.Status != messaging.RecipientBounced || !strings.Contains(r.Error, "550") {
			t.Fatalf("row %+v", r)
		}
		// The same event again changes nothing.
		res, err = e.fb.RecordDelivery(ctx, "postmark webhook", []messaging.DeliveryEvent{hard})
		if err != nil || res.Suppressed != 0 || res.Marked != 0 || res.Ignored != 1 {
			t.Fatalf("repeat: %+v %v", res, err)
		}
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'suppression.added'`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d audit entries", n)
		}

		// A soft bounce and a delivery suppress nothing; a complaint by
		// token does.
		soft := messaging.DeliveryEvent{Kind: messaging.EventBounce, Address: diMail, Detail: "mailbox full"}
		if _, err := e.fb.RecordDelivery(ctx, "ses webhook", []messaging.DeliveryEvent{soft,
			{Kind: messaging.EventDelivered, Address: diMail}}); err != nil {
			t.Fatal(err)
		}
		if ok, _ := messaging.IsSuppressed(ctx, d.Q(), diMail); ok {
			t.Fatal("a soft bounce suppressed the address")
		}
		if r := e.row(t, diTok); r.Status != messaging.RecipientSent || !strings.Contains(r.Error, "mailbox full") {
			t.Fatalf("row %+v", r)
		}
		if _, err := e.fb.RecordDelivery(ctx, "ses webhook", []messaging.DeliveryEvent{{Kind: messaging.EventComplaint,
			Address: diMail, Token: diTok}}); err != nil {
			t.Fatal(err)
		}
		if r := e.row(t, diTok); r.Status != messaging.RecipientComplained {
			t.Fatalf("row %+v", r)
		}
		var reason string
		d.QueryRow(ctx, `SELECT reason FROM suppressions WHERE address = ?`, diMail).Scan(&reason)
		if reason != messaging.ReasonComplaint {
			t.Fatalf("reason %q", reason)
		}

		// Bad events are refused, naming the field.
		_, err = e.fb.RecordDelivery(ctx, "x", []messaging.DeliveryEvent{{Kind: "opened", Address: ""}})
		fbWantCode(t, err, errs.Invalid)
		if f := errs.FieldsOf(err); f["kind"] == "" || f["address"] == "" {
			t.Fatalf("fields %v", f)
		}
	})
}

func TestSuppressionsAdminOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newFbEnv(t, d)
		ctx := context.Background()
		for _, a := range []string{"b@example.org", "A@Example.org", "c_d@example.org"} {
			if _, err := messaging.Suppress(ctx, d.Q(), a, messaging.ReasonBounce, "smtp 550", e.now); err != nil {
				t.Fatal(err)
			}
		}
		if added, err := messaging.Suppress(ctx, d.Q(), "a@example.org", messaging.ReasonComplaint, "x", e.now); err != nil || added {
			t.Fatalf("second suppression of a@: %v %v", added, err)
		}
		_, err := messaging.Suppress(ctx, d.Q(), "x@example.org", "whim", "", e.now)
		fbWantCode(t, err, errs.Invalid)

		_, _, err = e.fb.Suppressions(e.member, messaging.SuppressionFilter{})
		fbWantCode(t, err, errs.Forbidden)
		_, _, err = e.fb.Suppressions(ctx, messaging.SuppressionFilter{})
		fbWantCode(t, err, errs.Unauthorized)
		fbWantCode(t, e.fb.Unsuppress(e.member, "a@example.org"), errs.Forbidden)

		page, next, err := e.fb.Suppressions(e.admin, messaging.SuppressionFilter{Limit: 2})
		if err != nil || len(page) != 2 || page[0].Address != "a@example.org" || page[0].Reason != messaging.ReasonBounce || next == "" {
			t.Fatalf("%+v %q %v", page, next, err)
		}
		page, next, _ = e.fb.Suppressions(e.admin, messaging.SuppressionFilter{Limit: 2, After: next})
		if len(page) != 1 || page[0].Address != "c_d@example.org" || next != "" {
			t.Fatalf("page 2 %+v %q", page, next)
		}
		page, _, _ = e.fb.Suppressions(e.admin, messaging.SuppressionFilter{Search: "_"})
		if len(page) != 1 {
			t.Fatalf("search for _ found %+v", page)
		}

		if err := e.fb.Unsuppress(e.admin, "A@EXAMPLE.ORG"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := messaging.IsSuppressed(ctx, d.Q(), "a@example.org"); ok {
			t.Fatal("still suppressed")
		}
		fbWantCode(t, e.fb.Unsuppress(e.admin, "a@example.org"), errs.NotFound)
	})
}

func TestOpensAndClicksOnlyWhenTracked(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newFbEnv(t, d)
		ctx := context.Background()
		ed, edMail := e.person(t, "Ed Sheeran")
		plain := e.recipient(t, e.broadcast(t, messaging.ChannelEmail, "Untracked", false), ed, edMail, messaging.RecipientSent)
		tracked := e.recipient(t, e.broadcast(t, messaging.ChannelEmail, "Tracked", true), ed, edMail, messaging.RecipientSent)
		tr, err := messaging.LoadTracker(ctx, d.Q(), fbSite)
		if err != nil {
			t.Fatal(err)
		}
		click := func(tok, u string) (string, error) {
			c, _ := url.Parse(tr.ClickURL(tok, u))
			return e.fb.Click(ctx, strings.TrimPrefix(c.Path, "/t/c/"), c.Query().Get("u"), c.Query().Get("s"))
		}

		for _, tok := range []string{plain, tracked} {
			if err := e.fb.RecordOpen(ctx, tok); err != nil {
				t.Fatal(err)
			}
			dest, err := click(tok, "https://example.org/petition?x=1&y=2")
			if err != nil || dest != "https://example.org/petition?x=1&y=2" {
				t.Fatalf("click: %q %v", dest, err)
			}
		}
		if r := e.row(t, plain); r.Opened != nil || r.Clicked != nil {
			t.Fatalf("untracked broadcast recorded %+v", r)
		}
		r := e.row(t, tracked)
		if r.Opened == nil || r.Clicked == nil {
			t.Fatalf("tracked broadcast recorded %+v", r)
		}
		// Only the first open and click count.
		first := *r.Opened
		e.now = e.now.Add(time.Hour)
		e.fb.RecordOpen(ctx, tracked)
		if again := e.row(t, tracked); !again.Opened.Equal(first) {
			t.Fatal("second open moved opened_at")
		}

		// A second node (a new tracker) signs the same way.
		tr2, _ := messaging.LoadTracker(ctx, d.Q(), fbSite)
		if tr2.ClickURL(tracked, "https://a.example") != tr.ClickURL(tracked, "https://a.example") {
			t.Fatal("two trackers disagree")
		}
	})
}

// TestClickRefusesForgedLinks: the redirect follows only URLs we signed for
// that token — never an open redirect.
func TestClickRefusesForgedLinks(t *testing.T) {
	d := dbtest.NewSQLite(t)
	e := newFbEnv(t, d)
	ctx := context.Background()
	ed, edMail := e.person(t, "Ed Sheeran")
	tok := e.recipient(t, e.broadcast(t, messaging.ChannelEmail, "Tracked", true), ed, edMail, messaging.RecipientSent)
	other := e.recipient(t, e.broadcast(t, messaging.ChannelEmail, "Other", true), ed, edMail, messaging.RecipientSent)
	tr, _ := messaging.LoadTracker(ctx, d.Q(), fbSite)
	good, _ := url.Parse(tr.ClickURL(tok, "https://example.org/a"))
	sig := good.Query().Get("s")
	jsSig, _ := url.Parse(tr.ClickURL(tok, "javascript:alert(1)"))
	for name, c := range map[string]struct{ tok, u, s string }{
		"Unsigned":      {tok, "https://evil.example/", ""},
		"OtherURL":      {tok, "https://evil.example/", sig},
		"AlteredURL":    {tok, "https://example.org/a/../../evil", sig},
		"OtherToken":    {other, "https://example.org/a", sig},
		"Truncated":     {tok, "https://example.org/a", sig[:10]},
		"SignedNotHTTP": {tok, "javascript:alert(1)", jsSig.Query().Get("s")},
	} {
		t.Run(name, func(t *testing.T) {
			dest, err := e.fb.Click(ctx, c.tok, c.u, c.s)
			if errs.CodeOf(err) != errs.NotFound || dest != "" {
				t.Fatalf("followed to %q (%v)", dest, err)
			}
		})
	}
	if r := e.row(t, tok); r.Clicked != nil {
		t.Fatal("a refused click was recorded")
	}
}

func TestTrackerLinks(t *testing.T) {
	d := dbtest.NewSQLite(t)
	tr, err := messaging.LoadTracker(context.Background(), d.Q(), fbSite)
	if err != nil {
		t.Fatal(err)
	}
	tok := "0123456789abcdef0123456789abcdef"
	in := `<html><body><p><a href="https://example.org/x?a=1&amp;b=2">petition</a>
<a class="btn" href='http://example.org/y'>y</a> <a href="mailto:hi@example.org">mail</a>
<a href="` + fbSite + `/u/` + tok + `">Unsubscribe</a></p></body></html>`
	out := tr.Links(in, tok)
	if strings.Contains(out, `href="https://example.org/x`) || strings.Contains(out, `href='http://example.org/y'`) {
		t.Fatalf("links left untracked:\n%s", out)
	}
	want := tr.ClickURL(tok, "https://example.org/x?a=1&b=2")
	if !strings.Contains(out, `href="`+strings.ReplaceAll(want, "&", "&amp;")+`"`) {
		t.Fatalf("no tracked link %s in\n%s", want, out)
	}
	for _, keep := range []string{`href="mailto:hi@example.org"`, `href="` + fbSite + `/u/` + tok + `"`} {
		if !strings.Contains(out, keep) {
			t.Fatalf("%s was rewritten:\n%s", keep, out)
		}
	}
	if !strings.Contains(out, `<img src="`+fbSite+`/t/o/`+tok+`.gif"`) || !strings.HasSuffix(out, "</body></html>") {
		t.Fatalf("pixel missing or misplaced:\n%s", out)
	}
	if twice := tr.Links(out, tok); twice != out {
		t.Fatalf("Links twice changed the HTML again:\n%s", twice)
	}
}

func TestSuppressesAddressOnlyForMailboxRefusals(t *testing.T) {
	for code, want := range map[int]bool{550: true, 551: true, 553: true, 552: false, 554: false, 530: false, 535: false, 450: false, 0: false} {
		if got := messaging.SuppressesAddress(code); got != want {
			t.Errorf("SuppressesAddress(%d) = %v, want %v", code, got, want)
		}
	}
}
