package app_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// feedbackRecipient makes a person with email consent and a sent
// broadcast recipient row for them, as the sending would leave it, and
// returns the person's id and the row's token.
func feedbackRecipient(t *testing.T, a *app.App, email, token string) string {
	t.Helper()
	ctx := auth.WithSystem(context.Background())
	id, now := db.NewID(), db.Now()
	if _, err := a.DB.Exec(ctx, `INSERT INTO people (id, given_name, family_name, email, created_at, updated_at)
		VALUES (?, 'Pat', 'Doe', ?, ?, ?)`, id, email, now, now); err != nil {
		t.Fatal(err)
	}
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		return a.People.SetConsentTx(ctx, tx, id, people.Consent{Channel: people.ChannelEmail, Status: people.ConsentGranted,
			Source: "signup form", Wording: "Yes, email me."})
	})
	if err != nil {
		t.Fatal(err)
	}
	bid := db.NewID()
	if _, err := a.DB.Exec(ctx, `INSERT INTO broadcasts (id, channel, status, subject, body, created_at, updated_at)
		VALUES (?, 'email', 'sent', 'Feedback test', 'Hello', ?, ?)`, bid, now, now); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Exec(ctx, `INSERT INTO broadcast_recipients (broadcast_id, person_id, address, token, status, sent_at)
		VALUES (?, ?, ?, ?, 'sent', ?)`, bid, id, email, token, now); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestOneClickUnsubscribeFromAnotherOrigin: a mail client's one-click POST
// is served whatever Origin or Sec-Fetch-Site it sends and without any
// cookie (RFC 8058), while every other route, the resubscribe button
// beside it included, still refuses a cross-site POST. An unknown token is
// a kind 404 page.
func TestOneClickUnsubscribeFromAnotherOrigin(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		tok := "0123456789abcdef0123456789abcdef"
		pid := feedbackRecipient(t, n.App, "pat@example.org", tok)
		crossSite := func(path string) apptest.Response {
			req, _ := http.NewRequest("POST", n.URL+path, strings.NewReader("List-Unsubscribe=One-Click"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://mail.example.com")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			return apptest.Do(t, &http.Client{Timeout: 10 * time.Second}, req)
		}

		page := apptest.Get(t, apptest.Client(t), n.URL+"/u/"+tok)
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "p•••@example.org") || strings.Contains(page.Body, "pat@example.org") ||
			!strings.Contains(page.Body, `action="/u/`+tok+`"`) {
			t.Fatalf("GET /u/TOKEN: %d\n%s", page.Status, page.Body)
		}
		if res := crossSite("/u/" + tok + "/resubscribe"); res.Status != http.StatusForbidden {
			t.Fatalf("a cross-site POST to the resubscribe button: %d, want 403", res.Status)
		}
		if res := crossSite("/u/" + tok); res.Status != http.StatusOK || !strings.Contains(res.Body, "You are unsubscribed") {
			t.Fatalf("the one-click POST from another origin: %d\n%s", res.Status, res.Body)
		}
		if ok, _ := n.App.People.HasConsent(context.Background(), n.App.DB.Q(), pid, people.ChannelEmail); ok {
			t.Fatal("consent still granted")
		}
		if res := crossSite("/u/" + tok); res.Status != http.StatusOK {
			t.Fatalf("the second one-click POST: %d", res.Status)
		}
		miss := apptest.Get(t, apptest.Client(t), n.URL+"/u/ffffffffffffffffffffffffffffffff")
		if miss.Status != http.StatusNotFound || !strings.Contains(miss.Body, "do not recognise this link") {
			t.Fatalf("unknown token: %d\n%s", miss.Status, miss.Body)
		}
		// The page's own button undoes it, same-origin.
		back := apptest.PostForm(t, apptest.Client(t), n.URL+"/u/"+tok+"/resubscribe", nil)
		if back.Status != http.StatusOK || !strings.Contains(back.Body, "Welcome back") {
			t.Fatalf("resubscribe: %d\n%s", back.Status, back.Body)
		}
	})
}

const (
	hookPostmarkSecret = "postmark-secret-0123456789abcdef"
	hookMailgunKey     = "key-0123456789abcdef0123456789abcdef"
)

