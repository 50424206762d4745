package messagingweb

import (
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"testing"

	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

func TestZZDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	rend, _ := web.NewRenderer(nil, web.RendererOptions{SiteName: "Hackney Momentum"})
	rend.Add(Templates, "messages")
	b := &messaging.Broadcast{ID: "b1", Status: messaging.StatusDraft, Subject: "Stall on Saturday", Body: "Hello {{first_name}}",
		GroupID: "g1", Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: "g1"}}}
	aud := audience{Lines: []string{"People in Hackney Momentum tagged volunteer"}, Hidden: []string{"group:g1"}}
	form := web.NewForm(url.Values{"subject": {"Stall on Saturday"}, "body": {"Hello {{first_name}},\n\nWe need two more people."}})
	send := sendCard{ID: "b1", Count: 1204, CountText: peopleCount(1204), CountOK: true, Zone: "London time",
		TestTo: "rosa.organiser@hackney.example.org", Form: web.NewForm(url.Values{"send_at": {"2026-12-08T18:00"}})}
	sent := *b
	sent.Status = messaging.StatusSending
	pages := map[string]struct {
		page string
		data any
		form *web.Form
	}{
		"compose": {"messages/compose", composePage{B: b, Status: chipOf(b.Status), Action: "/messages/b1", Audience: aud,
			Count: 1204, CountText: peopleCount(1204), CountOK: true, LeftOut: "38 without email consent or a working address are left out", Send: send}, form},
		"list": {"messages/list", listPage{IsAdmin: true, Waiting: []row{{B: *b, Title: b.Subject, Status: chipOf(b.Status), When: "Last changed Mon 7 Dec 2026, 18:00 (London time)", Action: "Finish writing"}},
			Others: []row{{B: sent, Title: "Earlier news", Status: chipOf(messaging.StatusSent), When: "Finished Mon 7 Dec", Sent: "1,180 of 1,204 sent", Problems: "12 bounced · 3 unsubscribed"}}}, nil},
		"progress": {"messages/progress", progressPage{B: &sent, Audience: aud, Status: chipOf(sent.Status), Live: true, When: "Started Mon 7 Dec 2026, 18:00 (London time)",
			Figures: figuresOf(&messaging.Stats{Recipients: 12040, Sent: 6000, Queued: 6000, Bounced: 30, Skipped: 10, Unsubscribed: 4})}, nil},
		"confirm": {"messages/confirm", confirmPage{B: b, Question: "Send to 1,204 people now?", Detail: "Once it starts, people get it within minutes.", Action: "/x", Button: "Yes, send it now", Danger: true, BackURL: "/", CountText: "1,204 people"}, nil},
		"preview": {"messages/preview", previewPage{B: b, Mail: &messaging.Rendered{To: "ayesha@example.org", Subject: "Stall on Saturday", Text: "Hello Ayesha"},
			Samples: []sample{{"p1", "Ayesha Test"}}, FrameURL: "about:blank", Editable: true, Send: sendCard{ID: "b1", Count: 2, CountText: "2 people", CountOK: true, Zone: "London time", TestTo: "rosa@example.org", Primary: true, Back: "preview", Form: web.NewForm(url.Values{"send_at": {"2026-12-08T18:00"}})}}, nil},
		"settings": {"messages/settings", nil, web.NewForm(nil)},
	}
	css, _ := os.ReadFile("../../platform/web/static/app.css")
	os.WriteFile("/tmp/dump/app.css", css, 0o644)
	re := regexp.MustCompile(`/static/app\.[^"]*\.css`)
	for name, p := range pages {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/messages", nil)
		r = r.WithContext(web.WithViewer(r.Context(), &web.Viewer{UserID: "u1", Name: "Rosa", Email: "rosa@example.org", IsAdmin: true}))
		rend.Page(w, r, 200, p.page, web.Page{Title: "T", Data: p.data, Form: p.form})
		html := re.ReplaceAllString(w.Body.String(), "app.css")
		os.WriteFile("/tmp/dump/"+name+".html", []byte(html), 0o644)
	}
}
