package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// loginLinkMail asks for a login link for email and returns the id of the
// stored mail, once it has the wanted status.
func loginLinkMail(t *testing.T, n *apptest.Node, email, status string) string {
	t.Helper()
	if res := apptest.PostForm(t, apptest.Client(t), n.URL+"/login/link", url.Values{"link_email": {email}}); res.Status != 303 {
		t.Fatalf("ask for a link: %d", res.Status)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		list, err := n.App.Mail.Outbox(context.Background(), mail.OutboxFilter{To: email, Status: status, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 1 {
			return list[0].ID
		}
	}
	t.Fatalf("no %s login-link mail to %s", status, email)
	return ""
}

// mailReads counts the audit entries of admin reading mail id.
func mailReads(t *testing.T, n *apptest.Node, adminID, id string) int {
	t.Helper()
	var c int
	err := n.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log
		WHERE action = 'mail.read' AND target_type = 'mail' AND target_id = ? AND actor_id = ?`, id, adminID).Scan(&c)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOutboxShowsLinksOnlyInDevelopment: in the development outbox an admin
// follows a mailed link from /admin/outbox; once SMTP is configured the
// same page shows the mail without its links (and the database keeps none
// once it is sent), while the recipient's link works. Each opening is
// audited. On both engines.
func TestOutboxShowsLinksOnlyInDevelopment(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		t.Run("Development", func(t *testing.T) {
			n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
			admin := n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
			n.CreateUser(t, supEmail, supPass, auth.RoleSupporter)
			c := apptest.Client(t)
			n.Login(t, c, adminEmail, adminPass)
			id := loginLinkMail(t, n, supEmail, mail.StatusKept)
			page := apptest.Get(t, c, n.URL+"/admin/outbox/"+id)
			if page.Status != 200 || !strings.Contains(page.Body, n.URL+"/login/link/") {
				t.Fatalf("development outbox: %d, want the link shown\n%s", page.Status, page.Body)
			}
			apptest.Get(t, c, n.URL+"/admin/outbox/"+id)
			if got := mailReads(t, n, admin.ID, id); got != 2 {
				t.Fatalf("%d audit entries for two readings, want 2", got)
			}
		})
		t.Run("SMTP", func(t *testing.T) {
			mp := mailtest.Start(t)
			n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: mp.SMTPURL})
			admin := n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
			n.CreateUser(t, supEmail, supPass, auth.RoleSupporter)
			c := apptest.Client(t)
			n.Login(t, c, adminEmail, adminPass)
			id := loginLinkMail(t, n, supEmail, mail.StatusSent)
			page := apptest.Get(t, c, n.URL+"/admin/outbox/"+id)
			if page.Status != 200 || strings.Contains(page.Body, "/login/link/") || !strings.Contains(page.Body, mail.LinkRemoved) ||
				!strings.Contains(page.Body, "Links are not shown here") {
				t.Fatalf("outbox with SMTP: %d, want the mail without its link\n%s", page.Status, page.Body)
			}
			if got := mailReads(t, n, admin.ID, id); got != 1 {
				t.Fatalf("%d audit entries for one reading, want 1", got)
			}
			var text string
			if err := n.App.DB.QueryRow(context.Background(), `SELECT text_body FROM mail_messages WHERE id = ?`, id).Scan(&text); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(text, "/login/link/") {
				t.Fatalf("the database still holds the sent link:\n%s", text)
			}
			got := mp.WaitFor(t, supEmail, 10*time.Second)
			link := mailtest.FindLink(t, got.Text, n.URL+"/login/link/")
			u := apptest.Client(t)
			if res := apptest.PostForm(t, u, link, nil); res.Status != 303 || sessionCookie(t, u, n.URL) == "" {
				t.Fatalf("the recipient's link: %d", res.Status)
			}
		})
	})
}

// TestMailPurgedAfterRetention: the hourly maintenance job deletes mail
// older than MOMENTUM_MAIL_RETENTION and keeps newer mail. On both engines.
func TestMailPurgedAfterRetention(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL,
			Configure: func(c *config.Config) { c.MailRetention = 48 * time.Hour }})
		n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
		n.CreateUser(t, supEmail, supPass, auth.RoleSupporter)
		ctx := context.Background()
		old := loginLinkMail(t, n, supEmail, mail.StatusKept)
		if _, err := n.App.DB.Exec(ctx, `UPDATE mail_messages SET created_at = ? WHERE id = ?`, time.Now().Add(-72*time.Hour), old); err != nil {
			t.Fatal(err)
		}
		recent := loginLinkMail(t, n, adminEmail, mail.StatusKept)
		if _, err := n.App.Jobs.Insert(auth.WithSystem(ctx), core.PurgeArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if _, err := n.App.Mail.Get(ctx, old); err != nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("mail 72 hours old was not purged with a 48-hour retention")
			}
		}
		if _, err := n.App.Mail.Get(ctx, recent); err != nil {
			t.Fatalf("recent mail was purged: %v", err)
		}
	})
}
