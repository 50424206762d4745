package smsweb

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/messaging/sms"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

func TestNewNeedsEveryCollaborator(t *testing.T) {
	rend, err := web.NewRenderer(slog.New(slog.DiscardHandler), web.RendererOptions{SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	// A zero Inbox stands in: NewHandler only checks that it is there.
	full := func() Deps {
		return Deps{Inbox: &sms.Inbox{}, Renderer: rend, AuthToken: "tok", PublicURL: "https://example.org/"}
	}
	h, err := NewHandler(full())
	if err != nil {
		t.Fatal(err)
	}
	if h.d.PublicURL != "https://example.org" {
		t.Errorf("PublicURL %q: want the trailing slash gone", h.d.PublicURL)
	}
	for name, tc := range map[string]struct {
		brk  func(*Deps)
		want string
	}{
		"Inbox":     {func(d *Deps) { d.Inbox = nil }, "Inbox"},
		"Renderer":  {func(d *Deps) { d.Renderer = nil }, "Renderer"},
		"PublicURL": {func(d *Deps) { d.PublicURL = "" }, "PublicURL"},
	} {
		t.Run(name, func(t *testing.T) {
			d := full()
			tc.brk(&d)
			if _, err := NewHandler(d); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to name %s", err, tc.want)
			}
		})
	}
	if _, err := sms.NewInbox(sms.InboxDeps{}); err == nil || !strings.Contains(err.Error(), "DB") || !strings.Contains(err.Error(), "People") {
		t.Errorf("NewInbox without collaborators: %v", err)
	}
}

func TestTwiML(t *testing.T) {
	if got := TwiML(""); got != `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Response/>\n" {
		t.Errorf("empty: %q", got)
	}
	got := TwiML(`Tom & Jerry's <b>"help"</b>`)
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n<Response><Message>Tom &amp; Jerry&#39;s &lt;b&gt;&#34;help&#34;&lt;/b&gt;</Message></Response>\n"
	if got != want {
		t.Errorf("TwiML = %q, want %q", got, want)
	}
}
