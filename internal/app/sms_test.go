package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/messaging/sms"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

const smsToken = "test-auth-token-0123456789"

// smsGateway is a local Twilio-compatible provider: the one part of the
// SMS tests that is not the real thing. It records every message asked of
// it (To, Body) and answers as Twilio does.
type smsGateway struct {
	*httptest.Server
	mu   sync.Mutex
	sent []url.Values
}

func startSMSGateway(t *testing.T) *smsGateway {
	g := &smsGateway{}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pass, _ := r.BasicAuth(); user != "AC123" || pass != smsToken ||
			r.URL.Path != "/2010-04-01/Accounts/AC123/Messages.json" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code": 20003, "message": "Authenticate", "status": 401}`)
			return
		}
		r.ParseForm()
		g.mu.Lock()
		g.sent = append(g.sent, r.PostForm)
		n := len(g.sent)
		g.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"sid": "SM`+strings.Repeat("0", 31)+string(rune('0'+n%10))+`", "status": "queued"}`)
	}))
	t.Cleanup(g.Close)
	return g
}

// Sent returns the numbers messages went to.
func (g *smsGateway) Sent() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var to []string
	for _, f := range g.sent {
		to = append(to, f.Get("To"))
	}
	return to
}

func smsConfig(gatewayURL string) func(*config.Config) {
	return func(c *config.Config) {
		c.SMSProviderURL = gatewayURL
		c.SMSAccountSID = "AC123"
		c.SMSAuthToken = smsToken
		c.SMSFrom = "+447700900999"
	}
}

// postInbound posts a reply to the webhook as the provider would, signed
// with token over signedURL (the site's public URL when the provider is
// genuine); extra headers are set on the request.
func postInbound(t *testing.T, c *http.Client, n *apptest.Node, token, signedURL string, form url.Values, extra map[string]string) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", n.URL+"/hooks/sms/inbound", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set(sms.SignatureHeader, sms.Signature(token, signedURL, form))
	}
	for k, v := range extra {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	return apptest.Do(t, c, req)
}

func inboundForm(from, body string) url.Values {
	return url.Values{"MessageSid": {"SM" + strings.Repeat("a", 32)}, "AccountSid": {"AC123"},
		"From": {from}, "To": {"+447700900999"}, "Body": {body}, "NumMedia": {"0"}}
}

// TestSMSInboundStopStart: replies through the real webhook, signed as the
// provider signs them. A forged or unsigned request is refused with 403 and
// changes nothing; STOP withdraws the 'sms' consent of everyone with the
// number (two people share it), with the reply in their consent history,
// suppresses the number and answers in TwiML, and the next SMS broadcast
// skips them; HELP answers; START grants
// the consent again and lifts the suppression; a STOP from an unknown
// number still suppresses it. On both engines.
func TestSMSInboundStopStart(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		g := startSMSGateway(t)
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Configure: smsConfig(g.URL)})
		a := n.App
		sys := auth.WithSystem(context.Background())
		ctx := context.Background()
		hook := a.Config.PublicURL() + "/hooks/sms/inbound"
		var ids []string
		for _, name := range []string{"Ada", "Bea"} {
			p, err := a.People.Create(sys, people.Input{GivenName: name, FamilyName: "Lovelace", Phone: "07700 900123"})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.People.SetConsent(sys, p.ID, people.Consent{Channel: "sms", Status: people.ConsentGranted,
				Source: "signup form", Wording: "Text me about campaigns."}); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		consented := func() []bool {
			var out []bool
			for _, id := range ids {
				ok, err := a.People.HasConsent(ctx, a.DB.Q(), id, "sms")
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, ok)
			}
			return out
		}
		count := func(q string, args ...any) int {
			var c int
			if err := a.DB.QueryRow(ctx, q, args...).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		c := apptest.Client(t)

		t.Run("ForgedSignature403", func(t *testing.T) {
			for name, res := range map[string]apptest.Response{
				"wrong token": postInbound(t, c, n, "not-the-token", hook, inboundForm("+447700900123", "STOP"), nil),
				"unsigned":    postInbound(t, c, n, "", hook, inboundForm("+447700900123", "STOP"), nil),
				// Signed over the URL the Host header names, not the site's.
				"host header": postInbound(t, c, n, smsToken, "http://evil.example/hooks/sms/inbound",
					inboundForm("+447700900123", "STOP"), map[string]string{"Host": "evil.example"}),
			} {
				if res.Status != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403", name, res.Status)
				}
			}
			if got := consented(); !got[0] || !got[1] {
				t.Errorf("consent after forged STOPs %v, want unchanged", got)
			}
			if n := count(`SELECT COUNT(*) FROM sms_inbound`) + count(`SELECT COUNT(*) FROM suppressions`); n != 0 {
				t.Errorf("%d rows written by forged requests", n)
			}
		})

		t.Run("Stop", func(t *testing.T) {
			// Whatever Host the request names, the signature is over the
			// site's public URL.
			res := postInbound(t, c, n, smsToken, hook, inboundForm("+447700900123", "  Stop "), map[string]string{"Host": "proxy.internal"})
			if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/xml") {
				t.Fatalf("status %d %s\n%s", res.Status, res.Header.Get("Content-Type"), res.Body)
			}
			if !strings.Contains(res.Body, "<Response><Message>You will get no more texts from Momentum. Reply START to get them again.</Message></Response>") {
				t.Errorf("TwiML %s", res.Body)
			}
			if got := consented(); got[0] || got[1] {
				t.Errorf("consent after STOP %v, want withdrawn for both", got)
			}
			hist, err := a.People.ConsentHistory(sys, ids[1])
			if err != nil {
				t.Fatal(err)
			}
			last := hist[len(hist)-1]
			if last.Channel != "sms" || last.Status != people.ConsentWithdrawn || last.Source != "SMS reply STOP from +447700900123" {
				t.Errorf("last consent change %+v", last)
			}
			if count(`SELECT COUNT(*) FROM suppressions WHERE address = '+447700900123' AND reason = 'stop'`) != 1 {
				t.Error("the number is not suppressed")
			}
			if count(`SELECT COUNT(*) FROM sms_inbound WHERE from_number = '+447700900123' AND action = 'stop' AND people = 2 AND person_id IS NOT NULL`) != 1 {
				t.Error("the STOP is not recorded")
			}
		})

		t.Run("BroadcastSkipsStopped", func(t *testing.T) {
			// An SMS broadcast to everyone tagged, after the STOP: only Cy,
			// who did not text STOP, gets it, through the provider's API.
			cy, err := a.People.Create(sys, people.Input{GivenName: "Cy", FamilyName: "Young", Phone: "+447700900124"})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.People.SetConsent(sys, cy.ID, people.Consent{Channel: "sms", Status: people.ConsentGranted,
				Source: "signup form", Wording: "Text me about campaigns."}); err != nil {
				t.Fatal(err)
			}
			for _, id := range append([]string{cy.ID}, ids...) {
				if err := a.People.Tag(sys, id, "texters"); err != nil {
					t.Fatal(err)
				}
			}
			b, err := a.Messaging.Create(sys, messaging.Input{Channel: messaging.ChannelSMS, Body: "Hi {{first_name}}, rally at 6",
				Targets: []messaging.Target{{Kind: messaging.TargetTag, Name: "texters"}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Messaging.Send(sys, b.ID); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(20 * time.Second)
			for {
				got, err := a.Messaging.Get(sys, b.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status == messaging.StatusSent {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("broadcast %s after 20s", got.Status)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if sent := g.Sent(); len(sent) != 1 || sent[0] != "+447700900124" {
				t.Errorf("texts went to %v, want only Cy's +447700900124", sent)
			}
		})

		t.Run("Help", func(t *testing.T) {
			res := postInbound(t, c, n, smsToken, hook, inboundForm("+447700900123", "help"), nil)
			if res.Status != http.StatusOK || !strings.Contains(res.Body, "<Message>Momentum: campaign texts. Reply STOP to stop them, START to get them again.</Message>") {
				t.Errorf("status %d\n%s", res.Status, res.Body)
			}
			if got := consented(); got[0] || got[1] {
				t.Errorf("HELP changed consent: %v", got)
			}
		})

		t.Run("Start", func(t *testing.T) {
			res := postInbound(t, c, n, smsToken, hook, inboundForm("+447700900123", "START"), nil)
			if res.Status != http.StatusOK || !strings.Contains(res.Body, "<Message>You will get texts from Momentum again.") {
				t.Fatalf("status %d\n%s", res.Status, res.Body)
			}
			if got := consented(); !got[0] || !got[1] {
				t.Errorf("consent after START %v, want granted for both", got)
			}
			hist, err := a.People.ConsentHistory(sys, ids[0])
			if err != nil {
				t.Fatal(err)
			}
			if last := hist[len(hist)-1]; last.Status != people.ConsentGranted || last.Source != "SMS reply START from +447700900123" {
				t.Errorf("last consent change %+v", last)
			}
			if count(`SELECT COUNT(*) FROM suppressions WHERE address = '+447700900123'`) != 0 {
				t.Error("START left the number suppressed")
			}
		})

		t.Run("UnknownNumberStop", func(t *testing.T) {
			res := postInbound(t, c, n, smsToken, hook, inboundForm("+447700900555", "STOP"), nil)
			if res.Status != http.StatusOK {
				t.Fatalf("status %d\n%s", res.Status, res.Body)
			}
			if count(`SELECT COUNT(*) FROM suppressions WHERE address = '+447700900555' AND reason = 'stop'`) != 1 {
				t.Error("an unknown number's STOP did not suppress it")
			}
			if count(`SELECT COUNT(*) FROM sms_inbound WHERE from_number = '+447700900555' AND person_id IS NULL AND people = 0`) != 1 {
				t.Error("the unknown number's STOP is not recorded")
			}
		})

		t.Run("OddInput", func(t *testing.T) {
			// Signed, but odd: no sender is refused (400, not 5xx); a long
			// body is stored cut; a sender that is not a number is kept cut.
			if res := postInbound(t, c, n, smsToken, hook, inboundForm("", "STOP"), nil); res.Status != http.StatusBadRequest {
				t.Errorf("no From: status %d, want 400", res.Status)
			}
			long := strings.Repeat("ж", 5000)
			if res := postInbound(t, c, n, smsToken, hook, inboundForm(strings.Repeat("x", 500), long), nil); res.Status != http.StatusOK {
				t.Errorf("long input: status %d\n%s", res.Status, res.Body)
			}
			var from, body string
			if err := a.DB.QueryRow(ctx, `SELECT from_number, body FROM sms_inbound WHERE action = 'none' ORDER BY received_at DESC LIMIT 1`).Scan(&from, &body); err != nil {
				t.Fatal(err)
			}
			if len([]rune(body)) != 320 || len(from) != 32 {
				t.Errorf("stored %d-rune body and %d-byte sender, want 320 and 32", len([]rune(body)), len(from))
			}
		})

		t.Run("ExemptFromBrowserChecks", func(t *testing.T) {
			// A signed-in browser's cookie and a cross-site Origin do not
			// matter here: the signature does. The same headers elsewhere
			// are refused.
			n.CreateUser(t, "admin@example.org", "correct horse battery", auth.RoleAdmin)
			b := apptest.Client(t)
			n.Login(t, b, "admin@example.org", "correct horse battery")
			cross := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
			if res := postInbound(t, b, n, smsToken, hook, inboundForm("+447700900777", "hello"), cross); res.Status != http.StatusOK {
				t.Errorf("signed webhook with a cookie, cross-site: status %d, want 200", res.Status)
			}
			req, _ := http.NewRequest("POST", n.URL+"/account/email", strings.NewReader("new_email=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range cross {
				req.Header.Set(k, v)
			}
			if res := apptest.Do(t, b, req); res.Status != http.StatusForbidden {
				t.Errorf("cross-site POST elsewhere: status %d, want 403", res.Status)
			}
		})
		// Replies go back as TwiML, not through the REST API: the provider
		// saw only the broadcast's one text.
		if sent := g.Sent(); len(sent) != 1 {
			t.Errorf("texts through the REST API %v, want the broadcast's one", sent)
		}
	})
}
