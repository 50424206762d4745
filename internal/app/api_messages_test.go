package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
)

// TestMessagesAPI: the real application lists osdi:messages at the entry
// point; a network token creates a message to group A as Action Network's
// API would (targets as links), reads it back with what it would reach,
// sends it through the send helper, and the mail reaches group A's members
// at the real SMTP server while the statistics count them. A group B
// token does not see it, and a bad request names its fields.
func TestMessagesAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		w := newMsgWorld(t, dbURL)
		_, entry := w.api(t, w.tokNet, "GET", "/api/v1", "")
		if l, _ := entry["_links"].(map[string]any)["osdi:messages"].(map[string]any); l == nil || !strings.HasSuffix(l["href"].(string), "/api/v1/messages") {
			t.Fatalf("entry point has no osdi:messages: %v", entry["_links"])
		}

		body := fmt.Sprintf(`{"subject": "Hackney needs you, {{first_name}}", "body": "Come to the **meeting**.",
			"from": "Hackney Momentum", "reply_to": "hackney@example.org", "targets": [{"href": %q}]}`, w.href("/groups/"+w.gA.ID))
		status, m := w.api(t, w.tokNet, "POST", "/api/v1/messages", body)
		if status != http.StatusCreated {
			t.Fatalf("create: %d %v", status, brief(m))
		}
		id := messageID(t, m)
		status, m = w.api(t, w.tokNet, "GET", "/api/v1/messages/"+id, "")
		targets, _ := m["targets"].([]any)
		if status != 200 || m["status"] != "draft" || m["from"] != "Hackney Momentum" || m["reply_to"] != "hackney@example.org" ||
			m["total_targeted"] != float64(2) || len(targets) != 1 || targets[0].(map[string]any)["href"] != w.href("/groups/"+w.gA.ID) {
			t.Fatalf("get: %d %v", status, brief(m))
		}
		links, _ := m["_links"].(map[string]any)
		if l, _ := links["osdi:send_helper"].(map[string]any); l == nil || l["href"] != w.href("/messages/"+id+"/send") {
			t.Errorf("no send helper link: %v", links)
		}

		status, m = w.api(t, w.tokNet, "POST", "/api/v1/messages/"+id+"/send", `{}`)
		if status != 200 || (m["momentum:status"] != "sending" && m["momentum:status"] != "sent") || m["total_targeted"] != float64(2) {
			t.Fatalf("send: %d %v", status, brief(m))
		}
		for _, to := range w.aEmails {
			got := w.mp.WaitFor(t, to, 20*time.Second)
			if !strings.HasPrefix(got.Subject, "Hackney needs you, ") {
				t.Errorf("mail to %s: subject %q", to, got.Subject)
			}
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, m = w.api(t, w.tokNet, "GET", "/api/v1/messages/"+id, "")
			st, _ := m["statistics"].(map[string]any)
			if m["status"] == "sent" && st["sent"] == float64(2) {
				if _, ok := st["opened"]; ok && st["momentum:tracked"] != true {
					t.Errorf("opens given without tracking: %v", st)
				}
				if m["sent_start_date"] == nil {
					t.Errorf("no sent_start_date: %v", brief(m))
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the message did not finish: %v", brief(m))
			}
			time.Sleep(100 * time.Millisecond)
		}
		if n := w.recipientsIn(t, w.bPeople); n != 0 {
			t.Errorf("group B's members have %d recipient rows", n)
		}

		_, list := w.api(t, w.tokNet, "GET", "/api/v1/messages", "")
		if list["total_records"] != float64(2) { // this one and group B's draft
			t.Errorf("network list: %v", list["total_records"])
		}
		// filter= (or $filter=) on the dates, never ignored (issue 14).
		for q, want := range map[string]float64{
			"filter=" + url.QueryEscape("created_date gt '2000-01-01'"):                                  2,
			"$filter=" + url.QueryEscape("modified_date lt '2000-01-01'"):                                0,
			"filter=" + url.QueryEscape("created_date lt '2000-01-01' or modified_date gt '2000-01-01'"): 2,
		} {
			if _, list := w.api(t, w.tokNet, "GET", "/api/v1/messages?"+q, ""); list["total_records"] != want {
				t.Errorf("messages?%s: %v records, want %v", q, list["total_records"], want)
			}
		}
		if status, m := w.api(t, w.tokNet, "GET", "/api/v1/messages?filter="+url.QueryEscape("subject eq 'x'"), ""); status != 400 || m["error"] == nil {
			t.Errorf("a filter on a field messages cannot be filtered on: %d %v", status, brief(m))
		}
		_, list = w.api(t, w.tokA, "GET", "/api/v1/messages", "")
		if list["total_records"] != float64(0) {
			t.Errorf("group A token lists %v messages, want 0 (the network's and B's are not its own)", list["total_records"])
		}

		status, m = w.api(t, w.tokNet, "POST", "/api/v1/messages", `{"subject": "", "body": "x", "from": "a <b>",
			"targets": [{"href": "https://elsewhere.example/api/v1/people/1"}]}`) // a person is no target (a query is a list: issue 14)
		fields, _ := m["momentum:error"].(map[string]any)["fields"].(map[string]any)
		if status != 400 || fields["targets[0].href"] == nil {
			t.Errorf("bad targets: %d %v", status, brief(m))
		}
		status, m = w.api(t, w.tokNet, "POST", "/api/v1/messages", `{"subject": "", "body": "x", "from": "a <b>",
			"targets": [{"momentum:tag": "x"}]}`)
		fields, _ = m["momentum:error"].(map[string]any)["fields"].(map[string]any)
		if status != 400 || fields["subject"] == nil || fields["from"] == nil {
			t.Errorf("bad fields: %d %v", status, brief(m))
		}
		status, m = w.api(t, w.tokNet, "POST", "/api/v1/messages/"+w.draftB+"/schedule", `{"scheduled_start_date": "tomorrow"}`)
		fields, _ = m["momentum:error"].(map[string]any)["fields"].(map[string]any)
		if status != 400 || fields["scheduled_start_date"] == nil {
			t.Errorf("bad schedule: %d %v", status, brief(m))
		}
	})
}

