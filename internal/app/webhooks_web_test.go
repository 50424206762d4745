package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// TestWebhookPagesAndReceiver (issue 14): an admin registers an endpoint
// at the development receiver through the pages, sees its secret once,
// and the receiver gets signed deliveries it verifies; the endpoint's page
// shows each delivery with its attempts; every change is audited; and
// only admins see the pages or the receiver's list.
func TestWebhookPagesAndReceiver(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) { c.DevWebhookReceiver = true }})
		a := n.App
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		n.CreateUser(t, "sup@example.org", "Password-For-sup", auth.RoleSupporter)
		admin, sup, anon := apptest.Client(t), apptest.Client(t), apptest.Client(t)
		n.Login(t, admin, adminEmail, adminPass)
		n.Login(t, sup, "sup@example.org", "Password-For-sup")
		sys := auth.WithSystem(context.Background())

		if res := apptest.Get(t, admin, n.URL+"/admin/webhooks"); res.Status != 200 || !strings.Contains(res.Body, "Add an endpoint") {
			t.Fatalf("list: %d\n%s", res.Status, res.Body)
		}
		bad := apptest.PostForm(t, admin, n.URL+"/admin/webhooks", url.Values{"url": {"http://hooks.example.org/x"}})
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "https://") || !strings.Contains(bad.Body, "at least one kind") {
			t.Fatalf("a plain http address and no kinds: %d\n%s", bad.Status, bad.Body)
		}
		recv := n.URL + "/dev/webhook-receiver"
		res := apptest.PostForm(t, admin, n.URL+"/admin/webhooks", url.Values{"url": {recv},
			"kinds": {"person.created", "person.unsubscribed"}, "enabled": {"true"}, "description": {"Dev receiver"}})
		secret := regexp.MustCompile(`whsec_[0-9a-f]{64}`).FindString(res.Body)
		if res.Status != 200 || secret == "" || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("create: %d %q\n%s", res.Status, res.Header.Get("Cache-Control"), res.Body)
		}
		id := regexp.MustCompile(`/admin/webhooks/([0-9a-f-]{36})`).FindStringSubmatch(res.Body)[1]
		if list := apptest.Get(t, admin, n.URL+"/admin/webhooks"); strings.Contains(list.Body, secret) || !strings.Contains(list.Body, "Dev receiver") {
			t.Fatalf("the list shows the secret again, or not the endpoint:\n%s", list.Body)
		}

		p, err := a.People.Create(sys, people.Input{GivenName: "Rita", FamilyName: "Receiver", Email: "rita@example.org", Source: "admin"})
		if err != nil {
			t.Fatal(err)
		}
		webhookWait(t, 20*time.Second, "the receiver's delivery", func() bool {
			for _, g := range a.WebhookReceiver.Last() {
				if g.Verified && g.Event == "person.created" && strings.Contains(g.Body, p.ID) {
					return true
				}
			}
			return false
		})

		// The receiver takes it before the node hears its answer.
		webhookWait(t, 10*time.Second, "the delivery marked delivered", func() bool {
			ep, err := a.Webhooks.Get(sys, id)
			return err == nil && ep.LastStatus == "delivered"
		})

		t.Run("ReceiverRefusesBadSignature", func(t *testing.T) {
			req, _ := http.NewRequest("POST", recv, strings.NewReader(`[{"osdi:person":{}}]`))
			req.Header.Set("X-Momentum-Timestamp", "1700000000")
			req.Header.Set("X-Momentum-Signature", "sha256=00")
			if res := apptest.Do(t, anon, req); res.Status != http.StatusUnauthorized {
				t.Fatalf("a forged delivery: %d", res.Status)
			}
		})
		t.Run("ReceiverListForAdminsOnly", func(t *testing.T) {
			if res := apptest.Get(t, admin, recv); res.Status != 200 || !strings.Contains(res.Body, "signature verified") ||
				!strings.Contains(res.Body, "refused") {
				t.Fatalf("admin: %d\n%s", res.Status, res.Body)
			}
			if res := apptest.Get(t, sup, recv); res.Status != http.StatusForbidden {
				t.Errorf("supporter: %d", res.Status)
			}
			if res := apptest.Get(t, anon, recv); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("anonymous: %d %s", res.Status, res.Header.Get("Location"))
			}
		})
		t.Run("EndpointPage", func(t *testing.T) {
			res := apptest.Get(t, admin, n.URL+"/admin/webhooks/"+id)
			if res.Status != 200 || !strings.Contains(res.Body, "delivered") || !strings.Contains(res.Body, "person.created") ||
				strings.Contains(res.Body, secret) {
				t.Fatalf("endpoint page: %d\n%s", res.Status, res.Body)
			}
			if res := apptest.Get(t, sup, n.URL+"/admin/webhooks/"+id); res.Status != http.StatusForbidden {
				t.Errorf("supporter reads the endpoint: %d", res.Status)
			}
		})
		t.Run("TestRotateUpdateDelete", func(t *testing.T) {
			if res := apptest.PostForm(t, admin, n.URL+"/admin/webhooks/"+id+"/test", nil); res.Status != http.StatusSeeOther {
				t.Fatalf("test: %d", res.Status)
			}
			webhookWait(t, 20*time.Second, "the ping", func() bool {
				for _, g := range a.WebhookReceiver.Last() {
					if g.Verified && g.Event == "ping" {
						return true
					}
				}
				return false
			})
			rot := apptest.PostForm(t, admin, n.URL+"/admin/webhooks/"+id+"/rotate", nil)
			newSecret := regexp.MustCompile(`whsec_[0-9a-f]{64}`).FindString(rot.Body)
			if rot.Status != 200 || newSecret == "" || newSecret == secret {
				t.Fatalf("rotate: %d\n%s", rot.Status, rot.Body)
			}
			upd := apptest.PostForm(t, admin, n.URL+"/admin/webhooks/"+id, url.Values{"url": {recv}, "kinds": {"decision.closed"}})
			if upd.Status != http.StatusSeeOther {
				t.Fatalf("update: %d\n%s", upd.Status, upd.Body)
			}
			ep, err := a.Webhooks.Get(sys, id)
			if err != nil || ep.Enabled || len(ep.Kinds) != 1 || ep.Kinds[0] != "decision.closed" {
				t.Fatalf("after the update: %+v %v", ep, err)
			}
			if res := apptest.PostForm(t, admin, n.URL+"/admin/webhooks/"+id+"/delete", nil); res.Status != http.StatusSeeOther {
				t.Fatalf("delete: %d", res.Status)
			}
			entries, err := audit.List(sys, a.DB.Q(), audit.Filter{TargetType: "webhook", TargetID: id})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action)
			}
			for _, want := range []string{"webhook.created", "webhook.tested", "webhook.secret_rotated", "webhook.updated", "webhook.deleted"} {
				if !strings.Contains(strings.Join(actions, " "), want) {
					t.Errorf("audit has %v, no %s", actions, want)
				}
			}
		})
	})
}

func webhookWait(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(within); !cond(); time.Sleep(25 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("waited %s for %s", within, what)
		}
	}
}

// TestDemoWebhook (issue 14): the demo registers a network endpoint for
// every kind at the development receiver, and once the node runs the
// receiver gets the demo's events, signed and verified.
func TestDemoWebhook(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Before: apptest.LoadDemo(demo.Generate(1, 200)),
			Configure: func(c *config.Config) { c.DevWebhookReceiver = true }})
		a := n.App
		eps, err := a.Webhooks.List(auth.WithSystem(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		if len(eps) != 1 || eps[0].URL != a.WebhookReceiver.URL() || !eps[0].Enabled || eps[0].GroupID != "" || len(eps[0].Kinds) != len(outbox.Kinds) {
			t.Fatalf("demo endpoints %+v", eps)
		}
		webhookWait(t, 30*time.Second, "a verified delivery of the demo", func() bool {
			for _, g := range a.WebhookReceiver.Last() {
				if !g.Verified {
					t.Fatalf("the receiver refused a delivery: %s", g.Problem)
				}
				return true
			}
			return false
		})
	})
}