// TestMailWebhooks: each provider's webhook refuses requests that fail its
// authentication and changes nothing; an authentic hard bounce suppresses
// the address and marks the recipient row, once; an unconfigured provider
// is 404.
func TestMailWebhooks(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) {
			c.PostmarkSecret, c.MailgunKey = hookPostmarkSecret, hookMailgunKey
		}})
		ctx := context.Background()
		feedbackRecipient(t, n.App, "john@example.com", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
		feedbackRecipient(t, n.App, "alice@example.com", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
		hook := func(provider, body string, prep func(*http.Request)) apptest.Response {
			req, _ := http.NewRequest("POST", n.URL+"/hooks/mail/"+provider, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if prep != nil {
				prep(req)
			}
			return apptest.Do(t, &http.Client{Timeout: 10 * time.Second}, req)
		}
		suppressed := func(addr string) bool {
			ok, err := messaging.IsSuppressed(ctx, n.App.DB.Q(), addr)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		status := func(token string) string {
			var s string
			n.App.DB.QueryRow(ctx, `SELECT status FROM broadcast_recipients WHERE token = ?`, token).Scan(&s)
			return s
		}

		pm := feedbackFile(t, "../messaging/providers/testdata/postmark_bounce.json")
		t.Run("PostmarkRefused", func(t *testing.T) {
			for name, prep := range map[string]func(*http.Request){
				"NoAuth":        nil,
				"WrongPassword": func(r *http.Request) { r.SetBasicAuth("postmark", "guess") },
			} {
				if res := hook("postmark", pm, prep); res.Status != http.StatusUnauthorized {
					t.Fatalf("%s: %d, want 401", name, res.Status)
				}
			}
			if suppressed("john@example.com") {
				t.Fatal("an unauthenticated webhook suppressed the address")
			}
		})
		t.Run("PostmarkBounce", func(t *testing.T) {
			auth := func(r *http.Request) { r.SetBasicAuth("postmark", hookPostmarkSecret) }
			for i := 0; i < 2; i++ { // the same event twice
				if res := hook("postmark", pm, auth); res.Status != http.StatusOK {
					t.Fatalf("%d: %s", res.Status, res.Body)
				}
			}
			if !suppressed("john@example.com") || status("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") != messaging.RecipientBounced {
				t.Fatalf("suppressed %v, row %s", suppressed("john@example.com"), status("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
			}
			var audits int
			n.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'suppression.added'`).Scan(&audits)
			if audits != 1 {
				t.Fatalf("%d suppression audits for one event sent twice", audits)
			}
		})

		mg := feedbackFile(t, "../messaging/providers/testdata/mailgun_complained.json")
		sign := func(key string, at time.Time) string {
			var m map[string]any
			json.Unmarshal([]byte(mg), &m)
			ts, tok := strconv.FormatInt(at.Unix(), 10), "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffee00"
			h := hmac.New(sha256.New, []byte(key))
			h.Write([]byte(ts + tok))
			m["signature"] = map[string]string{"timestamp": ts, "token": tok, "signature": hex.EncodeToString(h.Sum(nil))}
			b, _ := json.Marshal(m)
			return string(b)
		}
		t.Run("MailgunRefused", func(t *testing.T) {
			for name, body := range map[string]string{
				"Published": mg,
				"OtherKey":  sign("key-not-ours", time.Now()),
				"Stale":     sign(hookMailgunKey, time.Now().Add(-10*time.Minute)),
			} {
				if res := hook("mailgun", body, nil); res.Status != http.StatusForbidden {
					t.Fatalf("%s: %d, want 403", name, res.Status)
				}
			}
			if suppressed("alice@example.com") {
				t.Fatal("an unauthenticated webhook suppressed the address")
			}
		})
		t.Run("MailgunComplaint", func(t *testing.T) {
			if res := hook("mailgun", sign(hookMailgunKey, time.Now()), nil); res.Status != http.StatusOK {
				t.Fatalf("%d: %s", res.Status, res.Body)
			}
			if !suppressed("alice@example.com") || status("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb") != messaging.RecipientComplained {
				t.Fatal("complaint not applied")
			}
		})
		t.Run("SESNotConfigured", func(t *testing.T) {
			if res := hook("ses", `{"Type":"Notification"}`, nil); res.Status != http.StatusNotFound {
				t.Fatalf("%d, want 404", res.Status)
			}
		})
	})
}

func feedbackFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBounceLeavesTheNextBroadcast: a hard bounce reported by a provider's
// webhook suppresses the address, and the next broadcast's count (and
// recipients) leave it out; lifting the suppression brings it back.
func TestBounceLeavesTheNextBroadcast(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) {
			c.PostmarkSecret = hookPostmarkSecret
		}})
		a := n.App
		admin := n.CreateUser(t, "admin@example.org", "Admin-Password-1", auth.RoleAdmin)
		ctx := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: admin.ID, Role: auth.RoleAdmin, Verified: true,
			Label: admin.Email})
		group := unsubGroup(t, a, "Leyton Tenants")
		unsubMember(t, a, group, "John", "john@example.com") // the address of Postmark's example
		unsubMember(t, a, group, "Jo", "jo@example.com")
		in := messaging.Input{Channel: messaging.ChannelEmail, Subject: "Hello", Body: "Hello",
			Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: group}}}
		count := func() int {
			t.Helper()
			c, err := a.Messaging.Count(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		if c := count(); c != 2 {
			t.Fatalf("count %d before the bounce, want 2", c)
		}
		req, _ := http.NewRequest("POST", n.URL+"/hooks/mail/postmark",
			strings.NewReader(feedbackFile(t, "../messaging/providers/testdata/postmark_bounce.json")))
		req.SetBasicAuth("postmark", hookPostmarkSecret)
		if res := apptest.Do(t, &http.Client{Timeout: 10 * time.Second}, req); res.Status != http.StatusOK {
			t.Fatalf("webhook: %d %s", res.Status, res.Body)
		}
		if c := count(); c != 1 {
			t.Fatalf("count %d after john@ bounced, want 1", c)
		}
		b, err := a.Messaging.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if b, err = a.Messaging.Send(ctx, b.ID); err != nil || b.Recipients != 1 {
			t.Fatalf("sent to %d, %v; want 1", b.Recipients, err)
		}
		// The admin sees it on the suppressions page and lifts it there.
		c := apptest.Client(t)
		n.Login(t, c, "admin@example.org", "Admin-Password-1")
		if page := apptest.Get(t, c, n.URL+"/admin/suppressions"); page.Status != http.StatusOK ||
			!strings.Contains(page.Body, "john@example.com") || !strings.Contains(page.Body, "Bounced (postmark webhook)") {
			t.Fatalf("suppressions page: %d\n%s", page.Status, page.Body)
		}
		lift := apptest.PostForm(t, c, n.URL+"/admin/suppressions/lift", url.Values{"address": {"john@example.com"}})
		if lift.Status != http.StatusSeeOther {
			t.Fatalf("lift: %d\n%s", lift.Status, lift.Body)
		}
		if c := count(); c != 2 {
			t.Fatalf("count %d after lifting the suppression, want 2", c)
		}
	})
}

// TestSMTPRefusalSuppresses: a recipient the SMTP server refuses for good
// (mailpit answers 5xx to recipients outside its allowed pattern) is
// recorded failed, its address suppressed, and the next broadcast's count
// leaves it out.
func TestSMTPRefusalSuppresses(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		mp := mailtest.StartWith(t, mailtest.Options{AllowedRecipients: `^(ann|cat)@`})
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: mp.SMTPURL})
		a := n.App
		admin := n.CreateUser(t, "admin@example.org", "Admin-Password-1", auth.RoleAdmin)
		ctx := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: admin.ID, Role: auth.RoleAdmin, Verified: true,
			Label: admin.Email})
		group := unsubGroup(t, a, "Bow Tenants")
		for _, name := range []string{"ann", "bob", "cat"} {
			unsubMember(t, a, group, name, name+"@example.org")
		}
		in := messaging.Input{Channel: messaging.ChannelEmail, Subject: "Hello", Body: "Hello",
			Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: group}}}
		b, err := a.Messaging.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Messaging.Send(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			got, _ := a.Messaging.Get(ctx, b.ID)
			if got.Status == messaging.StatusSent {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("broadcast is %s after 30s", got.Status)
			}
		}
		var code int
		a.DB.QueryRow(ctx, `SELECT smtp_code FROM broadcast_recipients WHERE broadcast_id = ? AND address = 'bob@example.org'`, b.ID).Scan(&code)
		ok, err := messaging.IsSuppressed(ctx, a.DB.Q(), "bob@example.org")
		if err != nil || !ok {
			t.Fatalf("bob@ (refused with %d) not suppressed: %v", code, err)
		}
		if c, err := a.Messaging.Count(ctx, in); err != nil || c != 2 {
			t.Fatalf("count %d, %v; want 2", c, err)
		}
	})
}
