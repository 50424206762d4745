package messaging_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := messaging.New(messaging.Deps{BaseURL: site})
	if err == nil {
		t.Fatal("New without collaborators succeeded")
	}
	for _, name := range []string{"DB", "Policy", "Jobs", "Mail", "Live", "People", "Events", "Decisions", "Zone"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

func TestCreateChecksFields(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		g := e.group(t, "Hackney")
		many := make([]messaging.Target, 21)
		for i := range many {
			many[i] = messaging.Target{Kind: messaging.TargetGroup, ID: g}
		}
		cases := []struct {
			name, field string
			change      func(in *messaging.Input)
		}{
			{"NoSubject", "subject", func(in *messaging.Input) { in.Subject = " " }},
			{"LongSubject", "subject", func(in *messaging.Input) { in.Subject = strings.Repeat("é", 201) }},
			{"NoBody", "body", func(in *messaging.Input) { in.Body = "\n" }},
			{"HugeBody", "body", func(in *messaging.Input) { in.Body = strings.Repeat("a", 100<<10+1) }},
			{"UnknownPlaceholder", "body", func(in *messaging.Input) { in.Body = "Hi {{surname}}" }},
			{"FromName", "from_name", func(in *messaging.Input) { in.FromName = "Evil <x@y.z>" }},
			{"ReplyTo", "reply_to", func(in *messaging.Input) { in.ReplyTo = "not an address" }},
			{"NoTargets", "targets", func(in *messaging.Input) { in.Targets = nil }},
			{"TooManyTargets", "targets", func(in *messaging.Input) { in.Targets = many }},
			{"UnknownKind", "targets", func(in *messaging.Input) { in.Targets = []messaging.Target{{Kind: "everyone"}} }},
			{"TagWithoutName", "targets", func(in *messaging.Input) { in.Targets = []messaging.Target{{Kind: messaging.TargetTag}} }},
			{"BadFilter", "targets", func(in *messaging.Input) {
				in.Targets = []messaging.Target{{Kind: messaging.TargetFilter, Query: "ladder=nobody"}}
			}},
			{"Channel", "channel", func(in *messaging.Input) { in.Channel = "pigeon" }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := mail("")
				in.Targets = []messaging.Target{{Kind: messaging.TargetGroup, ID: g}}
				c.change(&in)
				_, err := e.svc.Create(e.admin.ctx, in)
				wantCode(t, err, errs.Invalid)
				if _, ok := errs.FieldsOf(err)[c.field]; !ok {
					t.Errorf("error fields %v do not name %q", errs.FieldsOf(err), c.field)
				}
			})
		}
		t.Run("Valid", func(t *testing.T) {
			in := mail("")
			in.Targets = []messaging.Target{{Kind: messaging.TargetGroup, ID: g}}
			in.ReplyTo = "Replies@Example.org"
			b := e.mustCreate(t, e.admin.ctx, in)
			got, err := e.svc.Get(e.admin.ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != messaging.StatusDraft || got.ReplyTo != "replies@example.org" || got.Subject != in.Subject ||
				len(got.Targets) != 1 || got.Targets[0].ID != g || got.Channel != messaging.ChannelEmail {
				t.Errorf("stored %+v", got)
			}
			in.Subject = "Changed"
			up, err := e.svc.Update(e.admin.ctx, b.ID, in)
			if err != nil || up.Subject != "Changed" {
				t.Fatalf("update: %v %+v", err, up)
			}
			list, next, err := e.svc.List(e.admin.ctx, messaging.ListFilter{})
			if err != nil || len(list) != 1 || next != "" || list[0].Subject != "Changed" {
				t.Fatalf("list: %v %+v %q", err, list, next)
			}
		})
	})
}

