package messagingweb

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// TestPagesDraw draws every page with the data its handler gives it and
// checks what an organiser reads there: the audience in words, counts with
// thousands separators, the confirmation that states the count, the honest
// figures (opens only where tracked), and errors beside their fields with a
// summary linking to each.
func TestPagesDraw(t *testing.T) {
	rend, err := web.NewRenderer(nil, web.RendererOptions{SiteName: "Test network"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rend.Add(Templates, "messages"); err != nil {
		t.Fatal(err)
	}
	b := &messaging.Broadcast{ID: "b1", Status: messaging.StatusDraft, Subject: "Stall on Saturday", Body: "Hello {{first_name}}",
		GroupID: "g1", Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: "g1"}}}
	aud := audience{Lines: []string{"Members of Hackney Momentum"}, Hidden: []string{"group:g1"}}
	form := web.NewForm(url.Values{"subject": {"Stall on Saturday"}, "body": {"Hello {{first_name}}"}})
	form.Errors["reply_to"] = "Enter one email address, like replies@example.org."
	send := sendCard{ID: "b1", Count: 1204, CountText: peopleCount(1204), CountOK: true, Zone: "London time",
		TestTo: "rosa@example.org", Form: web.NewForm(url.Values{"send_at": {"2026-12-08T18:00"}})}
	sent := *b
	sent.Status = messaging.StatusSent
	for _, c := range []struct {
		name, page string
		data       any
		form       *web.Form
		want       []string
	}{
		{"Compose", "messages/compose", composePage{B: b, Status: chipOf(b.Status), Action: "/messages/b1", Audience: aud,
			Count: 1204, CountText: peopleCount(1204), CountOK: true, LeftOut: thousands(38) + " without email consent or a working address are left out", Send: send}, form,
			[]string{"Members of Hackney Momentum", "1,204 people</strong> will get this (38 without email consent", `href="#f-reply_to"`, `id="f-reply_to-error"`,
				`name="target" value="group:g1"`, "{{first_name}}", `data-preview-url="/messages/preview"`, "Send a test to me",
				"Or send it later (London time)", `value="2026-12-08T18:00"`, "Save and preview"}},
		{"Choose", "messages/compose", composePage{Action: "/messages", Choices: []groupChoice{{"g1", "Hackney Momentum"}}}, web.NewForm(nil),
			[]string{"Who is it for?", `href="/messages/new?group=g1"`, "Members of Hackney Momentum", "Message these people"}},
		{"Confirm", "messages/confirm", confirmPage{B: b, Question: "Send to " + peopleCount(1204) + " now?", Action: "/messages/b1/send",
			Button: "Yes, send it now", Danger: true, BackURL: "/messages/b1", CountText: peopleCount(1204)}, nil,
			[]string{"Send to 1,204 people now?", `name="confirm" value="yes"`, `class="button--danger"`, "No, go back"}},
		{"Progress", "messages/progress", progressPage{B: &sent, Audience: aud, Status: chipOf(sent.Status),
			Figures: figuresOf(&messaging.Stats{Recipients: 12040, Sent: 12000, Bounced: 30, Skipped: 10, Unsubscribed: 4})}, nil,
			[]string{"Sent", "12,040 of 12,040", "12,000", "Not counted: tracking was off"}},
		{"Tracked", "messages/progress", progressPage{B: &sent, Audience: aud, Status: chipOf(sent.Status),
			Figures: figuresOf(&messaging.Stats{Recipients: 100, Sent: 100, Tracked: true, Opened: 34})}, nil,
			[]string{"34 (34%)", "a rough figure"}},
		{"List", "messages/list", listPage{Waiting: []row{{B: *b, Title: b.Subject, Status: chipOf(b.Status), Action: "Finish writing"}},
			Others: []row{{B: sent, Title: "Earlier", Status: chipOf(sent.Status), Sent: "1,180 of 1,204 sent", Problems: "12 bounced"}}}, nil,
			[]string{"Write a message", "Waiting for you", "Finish writing", "1,180 of 1,204 sent", "12 bounced", `chip--done`}},
		{"Empty", "messages/list", listPage{Choices: []groupChoice{{"g1", "Hackney"}}}, nil,
			[]string{"No messages yet.", `href="/messages/new?group=g1"`}},
		{"Preview", "messages/preview", previewPage{B: b, Mail: &messaging.Rendered{To: "ayesha@example.org", Subject: "Stall on Saturday", Text: "Hello Ayesha"},
			Samples: []sample{{"p1", "Ayesha Test"}}, FrameURL: "/messages/b1/preview/mail", Editable: true, Send: send}, nil,
			[]string{"Preview as", "Ayesha Test", `src="/messages/b1/preview/mail"`, "sandbox", "Hello Ayesha", "Send now"}},
		{"Settings", "messages/settings", nil, web.NewForm(url.Values{"track": {"true"}}),
			[]string{"An admin approves group messages", `name="track" type="checkbox" value="true" checked`, "invisible image"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/messages", nil)
			r = r.WithContext(web.WithViewer(r.Context(), &web.Viewer{UserID: "u1", Name: "Rosa", Email: "rosa@example.org"}))
			rend.Page(w, r, http.StatusOK, c.page, web.Page{Title: "T", Data: c.data, Form: c.form})
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("status %d\n%s", w.Code, body)
			}
			for _, want := range c.want {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if t.Failed() {
				t.Logf("%s", body)
			}
		})
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1204: "1,204", 20000: "20,000", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestReadSendAt(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	h := &Handler{zone: london}
	at, err := h.readSendAt("2026-07-01T18:30")
	if err != nil || !at.Equal(time.Date(2026, 7, 1, 17, 30, 0, 0, time.UTC)) {
		t.Errorf("18:30 on 1 July in London = %v, %v; want 17:30 UTC", at, err)
	}
	for _, bad := range []string{"", "tomorrow", "0000-01-01T00:00", "9999-12-31T23:59"} {
		if _, err := h.readSendAt(bad); err == nil {
			t.Errorf("readSendAt(%q) took it", bad)
		}
	}
}

func TestTargetsRoundTrip(t *testing.T) {
	q := url.Values{"group": {"g1"}, "filter": {"group=g1&tags=volunteer"}, "list": {"l1"}, "event": {"e1"}, "decision": {"d1"}, "tag": {"door knocked"}}
	ts, group := targetsFromQuery(q)
	if group != "g1" || len(ts) != 6 {
		t.Fatalf("targets %+v, group %q", ts, group)
	}
	var enc []string
	for _, tg := range ts {
		enc = append(enc, encodeTarget(tg))
	}
	back, err := decodeTargets(enc)
	if err != nil || len(back) != len(ts) {
		t.Fatalf("decode %v: %+v %v", enc, back, err)
	}
	for i := range ts {
		if back[i] != ts[i] {
			t.Errorf("target %d: %+v came back as %+v", i, ts[i], back[i])
		}
	}
	if _, err := decodeTargets([]string{"planet:mars"}); err == nil {
		t.Error("an unknown kind of target was taken")
	}
	if _, err := decodeTargets(nil); err == nil {
		t.Error("no target was taken")
	}
	if _, g := targetsFromQuery(url.Values{"filter": {"group=g2"}}); g != "g2" {
		t.Errorf("a filter of group g2 sends as %q", g)
	}
}

// TestSMSPagesDraw draws the pages of a text message (issue 12): the
// compose form offers "Send as" only when SMS is configured, keeps the
// choice, drops the subject, sender and reply-to fields for a text and
// says plain text with its segment count; the audience and left-out lines
// speak of SMS consent and phone numbers; the preview is a bubble of
// escaped text with its length; the test send says it goes by email; the
// list, progress and confirmation pages say SMS.
func TestSMSPagesDraw(t *testing.T) {
	rend, err := web.NewRenderer(nil, web.RendererOptions{SiteName: "Test network"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rend.Add(Templates, "messages"); err != nil {
		t.Fatal(err)
	}
	body := "Hi {{first_name}}, stall at 10 on Saturday. Reply STOP to opt out."
	b := &messaging.Broadcast{ID: "b1", Channel: messaging.ChannelSMS, Status: messaging.StatusDraft, Body: body,
		GroupID: "g1", Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: "g1"}}}
	aud := audience{Lines: []string{"Members of Hackney Momentum"}, Hidden: []string{"group:g1"}}
	smsForm := web.NewForm(url.Values{"channel": {"sms"}, "body": {body}})
	send := sendCard{ID: "b1", Count: 12, CountText: peopleCount(12), CountOK: true, Zone: "London time", TestTo: "rosa@example.org",
		SMS: true, Form: web.NewForm(nil)}
	emailPage := composePage{Action: "/messages", Audience: aud, Count: 3, CountText: peopleCount(3), CountOK: true, Channel: messaging.ChannelEmail}
	offered := emailPage
	offered.SMSOffered = true
	smsPage := composePage{B: b, Status: chipOf(b.Status), Action: "/messages/b1", Audience: aud, Count: 12, CountText: peopleCount(12),
		CountOK: true, SMSOffered: true, Channel: messaging.ChannelSMS, Segments: segmentsText(body),
		LeftOut: "7 without SMS consent or a phone number are left out", Send: send}
	refused := web.NewForm(url.Values{"channel": {"sms"}, "body": {"Hi"}})
	refused.Errors["channel"] = "SMS is not set up on this site."
	sent := *b
	sent.Status = messaging.StatusSent
	for _, c := range []struct {
		name, page    string
		data          any
		form          *web.Form
		want, notWant []string
	}{
		{"ComposeWithoutSMS", "messages/compose", emailPage, web.NewForm(nil),
			[]string{`name="subject"`, `name="from_name"`, "agreed to email"},
			[]string{`name="channel"`, "Send as", "Text message (SMS)"}},
		{"ComposeOffersSMS", "messages/compose", offered, web.NewForm(nil),
			[]string{"<legend>Send as</legend>", `id="f-channel-email" name="channel" value="email" checked`, `value="sms">`, "Text message (SMS)", `name="subject"`},
			nil},
		{"ComposeSMS", "messages/compose", smsPage, smsForm,
			[]string{`value="sms" checked`, "Plain text", "1 SMS · 66 characters", "12 people</strong> will get this (7 without SMS consent or a phone number",
				"agreed to text messages and have a phone number", "Your text message", "chip--sms", "Send a test email of this text to me"},
			[]string{`name="subject"`, `name="from_name"`, `name="reply_to"`, "Markdown", `value="email" checked`, "Send a test to me<"}},
		{"ComposeRefused", "messages/compose", emailPage, refused,
			[]string{`href="#f-channel"`, `id="f-channel-error"`, "SMS is not set up on this site."},
			[]string{`name="channel"`}},
		{"Preview", "messages/preview", previewPage{B: b, SMS: true, Segments: segmentsText("Hi Ayesha <b>, stall at 10"),
			Mail: &messaging.Rendered{To: "+447700900123", Text: "Hi Ayesha <b>, stall at 10"}, Editable: true, Send: send}, nil,
			[]string{`class="sms-bubble">Hi Ayesha &lt;b&gt;, stall at 10</p>`, "1 SMS · 26 characters", "&#43;447700900123", "Send a test email of this text to me"},
			[]string{"<iframe", "mail-frame", "Subject"}},
		{"List", "messages/list", listPage{Others: []row{{B: sent, Title: titleOf(&sent), Status: chipOf(sent.Status)}}}, nil,
			[]string{"Text message: Hi {{first_name}}, stall", `<span class="chip chip--sms">SMS</span>`}, nil},
		{"Progress", "messages/progress", progressPage{B: &sent, Title: titleOf(&sent), Audience: aud, Status: chipOf(sent.Status),
			Figures: figuresOf(&messaging.Stats{Recipients: 12, Sent: 12})}, nil,
			[]string{"<h1>Text message: Hi", "chip--sms"}, []string{"A message without a subject", "Marked as spam", "Opens"}},
		{"Confirm", "messages/confirm", confirmPage{B: b, Question: "Send to 12 people now?", Action: "/messages/b1/send", Button: "Yes, send it now",
			BackURL: "/messages/b1"}, nil, []string{"Text message (SMS)"}, []string{"Subject"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/messages", nil)
			r = r.WithContext(web.WithViewer(r.Context(), &web.Viewer{UserID: "u1", Name: "Rosa", Email: "rosa@example.org"}))
			rend.Page(w, r, http.StatusOK, c.page, web.Page{Title: "T", Data: c.data, Form: c.form})
			got := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("status %d\n%s", w.Code, got)
			}
			for _, want := range c.want {
				if !strings.Contains(got, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			for _, not := range c.notWant {
				if strings.Contains(got, not) {
					t.Errorf("the page has %q", not)
				}
			}
			if t.Failed() {
				t.Logf("%s", got)
			}
		})
	}
}

func TestSegmentsText(t *testing.T) {
	for body, want := range map[string]string{
		"":                        "",
		"Hi":                      "1 SMS · 2 characters",
		strings.Repeat("a", 161):  "2 SMS segments · 161 characters",
		"Stall today ✊\r\n\r\n  ": "1 SMS (UCS-2: an emoji or a letter outside the GSM alphabet) · 13 characters",
	} {
		if got := segmentsText(body); got != want {
			t.Errorf("segmentsText(%q) = %q, want %q", body, got, want)
		}
	}
	if channelFrom("sms") != messaging.ChannelSMS || channelFrom("") != messaging.ChannelEmail || channelFrom("pigeon") != messaging.ChannelEmail {
		t.Error("channelFrom")
	}
	in := inputFrom(url.Values{"channel": {"sms"}, "subject": {"Left from the email"}, "from_name": {"Rosa"}, "body": {"Hi"}}, nil)
	if in.Channel != messaging.ChannelSMS || in.Subject != "" || in.FromName != "" {
		t.Errorf("an SMS from the form: %+v", in)
	}
	if in := inputFrom(url.Values{"body": {"Hi"}}, nil); in.Channel != messaging.ChannelEmail {
		t.Errorf("no channel is %q, want email", in.Channel)
	}
}
