package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
)

// TestBrowserWebhooks (issue 14): on a 390 px phone an admin adds an
// endpoint at the development receiver with the form, copies the secret
// shown once, and finds the delivery of a new person on the endpoint's
// page; the pages fit the screen.
func TestBrowserWebhooks(t *testing.T) {
	n := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.DevWebhookReceiver = true }})
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	tab := browsertest.Start(t, browsertest.Options{Width: 390, Height: 844, Mobile: true})
	fits := func(what string) {
		t.Helper()
		if w := browsertest.Eval[int](tab, "document.documentElement.scrollWidth"); w > 390 {
			t.Errorf("%s is %d px wide on a 390 px phone", what, w)
		}
	}
	if st := tab.Navigate(n.URL + "/login"); st != http.StatusOK {
		t.Fatalf("login page: %d", st)
	}
	tab.Fill("#f-email", adminEmail)
	tab.Fill("#f-password", adminPass)
	tab.ClickText("main", "Log in")
	if st := tab.Navigate(n.URL + "/admin/webhooks"); st != http.StatusOK {
		t.Fatalf("webhooks page: %d", st)
	}
	fits("the webhooks page")
	tab.Fill("#f-url", n.App.WebhookReceiver.URL())
	browsertest.Eval[bool](tab, `document.querySelector("#f-kinds-0").checked = true`) // New people
	tab.Fill("#f-description", "Phone test")
	if st := tab.ClickText("main", "Add the endpoint"); st != http.StatusOK {
		t.Fatalf("add: %d\n%s", st, tab.Text("main"))
	}
	if txt := tab.Text("[role=alert]"); !strings.Contains(txt, "will not be shown again") || !strings.Contains(txt, "whsec_") {
		t.Fatalf("no secret shown: %q", txt)
	}
	tab.Screenshot("webhooks-created.png")
	fits("the page with the secret")

	if _, err := n.App.People.Create(auth.WithSystem(context.Background()), people.Input{GivenName: "Pat", FamilyName: "Phone",
		Email: "pat@example.org", Source: "admin"}); err != nil {
		t.Fatal(err)
	}
	eps, err := n.App.Webhooks.List(auth.WithSystem(context.Background()))
	if err != nil || len(eps) != 1 {
		t.Fatalf("endpoints %v %v", eps, err)
	}
	webhookWait(t, 20*time.Second, "the delivery", func() bool {
		ep, err := n.App.Webhooks.Get(auth.WithSystem(context.Background()), eps[0].ID)
		return err == nil && ep.LastStatus == "delivered"
	})
	if st := tab.ClickText("main", n.App.WebhookReceiver.URL()); st != http.StatusOK {
		t.Fatalf("endpoint page: %d", st)
	}
	if txt := tab.Text("main"); !strings.Contains(txt, "delivered") || !strings.Contains(txt, "person.created") {
		t.Fatalf("endpoint page:\n%s", txt)
	}
	tab.Screenshot("webhooks-endpoint.png")
	fits("the endpoint's page")
}
