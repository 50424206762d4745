package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// Acceptance (issue 12): "an organiser cannot message people outside their
// group by any route or API". Organiser A tries every way through the API,
// with group A's token and with their own signed-in session: a message
// whose targets are group B, a list of B, B's tag (by link and by name),
// an event of B, a decision of B, a people filter of B or of no group, and
// sending, scheduling, stopping, changing and reading B's own message.
// Each is either refused, or accepted only as a message of group A (the
// service narrows an event's, decision's or tag's people to the sender's
// group); every message organiser A managed to make is then sent. What
// counts is the outcome, checked at the end: no member of group B has a
// broadcast_recipients row, and no mail to them reached the outbox or the
// SMTP server, while group A's members did get organiser A's own message
// (so the refusals are the policy's, not a broken send).
//
// The web routes' attempts are TestOrganiserCannotMessageOutsideGroupWeb.
func TestOrganiserCannotMessageOutsideGroup(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		w := newMsgWorld(t, dbURL)
		session := apptest.Client(t)
		w.n.Login(t, session, w.orgAEmail, w.orgAPass)
		type caller struct {
			name string
			do   func(method, path, body string) (int, map[string]any)
		}
		callers := []caller{
			{"group A token", func(method, path, body string) (int, map[string]any) { return w.api(t, w.tokA, method, path, body) }},
			{"organiser A's session", func(method, path, body string) (int, map[string]any) {
				return w.call(t, session, "", method, path, body)
			}},
		}
		link := func(path string) string { return fmt.Sprintf(`{"href": %q}`, w.href(path)) }
		// strict: a target that names only people outside group A must be
		// refused outright; the rest may be refused or narrowed to A.
		targets := []struct {
			name, json string
			strict     bool
		}{
			{"group B", link("/groups/" + w.gB.ID), true},
			{"list of B", link("/lists/" + w.listB), true},
			{"filter of B", fmt.Sprintf(`{"momentum:filter": %q}`, "group="+w.gB.ID), true},
			{"tag by link", link("/tags/" + w.tagBID), false},
			{"tag by name", fmt.Sprintf(`{"momentum:tag": %q}`, w.tagB), false},
			{"event of B", link("/events/" + w.eventB), false},
			{"decision of B", link("/decisions/" + w.decisionB), false},
			{"filter without group", `{"momentum:filter": "tag=` + w.tagB + `"}`, false},
			{"group A and group B", link("/groups/"+w.gA.ID) + "," + link("/groups/"+w.gB.ID), true},
		}
		var made []string // messages organiser A managed to create
		for _, c := range callers {
			for _, tg := range targets {
				for _, q := range []string{"", "?group_id=" + w.gB.ID, "?group_id=" + w.gA.ID} {
					status, m := c.do("POST", "/api/v1/messages"+q, `{"subject": "To Bristol", "body": "Hello {{first_name}}.", "targets": [`+tg.json+`]}`)
					switch {
					case status == http.StatusCreated && (tg.strict || q == "?group_id="+w.gB.ID):
						t.Errorf("%s: POST /api/v1/messages%s to %s was accepted: %v", c.name, q, tg.name, brief(m))
						made = append(made, messageID(t, m))
					case status == http.StatusCreated:
						made = append(made, messageID(t, m))
					case status != 400 && status != 403 && status != 404:
						t.Errorf("%s: POST /api/v1/messages%s to %s: %d %v", c.name, q, tg.name, status, brief(m))
					}
				}
			}
			for _, a := range []struct{ method, path, body string }{
				{"GET", "/api/v1/messages/" + w.draftB, ""},
				{"PUT", "/api/v1/messages/" + w.draftB, `{"subject": "Now from A"}`},
				{"POST", "/api/v1/messages/" + w.draftB + "/send", `{}`},
				{"POST", "/api/v1/messages/" + w.draftB + "/schedule", `{"scheduled_start_date": "2030-01-01T09:00:00Z"}`},
				{"DELETE", "/api/v1/messages/" + w.draftB + "/schedule", ""},
				{"DELETE", "/api/v1/messages/" + w.draftB + "/send", ""},
			} {
				if status, m := c.do(a.method, a.path, a.body); status != 403 && status != 404 {
					t.Errorf("%s: %s %s: %d %v", c.name, a.method, a.path, status, brief(m))
				}
			}
		}
		// Organiser A's own message to group A, the control: it must go.
		status, m := w.api(t, w.tokA, "POST", "/api/v1/messages", `{"subject": "Hackney news", "body": "Hello {{first_name}}.", "targets": [`+link("/groups/"+w.gA.ID)+`]}`)
		if status != http.StatusCreated {
			t.Fatalf("organiser A's own message: %d %v", status, brief(m))
		}
		made = append(made, messageID(t, m))
		// Send what was made (narrowed messages reach A's people at most),
		// and try to retarget each at B first.
		for _, id := range made {
			if status, m := w.api(t, w.tokA, "PUT", "/api/v1/messages/"+id, `{"targets": [`+link("/groups/"+w.gB.ID)+`]}`); status < 400 {
				t.Errorf("retargeting %s at group B: %d %v", id, status, brief(m))
			}
			w.api(t, w.tokA, "POST", "/api/v1/messages/"+id+"/send", `{}`)
		}
		for _, to := range w.aEmails {
			w.mp.WaitFor(t, to, 20*time.Second)
		}
		w.assertNothingReachedB(t)
	})
}

