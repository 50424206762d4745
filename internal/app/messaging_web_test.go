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
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestMessagingApprovalAndControls walks the pages around sending, as
// plain HTTP (no JavaScript), on both engines: an admin asks for approval
// of group messages; the organiser's "Send now" then asks an admin, who
// sees it waiting at the top of their list and on their dashboard, sends it back with a reason,
// and approves it the second time; a scheduled message is paused, resumed
// and cancelled (after a page that asks), and its page streams progress.
func TestMessagingApprovalAndControls(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		net := setUpMessaging(t, n)
		org, admin := apptest.Client(t), apptest.Client(t)
		n.Login(t, org, net.orgEmail, net.orgPass)
		n.Login(t, admin, adminEmail, adminPass)
		sys := auth.WithSystem(context.Background())
		status := func(id string) string {
			t.Helper()
			b, err := n.App.Messaging.Get(sys, id)
			if err != nil {
				t.Fatal(err)
			}
			return b.Status
		}
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
		draft := func(subject string) string {
			t.Helper()
			res := apptest.PostForm(t, org, n.URL+"/messages", url.Values{"group": {net.group.ID}, "target": {"group:" + net.group.ID},
				"subject": {subject}, "body": {"Hello {{first_name}}"}})
			m := messageIDInPath.FindStringSubmatch(res.Header.Get("Location"))
			if res.Status != http.StatusSeeOther || m == nil {
				t.Fatalf("create: %d %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
			}
			return m[1]
		}

		// The settings are the admins'.
		want("settings as organiser", apptest.Get(t, org, n.URL+"/admin/messaging"), http.StatusForbidden)
		want("settings", apptest.Get(t, admin, n.URL+"/admin/messaging"), http.StatusOK, "An admin approves group messages", "Count opens and clicks")
		want("save settings", apptest.PostForm(t, admin, n.URL+"/admin/messaging", url.Values{"approve_groups": {"true"}}), http.StatusSeeOther)
		if st, _ := n.App.Messaging.Settings(sys); !st.ApproveGroups || st.Track {
			t.Fatalf("settings after saving: %+v", st)
		}

		// Send now asks an admin, and says so before and after.
		id := draft("Approve me")
		want("send", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/send", nil), http.StatusOK, "Ask an admin to send this to 3 people?")
		want("send, confirmed", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/send", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
		if s := status(id); s != messaging.StatusApproval {
			t.Fatalf("after sending, the message is %s, want approval", s)
		}
		want("organiser's page", apptest.Get(t, org, n.URL+"/messages/"+id), http.StatusOK, "Waiting for an admin's approval")
		want("admin's list", apptest.Get(t, admin, n.URL+"/messages"), http.StatusOK, "Waiting for you", "Approve me", "Check and approve")
		want("admin's dashboard", apptest.Get(t, admin, n.URL+"/dashboard"), http.StatusOK, "Approve me", "waiting for your approval")
		want("admin's page", apptest.Get(t, admin, n.URL+"/messages/"+id), http.StatusOK, "Approve and send", "Send back")
		want("approve as organiser", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/approve", nil), http.StatusForbidden)

		// Sent back, then approved.
		want("send back", apptest.PostForm(t, admin, n.URL+"/messages/"+id+"/reject", url.Values{"reason": {"Say where we meet."}}), http.StatusSeeOther)
		if s := status(id); s != messaging.StatusDraft {
			t.Fatalf("sent back, the message is %s, want draft", s)
		}
		apptest.PostForm(t, org, n.URL+"/messages/"+id+"/send", url.Values{"confirm": {"yes"}})
		want("approve", apptest.PostForm(t, admin, n.URL+"/messages/"+id+"/approve", nil), http.StatusSeeOther)
		if s := status(id); s != messaging.StatusSending && s != messaging.StatusSent {
			t.Fatalf("approved, the message is %s, want sending", s)
		}

		// A scheduled message: pause, resume, cancel after a question.
		want("approval off", apptest.PostForm(t, admin, n.URL+"/admin/messaging", nil), http.StatusSeeOther)
		id = draft("Later")
		want("organiser's dashboard", apptest.Get(t, org, n.URL+"/dashboard"), http.StatusOK, "Later", "your draft", `href="/messages"`)
		at := time.Now().In(n.App.Zone).Add(24 * time.Hour).Format("2006-01-02T15:04")
		want("schedule", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/schedule", url.Values{"send_at": {at}}), http.StatusOK, "Send to 3 people on ")
		want("schedule in year 0", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/schedule", url.Values{"send_at": {"0000-01-01T10:00"}}),
			http.StatusUnprocessableEntity, `id="f-send_at-error"`, `href="#f-send_at"`)
		want("schedule, confirmed", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/schedule", url.Values{"send_at": {at}, "confirm": {"yes"}}), http.StatusSeeOther)
		want("scheduled page", apptest.Get(t, org, n.URL+"/messages/"+id), http.StatusOK, "It goes on ", "Change the time", "Cancel it")
		want("pause", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/pause", nil), http.StatusSeeOther)
		want("paused page", apptest.Get(t, org, n.URL+"/messages/"+id), http.StatusOK, "Paused", "Resume")
		want("resume", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/resume", nil), http.StatusSeeOther)
		if s := status(id); s != messaging.StatusScheduled {
			t.Fatalf("resumed, the message is %s, want scheduled", s)
		}
		want("cancel", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/cancel", nil), http.StatusOK, "Cancel this message?", "Yes, cancel it")
		if s := status(id); s != messaging.StatusScheduled {
			t.Fatalf("asked only, the message is %s", s)
		}
		want("cancel, confirmed", apptest.PostForm(t, org, n.URL+"/messages/"+id+"/cancel", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
		want("cancelled page", apptest.Get(t, org, n.URL+"/messages/"+id), http.StatusOK, "Cancelled")

		// The progress stream answers as Server-Sent Events.
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", n.URL+"/messages/"+id+"/stream", nil)
		if res, err := org.Do(req); err != nil || res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("stream: %v %v", res, err)
		} else {
			res.Body.Close()
		}
	})
}
