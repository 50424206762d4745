package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestMessagingSMSPages walks an organiser through a text message on the
// pages, as plain HTTP (no JavaScript), on both engines, with SMS set up
// against a local Twilio-compatible gateway (the one faked part): the
// compose page offers "Send as", a draft posted with channel=sms has no
// subject field, says plain text and counts its SMS, counts only people
// with SMS consent and a phone number, previews the personalised text as a
// bubble, labels its test as an email, shows "SMS" in the list, and once
// sent (after the question) the gateway got the personalised text for the
// member who agreed to texts and nothing for the one who did not. Without
// SMS settings the page offers no choice and a posted channel=sms is a 422
// naming the field.
func TestMessagingSMSPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		want := func(what string, res apptest.Response, code int, texts ...string) {
			t.Helper()
			if res.Status != code {
				t.Fatalf("%s: status %d, want %d\n%s", what, res.Status, code, res.Body)
			}
			for _, s := range texts {
				if !strings.Contains(res.Body, s) {
					t.Errorf("%s: the page lacks %q\n%s", what, s, res.Body)
				}
			}
		}
		lacks := func(what string, res apptest.Response, texts ...string) {
			t.Helper()
			for _, s := range texts {
				if strings.Contains(res.Body, s) {
					t.Errorf("%s: the page has %q", what, s)
				}
			}
		}
		sys := auth.WithSystem(context.Background())

		t.Run("Configured", func(t *testing.T) {
			g := startSMSGateway(t)
			n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Configure: smsConfig(g.URL)})
			net := setUpMessaging(t, n)
			// Two members with phone numbers: Sunita agreed to texts, Tomas
			// only to email.
			texter := func(given, phone string, sms bool) string {
				p, err := n.App.People.Create(sys, people.Input{GivenName: given, FamilyName: "Test", Phone: phone, Source: "admin", GroupID: net.group.ID})
				if err != nil {
					t.Fatal(err)
				}
				ch := people.ChannelEmail
				if sms {
					ch = people.ChannelSMS
				}
				if err := n.App.People.SetConsent(sys, p.ID, people.Consent{Channel: ch, Status: people.ConsentGranted,
					Source: "test", Wording: "Yes.", ChangedAt: time.Now().Add(-time.Hour)}); err != nil {
					t.Fatal(err)
				}
				return p.ID
			}
			sunita := texter("Sunita", "07700 900201", true)
			texter("Tomas", "07700 900202", false)
			org := apptest.Client(t)
			n.Login(t, org, net.orgEmail, net.orgPass)

			want("compose", apptest.Get(t, org, n.URL+"/messages/new?group="+net.group.ID), http.StatusOK,
				"<legend>Send as</legend>", `name="channel" value="sms"`, "Text message (SMS)", `name="subject"`)

			body := "Hi {{first_name}}, stall at 10 on Saturday by the library. Reply STOP to opt out."
			res := apptest.PostForm(t, org, n.URL+"/messages", url.Values{"group": {net.group.ID}, "target": {"group:" + net.group.ID},
				"channel": {"sms"}, "subject": {"dropped for a text"}, "body": {body}})
			m := messageIDInPath.FindStringSubmatch(res.Header.Get("Location"))
			if res.Status != http.StatusSeeOther || m == nil {
				t.Fatalf("create: %d %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
			}
			id := m[1]
			if b, err := n.App.Messaging.Get(sys, id); err != nil || b.Channel != messaging.ChannelSMS || b.Subject != "" {
				t.Fatalf("stored: %+v %v", b, err)
			}
			page := apptest.Get(t, org, n.URL+"/messages/"+id)
			want("draft", page, http.StatusOK, `name="channel" value="sms" checked`, "Plain text", "1 SMS · 81 characters",
				"1 person</strong> will get this", "without SMS consent or a phone number are left out",
				"agreed to text messages and have a phone number", "Send a test email of this text to me", "chip--sms")
			lacks("draft", page, `name="subject"`, `name="from_name"`, `name="reply_to"`)

			want("preview", apptest.Get(t, org, n.URL+"/messages/"+id+"/preview?as="+sunita), http.StatusOK,
				`class="sms-bubble">Hi Sunita, stall at 10 on Saturday`, "1 SMS · ", "Send a test email of this text to me")
			want("list", apptest.Get(t, org, n.URL+"/messages"), http.StatusOK, "Text message: Hi {{first_name}}, stall", `<span class="chip chip--sms">SMS</span>`)

			// A change of wording keeps the channel.
			want("save", apptest.PostForm(t, org, n.URL+"/messages/"+id, url.Values{"channel": {"sms"}, "body": {body}}), http.StatusSeeOther)
			want("send", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/send", nil), http.StatusOK, "Send to 1 person now?", "Text message (SMS)")
			if len(g.Sent()) != 0 {
				t.Fatal("texts went before the question was answered")
			}
			want("send, confirmed", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/send", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
			deadline := time.Now().Add(20 * time.Second)
			for {
				b, err := n.App.Messaging.Get(sys, id)
				if err != nil {
					t.Fatal(err)
				}
				if b.Status == messaging.StatusSent {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("broadcast %s after 20s", b.Status)
				}
				time.Sleep(50 * time.Millisecond)
			}
			g.mu.Lock()
			sent := append([]url.Values(nil), g.sent...)
			g.mu.Unlock()
			if len(sent) != 1 || sent[0].Get("To") != "+447700900201" ||
				sent[0].Get("Body") != "Hi Sunita, stall at 10 on Saturday by the library. Reply STOP to opt out." {
				t.Errorf("the gateway got %v, want only Sunita's personalised text", sent)
			}
			want("progress", apptest.Get(t, org, n.URL+"/messages/"+id), http.StatusOK, "<h1>Text message: Hi {{first_name}}", "chip--sms")
		})

		t.Run("NotConfigured", func(t *testing.T) {
			own := dbURL
			if own != "" {
				own = dbtest.PostgresURL(t) // a database of its own: the people above are in the other
			}
			n := apptest.Start(t, apptest.Options{DatabaseURL: own})
			net := setUpMessaging(t, n)
			org := apptest.Client(t)
			n.Login(t, org, net.orgEmail, net.orgPass)
			page := apptest.Get(t, org, n.URL+"/messages/new?group="+net.group.ID)
			want("compose", page, http.StatusOK, `name="subject"`)
			lacks("compose", page, `name="channel"`, "Send as", "Text message (SMS)")
			res := apptest.PostForm(t, org, n.URL+"/messages", url.Values{"group": {net.group.ID}, "target": {"group:" + net.group.ID},
				"channel": {"sms"}, "body": {"Hi"}})
			want("sms refused", res, http.StatusUnprocessableEntity, `href="#f-channel"`, `id="f-channel-error"`)
		})
	})
}