// TestOrganiserCannotMessageOutsideGroupWeb is the acceptance test's web
// half: organiser A, signed in, tries the broadcast pages: composing for
// group B (?group=, the group field, B's list, event, decision, tag or a
// filter of B or of no group), and every action on group B's message
// (show, preview, save, test, send, schedule, approve, reject, pause,
// resume, cancel) and the network's settings. Each must be refused
// (403/404, or 4xx for a form it will not take) and the outcome is checked
// as in the API half.
//
// The pages are built on another branch (issue 12's web work): until they
// are merged, GET /messages/{id} answers 404 even to an admin and this
// test skips, saying so; once they exist it runs, and a 404 on a route
// means refused.
func TestOrganiserCannotMessageOutsideGroupWeb(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		w := newMsgWorld(t, dbURL)
		admin := apptest.Client(t)
		w.n.Login(t, admin, adminEmail, adminPass)
		if res := apptest.Get(t, admin, w.n.URL+"/messages/"+w.draftB); res.Status == http.StatusNotFound {
			t.Skip("the broadcast pages (GET /messages/{id}) are not on this branch yet: nothing to try")
		}
		org := apptest.Client(t)
		w.n.Login(t, org, w.orgAEmail, w.orgAPass)
		compose := func(group string, targets ...string) url.Values {
			v := url.Values{"group": {group}, "subject": {"To Bristol"}, "body": {"Hello {{first_name}}."}, "target": targets}
			return v
		}
		b := w.gB.ID
		posts := []struct {
			name, path string
			form       url.Values
		}{
			{"compose for B", "/messages?group=" + b, compose(b, "group:"+b)},
			{"compose, group field B", "/messages", compose(b, "group:"+b)},
			{"compose as A to group B", "/messages", compose(w.gA.ID, "group:"+b)},
			{"compose as A to B's list", "/messages", compose(w.gA.ID, "list:"+w.listB)},
			{"compose, no group, filter of B", "/messages", compose("", "filter:group="+b)},
			{"compose, no group, filter without group", "/messages", compose("", "filter:tag="+w.tagB)},
			{"compose, no group, B's tag", "/messages", compose("", "tag:"+w.tagB)},
			{"compose, no group, B's event", "/messages", compose("", "event:"+w.eventB)},
			{"compose, no group, B's decision", "/messages", compose("", "decision:"+w.decisionB)},
			{"preview for B", "/messages/preview", compose(b, "group:"+b)},
			{"save B's", "/messages/" + w.draftB, compose(b, "group:"+b)},
			{"test B's", "/messages/" + w.draftB + "/test", url.Values{}},
			{"send B's", "/messages/" + w.draftB + "/send", url.Values{"confirm": {"yes"}}},
			{"schedule B's", "/messages/" + w.draftB + "/schedule", url.Values{"confirm": {"yes"}, "send_at": {"2030-01-01T09:00"}}},
			{"approve B's", "/messages/" + w.draftB + "/approve", url.Values{}},
			{"reject B's", "/messages/" + w.draftB + "/reject", url.Values{"reason": {"no"}}},
			{"pause B's", "/messages/" + w.draftB + "/pause", url.Values{}},
			{"resume B's", "/messages/" + w.draftB + "/resume", url.Values{}},
			{"cancel B's", "/messages/" + w.draftB + "/cancel", url.Values{"confirm": {"yes"}}},
			{"settings", "/admin/messaging", url.Values{"track": {"1"}}},
		}
		for _, p := range posts {
			res := postSameOrigin(t, org, w.n.URL+p.path, p.form)
			if res.Status < 400 || res.Status >= 500 {
				t.Errorf("%s: POST %s: %d (want refused)\n%.300s", p.name, p.path, res.Status, res.Body)
			}
		}
		for _, path := range []string{"/messages/" + w.draftB, "/messages/" + w.draftB + "/preview",
			"/messages/new?group=" + b, "/messages?group=" + b, "/admin/messaging"} {
			if res := apptest.Get(t, org, w.n.URL+path); res.Status != 403 && res.Status != 404 {
				t.Errorf("GET %s as organiser A: %d (want 403 or 404)", path, res.Status)
			}
		}
		// The control: organiser A's own message to group A goes, through
		// the same pages, so the refusals above are the policy's and not a
		// form the test fills wrongly.
		if res := postSameOrigin(t, org, w.n.URL+"/messages", compose(w.gA.ID, "group:"+w.gA.ID)); res.Status >= 400 {
			t.Fatalf("organiser A composing to group A: %d\n%.300s", res.Status, res.Body)
		}
		// Whatever the compose form accepted is a message of organiser A's
		// (narrowed or their own): send each, as the pages would.
		bs, _, err := w.n.App.Messaging.List(auth.WithSystem(context.Background()), messaging.ListFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, bc := range bs {
			if bc.ID != w.draftB {
				postSameOrigin(t, org, w.n.URL+"/messages/"+bc.ID+"/send", url.Values{"confirm": {"yes"}})
			}
		}
		for _, to := range w.aEmails {
			w.mp.WaitFor(t, to, 20*time.Second)
		}
		time.Sleep(time.Second) // the fan-out of anything else that went
		w.assertNothingReachedB(t)
	})
}

