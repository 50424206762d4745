package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestNotificationPreferencesPage: a signed-in supporter finds the page
// from their account, sees each kind with Instant / Daily digest / Off
// (Instant chosen), saves a digest and an off, and sees them chosen; a
// mode that does not exist is refused with the form kept. On both engines.
func TestNotificationPreferencesPage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin) // the first account is made admin
		u := n.CreateUser(t, supEmail, supPass, auth.RoleSupporter)
		c := apptest.Client(t)
		n.Login(t, c, supEmail, supPass)

		if acc := apptest.Get(t, c, n.URL+"/account"); !strings.Contains(acc.Body, `href="/account/notifications"`) {
			t.Fatalf("the account page does not link to the notifications page:\n%s", acc.Body)
		}
		page := apptest.Get(t, c, n.URL+"/account/notifications")
		if page.Status != 200 {
			t.Fatalf("GET: %d\n%s", page.Status, page.Body)
		}
		for _, want := range []string{"<legend>Reminders before events you&#39;re going to</legend>",
			`name="events.reminder" value="instant" checked`, `name="events.reminder" value="digest"`,
			`<label for="k0-digest">Daily digest</label>`, "<legend>Reminders to vote before a ballot closes</legend>",
			"Confirmation that you&#39;re coming to an event"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(page.Body, `name="events.confirmed"`) {
			t.Error("a service kind can be switched on the page")
		}

		res := apptest.PostForm(t, c, n.URL+"/account/notifications",
			url.Values{"events.reminder": {"digest"}, "decisions.reminder": {"off"}, "events.changed": {"instant"}})
		if res.Status != 303 {
			t.Fatalf("POST: %d\n%s", res.Status, res.Body)
		}
		page = apptest.Get(t, c, n.URL+"/account/notifications")
		for _, want := range []string{"Your notification settings are saved.", `name="events.reminder" value="digest" checked`,
			`name="decisions.reminder" value="off" checked`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("after saving, page lacks %q", want)
			}
		}
		var modes []string
		rows, err := n.App.DB.Query(context.Background(), `SELECT np.kind || '=' || np.mode FROM notification_prefs np
			JOIN people p ON p.id = np.person_id WHERE p.user_id = ? ORDER BY np.kind`, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var m string
			if err := rows.Scan(&m); err != nil {
				t.Fatal(err)
			}
			modes = append(modes, m)
		}
		rows.Close()
		if got := strings.Join(modes, " "); got != "decisions.reminder=off events.changed=instant events.reminder=digest" {
			t.Errorf("stored %q", got)
		}

		bad := apptest.PostForm(t, c, n.URL+"/account/notifications", url.Values{"events.reminder": {"sometimes"}})
		if bad.Status != 422 || !strings.Contains(bad.Body, "Choose instant, daily digest or off.") ||
			!strings.Contains(bad.Body, `name="events.reminder" value="digest"`) {
			t.Errorf("a bad mode: %d\n%s", bad.Status, bad.Body)
		}
	})
}
