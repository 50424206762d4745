package app_test

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestBrowserNotificationPreferences: from their account page a supporter
// opens their notification settings, taps "Daily digest" for event
// reminders and saves, without JavaScript doing anything the form does not.
// At desktop and phone sizes, on both engines.
func TestBrowserNotificationPreferences(t *testing.T) {
	for _, screen := range screens {
		t.Run(screen.name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, dbURL string) {
				tab := browsertest.Start(t, screen.opts)
				n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
				n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
				n.CreateUser(t, supEmail, supPass, auth.RoleSupporter)

				wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
				tab.Fill("#f-email", supEmail)
				tab.Fill("#f-password", supPass)
				wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
				wantStatus(t, "account", tab.Navigate(n.URL+"/account"), http.StatusOK)
				wantStatus(t, "notifications", tab.ClickText("main", "Choose how we tell you of reminders and changes"), http.StatusOK)
				wantPath(t, tab, "/account/notifications")
				wantFits(t, tab)
				// Choosing a radio loads no page: click (or tap) its label
				// straight through chromedp.
				var choose chromedp.Action[chromedp.Void] = chromedp.Click(chromedp.CSS(`label[for="k0-digest"]`))
				if tab.Mobile() {
					choose = chromedp.Tap(chromedp.CSS(`label[for="k0-digest"]`))
				}
				if _, err := chromedp.Run(tab.Context(), choose); err != nil {
					t.Fatalf("choose Daily digest: %v", err)
				}
				wantStatus(t, "save", tab.ClickText("main", "Save my choices"), http.StatusOK)
				wantPath(t, tab, "/account/notifications")
				wantContains(t, tab, "body", "Your notification settings are saved.")
				if v := browsertest.Eval[bool](tab, `document.getElementById("k0-digest").checked`); !v {
					t.Error("after saving, Daily digest is not chosen")
				}
				wantFits(t, tab)
				tab.Screenshot("notifications-" + screen.name + "-" + engineName(dbURL) + ".png")
				wantCleanConsole(t, tab)
			})
		})
	}
}