// postSameOrigin posts a form as the browser would from one of the site's
// own pages.
func postSameOrigin(t *testing.T, c *http.Client, u string, form url.Values) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return apptest.Do(t, c, req)
}

// attemptSubjects are the subjects of every broadcast the messaging tests
// write: a mail to a group B member with one of them is a broadcast that
// got through.
var attemptSubjects = []string{"To Bristol", "Sneaky", "Bristol news", "Now from A", "Mine now", "Hackney news", "Hello Hackney", "Hello again"}

// isBroadcast tells a broadcast from the transactional mail the world's
// fixtures cause (a B member's RSVP confirmation): every broadcast carries
// List-Unsubscribe, and the tests' broadcasts have known subjects.
func isBroadcast(subject string, header func(string) string) bool {
	return header("List-Unsubscribe") != "" || slices.Contains(attemptSubjects, subject)
}

// assertNothingReachedB checks the outcome: no member of group B is a
// recipient of any broadcast, and no broadcast to them is in the outbox or
// reached the SMTP server.
func (w *msgWorld) assertNothingReachedB(t *testing.T) {
	t.Helper()
	if n := w.recipientsIn(t, w.bPeople); n != 0 {
		t.Errorf("group B's members have %d broadcast_recipients rows", n)
	}
	sys := auth.WithSystem(context.Background())
	for _, to := range w.bEmails {
		ms, err := w.n.App.Mail.Outbox(sys, mail.OutboxFilter{To: to, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if isBroadcast(m.Subject, func(k string) string { return m.Headers[k] }) {
				t.Errorf("the outbox holds broadcast %q to %s, of group B", m.Subject, to)
			}
		}
	}
	for _, m := range w.mp.Messages(t) {
		for _, to := range m.To {
			if slices.ContainsFunc(w.bEmails, func(b string) bool { return strings.EqualFold(to, b) }) &&
				isBroadcast(m.Subject, func(k string) string { return strings.Join(m.Headers[k], ", ") }) {
				t.Errorf("broadcast %q reached %s, of group B", m.Subject, to)
			}
		}
	}
}
