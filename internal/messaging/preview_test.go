package messaging_test

import (
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestPreview renders as a chosen person: placeholders filled (escaped in
// HTML), fallbacks used, the Markdown rendered and sanitised.
func TestPreview(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		g := e.group(t, "Hackney & Co")
		org := e.organiser(t, "Olu Organiser", g)
		tricky := e.person(t, "<b>Bo</b> Smith", true)
		e.join(t, g, tricky, "member")
		nameless := e.person(t, " Nameless", true)
		e.join(t, g, nameless, "member")
		outsider := e.person(t, "Out Sider", true)

		in := mail(g)
		in.Subject = "News for {{first_name}}"
		in.Body = "Hi {{first_name|comrade}} in {{ group }}!\n\n<script>alert(1)</script>\n\n[Join](https://example.org/join)\n\nNext: {{next_event|nothing planned}}"
		r, err := e.svc.Preview(org.ctx, in, tricky)
		if err != nil {
			t.Fatal(err)
		}
		if r.To != emailOf("<b>Bo</b> Smith") || r.Subject != "News for <b>Bo</b>" {
			t.Errorf("to %q subject %q", r.To, r.Subject)
		}
		if !strings.Contains(r.Text, "Hi <b>Bo</b> in Hackney & Co!") || !strings.Contains(r.Text, "Next: nothing planned") {
			t.Errorf("text:\n%s", r.Text)
		}
		if !strings.Contains(r.HTML, "Hi &lt;b&gt;Bo&lt;/b&gt; in Hackney &amp; Co!") || strings.Contains(r.HTML, "<b>Bo") {
			t.Errorf("HTML not escaped:\n%s", r.HTML)
		}
		if strings.Contains(r.HTML, "<script") || !strings.Contains(r.HTML, `href="https://example.org/join"`) {
			t.Errorf("HTML not sanitised or link lost:\n%s", r.HTML)
		}
		if !strings.Contains(r.HTML, "max-width:600px") || !strings.Contains(r.HTML, "Act Now") || !strings.Contains(r.HTML, site+"/u/") {
			t.Errorf("template lacks width, network name or unsubscribe link")
		}
		if r.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
			t.Errorf("headers %v", r.Headers)
		}
		r, err = e.svc.Preview(org.ctx, in, nameless)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(r.Text, "Hi comrade in") || r.Subject != "News for friend" {
			t.Errorf("fallbacks: subject %q text %q", r.Subject, r.Text)
		}
		// The viewer themselves when no one is chosen.
		if r, err = e.svc.Preview(org.ctx, in, ""); err != nil || !strings.Contains(r.Text, "Hi Olu") {
			t.Errorf("preview as the viewer: %v %q", err, r)
		}
		// {{next_event}}: the group's soonest event, with its link.
		day := time.Now().AddDate(0, 0, 3)
		ev, err := e.s.Events.Create(e.admin.ctx, events.Input{GroupID: g, Title: "Branch meeting", Kind: events.KindMeeting,
			Start: day, End: day.Add(time.Hour), Place: events.Place{Name: "Round Chapel", Postcode: "E5 0LY"}})
		if err != nil {
			t.Fatal(err)
		}
		if r, err = e.svc.Preview(org.ctx, in, tricky); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Text, "Next: Branch meeting, ") || !strings.Contains(r.Text, "Round Chapel: "+site+"/events/"+ev.ID) {
			t.Errorf("next event not named:\n%s", r.Text)
		}
		// Someone the organiser may not see is not found.
		_, err = e.svc.Preview(org.ctx, in, outsider)
		wantCode(t, err, errs.NotFound)
	})
}

// TestTestSend mails the draft to the writer's own address now.
func TestTestSend(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.Start(t)
		e := newEnv(t, d, mp.SMTPURL)
		e.startJobs(t)
		g := e.group(t, "Hackney")
		org := e.organiser(t, "Olu Organiser", g)
		e.join(t, g, e.person(t, "Ann One", true), "member")
		b := e.mustCreate(t, org.ctx, mail(g))
		if err := e.svc.TestSend(org.ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		m := mp.WaitFor(t, org.Email, 10*time.Second)
		if m.Subject != "[Test] Meeting on Thursday" || !strings.Contains(m.Text, "Hello Olu,") {
			t.Errorf("test mail: %q\n%s", m.Subject, m.Text)
		}
		time.Sleep(300 * time.Millisecond)
		if n := len(mp.Messages(t)); n != 1 {
			t.Errorf("%d mails, want only the test", n)
		}
		if got, _ := e.svc.Get(org.ctx, b.ID); got.Status != messaging.StatusDraft {
			t.Errorf("status after a test: %s", got.Status)
		}
	})
}