// TestMessagesAPIGroupToken: a token scoped to group A creates, schedules
// and unschedules its group's messages, and cannot target group B (its
// group, its list, its tag by link), nor read, change, send or schedule B's
// message.
func TestMessagesAPIGroupToken(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		w := newMsgWorld(t, dbURL)
		status, m := w.api(t, w.tokA, "POST", "/api/v1/messages", fmt.Sprintf(`{"subject": "Hello Hackney", "body": "Hi {{first_name}}.",
			"targets": [{"href": %q}]}`, w.href("/groups/"+w.gA.ID)))
		if status != http.StatusCreated {
			t.Fatalf("group A token creating to group A: %d %v", status, brief(m))
		}
		if l, _ := m["_links"].(map[string]any)["momentum:group"].(map[string]any); l == nil || l["href"] != w.href("/groups/"+w.gA.ID) {
			t.Errorf("the message is not group A's: %v", m["_links"])
		}
		id := messageID(t, m)
		at := time.Now().Add(7 * 24 * time.Hour).UTC().Truncate(time.Second)
		status, m = w.api(t, w.tokA, "POST", "/api/v1/messages/"+id+"/schedule", fmt.Sprintf(`{"scheduled_start_date": %q}`, at.Format(time.RFC3339)))
		if status != 200 || m["status"] != "scheduled" || m["scheduled_start_date"] != at.Format(time.RFC3339) {
			t.Fatalf("schedule: %d %v", status, brief(m))
		}
		status, m = w.api(t, w.tokA, "DELETE", "/api/v1/messages/"+id+"/schedule", "")
		if status != 200 || m["status"] != "draft" {
			t.Fatalf("unschedule: %d %v", status, brief(m))
		}
		status, m = w.api(t, w.tokA, "PUT", "/api/v1/messages/"+id, `{"subject": "Hello again"}`)
		if status != 200 || m["subject"] != "Hello again" || m["body"] != "Hi {{first_name}}." {
			t.Fatalf("update: %d %v", status, brief(m))
		}

		for name, target := range map[string]string{
			"group B":     fmt.Sprintf(`{"href": %q}`, w.href("/groups/"+w.gB.ID)),
			"list of B":   fmt.Sprintf(`{"href": %q}`, w.href("/lists/"+w.listB)),
			"tag by link": fmt.Sprintf(`{"href": %q}`, w.href("/tags/"+w.tagBID)),
			"filter of B": fmt.Sprintf(`{"momentum:filter": "group=%s"}`, w.gB.ID),
		} {
			status, m := w.api(t, w.tokA, "POST", "/api/v1/messages", `{"subject": "Sneaky", "body": "Hi.", "targets": [`+target+`]}`)
			if status != 400 && status != 403 {
				t.Errorf("group A token targeting %s: %d %v", name, status, brief(m))
			}
			status, m = w.api(t, w.tokA, "PUT", "/api/v1/messages/"+id, `{"targets": [`+target+`]}`)
			if status != 400 && status != 403 {
				t.Errorf("group A token retargeting its message to %s: %d %v", name, status, brief(m))
			}
		}
		for _, c := range []struct{ method, path, body string }{
			{"GET", "/api/v1/messages/" + w.draftB, ""},
			{"PUT", "/api/v1/messages/" + w.draftB, `{"subject": "Mine now"}`},
			{"POST", "/api/v1/messages/" + w.draftB + "/send", `{}`},
			{"POST", "/api/v1/messages/" + w.draftB + "/schedule", `{"scheduled_start_date": "2030-01-01T09:00:00Z"}`},
			{"DELETE", "/api/v1/messages/" + w.draftB + "/send", ""},
			{"GET", "/api/v1/messages?group_id=" + w.gB.ID, ""},
		} {
			if status, m := w.api(t, w.tokA, c.method, c.path, c.body); status != 403 && status != 404 {
				t.Errorf("group A token: %s %s: %d %v", c.method, c.path, status, brief(m))
			}
		}
		if n := w.recipientsIn(t, w.bPeople); n != 0 {
			t.Errorf("group B's members have %d recipient rows", n)
		}
	})
}
