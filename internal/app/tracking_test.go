package app_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestTrackedBroadcast: with tracking on, a broadcast's mail (through the
// real SMTP server) carries signed click links and the open pixel; opening
// and clicking are counted once, in Stats; the click redirect leads to the
// link as written. An untracked broadcast's mail has neither.
func TestTrackedBroadcast(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		mp := mailtest.Start(t)
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: mp.SMTPURL})
		a := n.App
		admin := n.CreateUser(t, "admin@example.org", "Admin-Password-1", auth.RoleAdmin)
		ctx := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: admin.ID, Role: auth.RoleAdmin, Verified: true, Label: admin.Email})
		group := unsubGroup(t, a, "Walthamstow Renters")
		unsubMember(t, a, group, "Tam", "tam@example.org")
		send := func(subject string) *messaging.Broadcast {
			t.Helper()
			b, err := a.Messaging.Create(ctx, messaging.Input{Channel: messaging.ChannelEmail, Subject: subject,
				Body: "Sign [the petition](https://example.org/petition?src=mail&x=1).", Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: group}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Messaging.Send(ctx, b.ID); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				got, _ := a.Messaging.Get(ctx, b.ID)
				if got.Status == messaging.StatusSent {
					return got
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s not sent", subject)
				}
			}
		}
		plain := send("Untracked")
		if err := a.Messaging.SaveSettings(ctx, messaging.Settings{Track: true}); err != nil {
			t.Fatal(err)
		}
		tracked := send("Tracked")
		var trackedHTML, plainHTML string
		for _, m := range mp.Messages(t) {
			switch m.Subject {
			case "Tracked":
				trackedHTML = m.HTML
			case "Untracked":
				plainHTML = m.HTML
			}
		}
		if strings.Contains(plainHTML, "/t/c/") || strings.Contains(plainHTML, "/t/o/") {
			t.Fatalf("untracked mail is tracked:\n%s", plainHTML)
		}
		click := regexp.MustCompile(`href="(` + regexp.QuoteMeta(n.URL) + `/t/c/[^"]+)"`).FindStringSubmatch(trackedHTML)
		pixel := regexp.MustCompile(`src="(` + regexp.QuoteMeta(n.URL) + `/t/o/[^"]+\.gif)"`).FindStringSubmatch(trackedHTML)
		if click == nil || pixel == nil || !strings.Contains(trackedHTML, n.URL+"/u/") {
			t.Fatalf("tracked mail lacks the click link, the pixel or the plain unsubscribe link:\n%s", trackedHTML)
		}
		c := apptest.Client(t)
		for range 2 {
			if res := apptest.Get(t, c, strings.ReplaceAll(pixel[1], "&amp;", "&")); res.Status != http.StatusOK || res.Header.Get("Content-Type") != "image/gif" {
				t.Fatalf("pixel: %d %s", res.Status, res.Header.Get("Content-Type"))
			}
			res := apptest.Get(t, c, strings.ReplaceAll(click[1], "&amp;", "&"))
			if res.Status != http.StatusFound || res.Header.Get("Location") != "https://example.org/petition?src=mail&x=1" {
				t.Fatalf("click: %d → %q", res.Status, res.Header.Get("Location"))
			}
		}
		if st, err := a.Messaging.Stats(ctx, tracked.ID); err != nil || !st.Tracked || st.Opened != 1 || st.Clicked != 1 {
			t.Fatalf("tracked stats %+v %v", st, err)
		}
		if st, err := a.Messaging.Stats(ctx, plain.ID); err != nil || st.Tracked || st.Opened != 0 {
			t.Fatalf("untracked stats %+v %v", st, err)
		}
	})
}