// TestCountKeepsToConsent: the count is of people reached once each, with
// email consent, an address, not erased and not suppressed.
func TestCountKeepsToConsent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		g := e.group(t, "Hackney")
		ctx := context.Background()
		var ids []string
		for _, name := range []string{"Ann One", "Bob Two", "Cat Three", "Dan Four", "Eve Five", "Fay Six", "Gus Seven"} {
			id := e.person(t, name, true)
			e.join(t, g, id, "member")
			ids = append(ids, id)
		}
		e.consent(t, ids[1], "email", "withdrawn")
		if _, err := d.Exec(ctx, `UPDATE people SET email = NULL WHERE id = ?`, ids[2]); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE people SET erased_at = ? WHERE id = ?`, db.Now(), ids[3]); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO suppressions (address, reason, created_at) VALUES (?, 'bounce', ?)`, emailOf("Eve Five"), db.Now()); err != nil {
			t.Fatal(err)
		}
		noConsent := e.person(t, "Hal Eight", false)
		e.join(t, g, noConsent, "member")
		outsider := e.person(t, "Ivy Nine", true)
		e.tag(t, outsider, "volunteer")
		e.tag(t, ids[0], "volunteer") // in the group and tagged: counted once

		// Ann, Fay, Gus from the group; Ivy from the tag.
		in := mail("", messaging.Target{Kind: messaging.TargetGroup, ID: g}, messaging.Target{Kind: messaging.TargetTag, Name: "Volunteer"})
		n, err := e.svc.Count(e.admin.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if n != 4 {
			t.Errorf("count = %d, want 4", n)
		}
		in = mail("", messaging.Target{Kind: messaging.TargetFilter, Query: "group=" + g + "&tags=volunteer"})
		if n, err = e.svc.Count(e.admin.ctx, in); err != nil || n != 1 {
			t.Errorf("filter count = %d, %v; want 1", n, err)
		}
	})
}

// TestSendDelivers sends a broadcast through the real SMTP server: each
// person once, personalised, with one-click unsubscribe.
func TestSendDelivers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.Start(t)
		e := newEnv(t, d, mp.SMTPURL)
		e.startJobs(t)
		g := e.group(t, "Hackney")
		org := e.organiser(t, "Olu Organiser", g)
		names := []string{"Ann One", "Bob Two", "Cat Three"}
		for _, name := range names {
			e.join(t, g, e.person(t, name, true), "member")
		}
		e.join(t, g, e.person(t, "Dan Nope", false), "member")
		in := mail(g)
		in.Body = "Hello {{first_name|friend}} of {{group}},\n\nSee you **soon**."
		in.ReplyTo = "olu@example.org"
		b := e.mustCreate(t, org.ctx, in)
		if n, err := e.svc.Count(org.ctx, in); err != nil || n != 4 { // three members and Olu
			t.Fatalf("count = %d, %v; want 4", n, err)
		}
		started, err := e.svc.Send(org.ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if started.Status != messaging.StatusSending || started.Recipients != 4 {
			t.Fatalf("after Send: %+v", started)
		}
		e.waitStatus(t, b.ID, messaging.StatusSent, 30*time.Second)
		st, err := e.svc.Stats(org.ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Recipients != 4 || st.Sent != 4 || st.Queued != 0 || st.Failed != 0 || st.Tracked {
			t.Errorf("stats %+v", st)
		}
		for _, name := range names {
			m := mp.WaitFor(t, emailOf(name), 10*time.Second)
			first, _, _ := strings.Cut(name, " ")
			if !strings.Contains(m.Text, "Hello "+first+" of Hackney,") || !strings.Contains(m.HTML, "<strong>soon</strong>") {
				t.Errorf("mail to %s not personalised:\n%s", name, m.Text)
			}
			if m.Subject != in.Subject {
				t.Errorf("subject %q", m.Subject)
			}
			unsub := first + "'s unsubscribe"
			lu := strings.Join(m.Headers["List-Unsubscribe"], "")
			if !strings.HasPrefix(lu, "<"+site+"/u/") || strings.Join(m.Headers["List-Unsubscribe-Post"], "") != "List-Unsubscribe=One-Click" {
				t.Errorf("%s: List-Unsubscribe %q, headers %v", unsub, lu, m.Headers)
			}
			link := strings.Trim(lu, "<>")
			if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, link) {
				t.Errorf("%s: footer lacks %s", unsub, link)
			}
			if got := strings.Join(m.Headers["Reply-To"], ""); !strings.Contains(got, "olu@example.org") {
				t.Errorf("Reply-To %q", got)
			}
		}
		if got := len(mp.Messages(t)); got != 4 {
			t.Errorf("%d messages arrived, want 4", got)
		}
	})
}
