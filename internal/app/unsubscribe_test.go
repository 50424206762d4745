package app_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestUnsubscribeAsAMailClient is issue 12's acceptance line: "An
// unsubscribe test that POSTs to the URL in the List-Unsubscribe header as a
// mail client does; the next broadcast skips that person, and their consent
// history shows it." A broadcast goes through the real SMTP server
// (mailpit); the test reads one recipient's List-Unsubscribe header and
// POSTs `List-Unsubscribe=One-Click` to it with a plain client (no cookie,
// no Origin), as RFC 8058 says a mail client does; the next broadcast to
// the same group reaches everyone else and not them; their consent history
// has the withdrawal with its source, and the first broadcast's figures
// count the unsubscription.
func TestUnsubscribeAsAMailClient(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		mp := mailtest.Start(t)
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: mp.SMTPURL})
		a := n.App
		admin := n.CreateUser(t, "admin@example.org", "Admin-Password-1", auth.RoleAdmin)
		ctx := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: admin.ID, Role: auth.RoleAdmin, Verified: true,
			Label: admin.Email})
		group := unsubGroup(t, a, "Hackney Renters")
		var ids []string
		addrs := []string{"ann@example.org", "bob@example.org", "cat@example.org"}
		for i, addr := range addrs {
			ids = append(ids, unsubMember(t, a, group, []string{"Ann", "Bob", "Cat"}[i], addr))
		}
		send := func(subject string) *messaging.Broadcast {
			t.Helper()
			b, err := a.Messaging.Create(ctx, messaging.Input{Channel: messaging.ChannelEmail, Subject: subject,
				Body: "Hello {{first_name}},\n\nMeet us on Thursday.", Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: group}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Messaging.Send(ctx, b.ID); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(30 * time.Second)
			for {
				got, err := a.Messaging.Get(ctx, b.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status == messaging.StatusSent {
					return got
				}
				if time.Now().After(deadline) {
					t.Fatalf("%q is %s after 30s", subject, got.Status)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}

		first := send("Rent strike: first meeting")
		m := mp.WaitFor(t, "bob@example.org", 10*time.Second)
		lu := strings.Join(m.Headers["List-Unsubscribe"], "")
		if !strings.HasPrefix(lu, "<"+n.URL+"/u/") || !strings.HasSuffix(lu, ">") {
			t.Fatalf("List-Unsubscribe %q", lu)
		}
		if p := strings.Join(m.Headers["List-Unsubscribe-Post"], ""); p != "List-Unsubscribe=One-Click" {
			t.Fatalf("List-Unsubscribe-Post %q", p)
		}

		// The mail client's POST: RFC 8058 section 3.2, no cookie, no Origin.
		req, _ := http.NewRequest(http.MethodPost, strings.Trim(lu, "<>"), strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("one-click POST: %d", res.StatusCode)
		}

		second := send("Rent strike: second meeting")
		for _, addr := range []string{"ann@example.org", "cat@example.org"} {
			if got := subjectsTo(t, mp, addr); !slices.Equal(got, []string{first.Subject, second.Subject}) {
				t.Errorf("%s received %q", addr, got)
			}
		}
		if got := subjectsTo(t, mp, "bob@example.org"); !slices.Equal(got, []string{first.Subject}) {
			t.Errorf("bob unsubscribed, yet received %q", got)
		}
		if st, err := a.Messaging.Stats(ctx, second.ID); err != nil || st.Recipients != 2 || st.Sent != 2 {
			t.Errorf("second broadcast: %+v %v", st, err)
		}
		if st, err := a.Messaging.Stats(ctx, first.ID); err != nil || st.Unsubscribed != 1 || st.Sent != 3 {
			t.Errorf("first broadcast: %+v %v", st, err)
		}

		h, err := a.People.ConsentHistory(ctx, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		last := h[len(h)-1]
		if last.Channel != people.ChannelEmail || last.Status != people.ConsentWithdrawn ||
			!strings.Contains(last.Source, "unsubscribe link") || !strings.Contains(last.Source, first.Subject) ||
			!strings.Contains(last.Source, first.ID) {
			t.Fatalf("Bob's consent history ends with %+v", last)
		}
	})
}

// subjectsTo lists the subjects of the mail mailpit holds for addr, oldest
// first. A broadcast is "sent" only once the server took every mail, so
// after send returns mailpit has them all.
func subjectsTo(t *testing.T, mp *mailtest.Mailpit, addr string) []string {
	t.Helper()
	var out []string
	for _, m := range mp.Messages(t) {
		if slices.Contains(m.To, addr) {
			out = append(out, m.Subject)
		}
	}
	slices.Reverse(out) // mailpit lists newest first
	return out
}

// unsubGroup inserts a group and returns its id.
func unsubGroup(t *testing.T, a *app.App, name string) string {
	t.Helper()
	id, now := db.NewID(), db.Now()
	if _, err := a.DB.Exec(context.Background(), `INSERT INTO groups (id, slug, name, kind, last_activity_at, created_at, updated_at)
		VALUES (?, ?, ?, 'local', ?, ?, ?)`, id, strings.ToLower(strings.ReplaceAll(name, " ", "-")), name, now, now, now); err != nil {
		t.Fatal(err)
	}
	return id
}

// unsubMember inserts a person with email consent, a member of group.
func unsubMember(t *testing.T, a *app.App, group, name, email string) string {
	t.Helper()
	ctx := auth.WithSystem(context.Background())
	id, now := db.NewID(), db.Now()
	if _, err := a.DB.Exec(ctx, `INSERT INTO people (id, given_name, family_name, email, created_at, updated_at)
		VALUES (?, ?, 'Renter', ?, ?, ?)`, id, name, email, now, now); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Exec(ctx, `INSERT INTO group_members (group_id, person_id, role, status, joined_at, updated_at)
		VALUES (?, ?, 'member', 'active', ?, ?)`, group, id, now, now); err != nil {
		t.Fatal(err)
	}
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		return a.People.SetConsentTx(ctx, tx, id, people.Consent{Channel: people.ChannelEmail, Status: people.ConsentGranted,
			Source: "signup form", Wording: "Yes, email me about the campaign."})
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
