package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// messagingScreens are the sizes of the messaging acceptance test: a phone
// and a desktop.
var messagingScreens = []struct {
	name string
	opts browsertest.Options
}{
	{"phone", browsertest.Options{Width: 390, Height: 844, Mobile: true, Timeout: 3 * time.Minute, Step: 30 * time.Second}},
	{"desktop", browsertest.Options{Width: 1280, Height: 900, Timeout: 3 * time.Minute, Step: 30 * time.Second}},
}

// messagingNetwork is a group with an organiser and five people: two
// volunteers with email consent (who get the message), one without the
// tag, one volunteer without consent, and a volunteer outside the group.
type messagingNetwork struct {
	group                *groups.Group
	orgEmail, orgPass    string
	getsIt, doesNot      []string // addresses
	ayeshaID, benedictID string
}

func setUpMessaging(t *testing.T, n *apptest.Node) messagingNetwork {
	t.Helper()
	a := n.App
	sys := auth.WithSystem(context.Background())
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	m := messagingNetwork{orgEmail: "rosa.organiser@hackney.example.org", orgPass: "the group meets on thursdays"}
	n.CreateUser(t, m.orgEmail, m.orgPass, auth.RoleMember)
	g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
	if err != nil {
		t.Fatal(err)
	}
	m.group = g
	orgID, err := a.People.Match(sys, m.orgEmail, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: g.ID, PersonID: orgID, Role: groups.RoleOrganiser}}); err != nil {
		t.Fatal(err)
	}
	person := func(given, email, group string, volunteer, consent bool) string {
		p, err := a.People.Create(sys, people.Input{GivenName: given, FamilyName: "Test", Email: email, Source: "admin", GroupID: group})
		if err != nil {
			t.Fatalf("create %s: %v", given, err)
		}
		if volunteer {
			if err := a.People.Tag(sys, p.ID, "volunteer"); err != nil {
				t.Fatal(err)
			}
		}
		if consent {
			if err := a.People.SetConsent(sys, p.ID, people.Consent{Channel: people.ChannelEmail, Status: "granted",
				Source: "test", Wording: "Yes, email me.", ChangedAt: time.Now().Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		return p.ID
	}
	m.ayeshaID = person("Ayesha", "ayesha@example.org", g.ID, true, true)
	m.benedictID = person("Benedict", "benedict@example.org", g.ID, true, true)
	person("Cyrus", "cyrus@example.org", g.ID, false, true)
	person("Dolores", "dolores@example.org", g.ID, true, false)
	person("Evander", "evander@example.org", "", true, true)
	m.getsIt = []string{"ayesha@example.org", "benedict@example.org"}
	m.doesNot = []string{"cyrus@example.org", "dolores@example.org", "evander@example.org"}
	return m
}

// TestBrowserOrganiserMessagesPeople is issue 12's browser acceptance test,
// at 390 px and at desktop size, on both engines: an organiser filters their
// group's people, chooses "Message these people", writes, previews (also as
// another recipient), test-sends to themself and schedules; the test mail
// and then the broadcast arrive at a real SMTP server (mailpit), to the two
// volunteers with consent and to nobody else.
func TestBrowserOrganiserMessagesPeople(t *testing.T) {
	for _, screen := range messagingScreens {
		t.Run(screen.name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, dbURL string) {
				organiserMessagesPeople(t, dbURL, screen.name, screen.opts)
			})
		})
	}
}

func organiserMessagesPeople(t *testing.T, dbURL, screen string, opts browsertest.Options) {
	tab := browsertest.Start(t, opts)
	mp := mailtest.Start(t)
	n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: mp.SMTPURL})
	a := n.App
	net := setUpMessaging(t, n)
	subject := "Stall on Saturday (" + screen + ")"

	// Log in; the navigation offers Messages to an organiser.
	wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
	tab.Fill("#f-email", net.orgEmail)
	tab.Fill("#f-password", net.orgPass)
	wantStatus(t, "log in", tab.ClickText("main", "Log in"), http.StatusOK)
	wantContains(t, tab, "header nav", "Messages")

	// From the group page to its people, filtered to the volunteers.
	wantStatus(t, "group page", tab.Navigate(n.URL+"/groups/"+net.group.Slug), http.StatusOK)
	wantContains(t, tab, "main", "Message the group") // issue 16: the organiser's actions at the top of the group page
	wantStatus(t, "the group's people", tab.ClickText("main", "The group's people"), http.StatusOK)
	wantPath(t, tab, "/people")
	if tab.Mobile() { // issue 16: on a phone the filter is a folded panel: open it
		if !browsertest.Eval[bool](tab, `(() => { const d = document.querySelector(".filter-panel"); d.querySelector("summary").click(); return d.open })()`) {
			t.Fatal("the filter panel did not open")
		}
	}
	tab.Fill("#f-tags", "volunteer")
	wantStatus(t, "filter", tab.ClickText("main", "Show people"), http.StatusOK)
	wantContains(t, tab, "#results", "3 people match") // Dolores too: the list shows people, the message only those with consent
	wantFits(t, tab)

	// Message these people: the audience in words and its count.
	wantStatus(t, "message these people", tab.ClickText("main", "Message these people"), http.StatusOK)
	wantPath(t, tab, "/messages/new")
	wantContains(t, tab, "#audience", "People in Hackney Momentum tagged volunteer")
	wantContains(t, tab, "#audience", "2 people will get this")
	wantFits(t, tab)
	tab.Fill("#f-subject", subject)
	setValue(t, tab, "#f-body", "Hello {{first_name}},\n\nWe need **two more people** for the stall on Saturday. Can you come?")
	tab.Fill("#f-from_name", "Rosa at Hackney Momentum")
	wantStatus(t, "save and preview", tab.ClickText("main", "Save and preview"), http.StatusOK)
	path := tab.Path()
	id := strings.TrimSuffix(strings.TrimPrefix(path, "/messages/"), "/preview")
	if !strings.HasSuffix(path, "/preview") || id == "" || strings.Contains(id, "/") {
		t.Fatalf("after saving, the browser is at %s, want /messages/{id}/preview", path)
	}
	wantText(t, tab, ".mail-subject", subject)
	// It opens as the organiser would get it; then as Benedict.
	if first := browsertest.Eval[string](tab, `document.querySelector(".mail-text").textContent`); !strings.Contains(first, "two more people") {
		t.Errorf("the preview's text part:\n%s", first)
	}
	// Preview as Benedict.
	setValue(t, tab, "#f-as", net.benedictID)
	wantStatus(t, "preview as", tab.ClickText("main", "Show"), http.StatusOK)
	if got := browsertest.Eval[string](tab, `document.querySelector(".mail-text").textContent`); !strings.Contains(got, "Hello Benedict,") {
		t.Errorf("the preview as Benedict says:\n%s", got)
	}
	// The frame holds the HTML part, from a page with its own strict policy.
	if src := tab.Attr("iframe.mail-frame", "src"); !strings.Contains(src, "/messages/"+id+"/preview/mail") {
		t.Errorf("the preview frame shows %q", src)
	}
	if !browsertest.Eval[bool](tab, `performance.getEntriesByType("resource").some(e =>
		e.initiatorType === "iframe" && e.name.includes("/preview/mail") && e.responseStatus === 200)`) {
		t.Error("the preview frame did not load the mail")
	}
	wantFits(t, tab)
	tab.Screenshot("messages-preview-" + screen + "-" + engineName(dbURL) + ".png")

	// Back on the draft, the preview beside the form follows the typing
	// (app.js posts the form to /messages/preview a moment after it stops).
	wantStatus(t, "back to writing", tab.ClickText("main", "Back to writing"), http.StatusOK)
	wantPath(t, tab, "/messages/"+id)
	before := strings.Count(n.Logs.String(), `"route":"POST /messages/preview","status":200`)
	tab.Fill("#f-subject", subject+"!")
	for deadline := time.Now().Add(15 * time.Second); strings.Count(n.Logs.String(), `"route":"POST /messages/preview","status":200`) == before; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("typing did not refresh the live preview")
		}
	}
	setValue(t, tab, "#f-subject", subject)
	wantStatus(t, "save", tab.ClickText("main", "Save and preview"), http.StatusOK)
	wantPath(t, tab, "/messages/"+id+"/preview")

	// The test send reaches the organiser at the real SMTP server.
	wantStatus(t, "test send", tab.ClickText("main", "Send a test to me"), http.StatusOK)
	wantContains(t, tab, ".flash", "Test sent to "+net.orgEmail)
	test := waitMailWith(t, mp, net.orgEmail, subject)
	if !strings.Contains(test.Text, "two more people") {
		t.Errorf("the test mail's text:\n%s", test.Text)
	}

	// Schedule it a few minutes ahead, after the page that states the count.
	at := time.Now().In(a.Zone).Add(5 * time.Minute)
	setValue(t, tab, "#f-send_at", at.Format("2006-01-02T15:04"))
	wantStatus(t, "schedule", tab.ClickText("main", "Schedule"), http.StatusOK)
	wantContains(t, tab, "main h1", "Send to 2 people on ")
	wantFits(t, tab)
	wantStatus(t, "confirm", tab.ClickText("main", "Yes, schedule it"), http.StatusOK)
	wantPath(t, tab, "/messages/"+id)
	wantContains(t, tab, ".flash", "Scheduled for "+at.Format("Mon 2 Jan 2006, 15:04"))
	wantStatus(t, "messages", tab.Navigate(n.URL+"/messages"), http.StatusOK)
	wantContains(t, tab, "main", subject)
	wantContains(t, tab, "main .message-list", "Scheduled")
	wantFits(t, tab)

	// Its time comes: the scheduler starts it and the mail arrives.
	sys := auth.WithSystem(context.Background())
	if _, err := a.DB.Exec(sys, `UPDATE broadcasts SET send_at = ? WHERE id = ?`, time.Now().Add(-time.Minute).UTC(), id); err != nil {
		t.Fatal(err)
	}
	runScheduler(t, n)
	for _, to := range net.getsIt {
		m := waitMailWith(t, mp, to, subject)
		name := strings.TrimSuffix(to, "@example.org")
		if !strings.Contains(strings.ToLower(m.Text), "hello "+name) {
			t.Errorf("the mail to %s is not personalised:\n%s", to, m.Text)
		}
	}
	wantProgress(t, tab, n.URL+"/messages/"+id, "2 of 2")
	wantText(t, tab, "main h1", subject)
	for _, m := range mp.Messages(t) {
		for _, to := range m.To {
			for _, not := range net.doesNot {
				if strings.EqualFold(to, not) {
					t.Errorf("%s got %q", not, m.Subject)
				}
			}
		}
	}
	wantFits(t, tab)
	tab.Screenshot("messages-sent-" + screen + "-" + engineName(dbURL) + ".png")
	wantCleanConsole(t, tab)
}

// setValue sets a control's value as a person choosing it would (a
// textarea chromedp cannot clear while empty, a date picker, a select) and
// tells the page it changed.
func setValue(t *testing.T, tab *browsertest.Tab, sel, value string) {
	t.Helper()
	ok := browsertest.Eval[bool](tab, `((sel, value) => {
		const el = document.querySelector(sel);
		if (!el) return false;
		el.value = value;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return el.value === value;
	})(`+strconv.Quote(sel)+`, `+strconv.Quote(value)+`)`)
	if !ok {
		t.Fatalf("could not set %s to %q", sel, value)
	}
}

// runScheduler makes the scheduler look for broadcasts whose time has
// come now, as its periodic job does.
func runScheduler(t *testing.T, n *apptest.Node) {
	t.Helper()
	if _, err := n.App.Jobs.Insert(auth.WithSystem(context.Background()), messaging.ScheduleArgs{}, nil); err != nil {
		t.Fatal(err)
	}
}

// wantProgress reloads a broadcast's page until it says it is sent with
// the figure want ("2 of 2").
func wantProgress(t *testing.T, tab *browsertest.Tab, u, want string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		tab.Navigate(u)
		text := tab.Text("#progress")
		if strings.Contains(text, "Sent") && strings.Contains(text, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the broadcast's page says %q, want it sent, %s", text, want)
		}
	}
}

// waitMailWith waits for a mail to to whose subject contains subject.
func waitMailWith(t *testing.T, mp *mailtest.Mailpit, to, subject string) *mailtest.Received {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		for _, m := range mp.Messages(t) {
			if strings.Contains(m.Subject, subject) && len(m.To) > 0 && strings.EqualFold(m.To[0], to) {
				return &m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail %q to %s arrived", subject, to)
		}
	}
}

var messageIDInPath = regexp.MustCompile(`^/messages/([^/]+)(/preview)?$`)

// TestMessagingWithoutJavaScript: the compose form works as plain HTTP, as
// a browser without JavaScript uses it: the form names the audience and
// its count, a mistake comes back beside its field with a summary that
// links to it, saving redirects to the preview, the live-preview address
// answers with the mail under a strict policy of its own, and "Send now"
// first asks, stating the count.
func TestMessagingWithoutJavaScript(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		net := setUpMessaging(t, n)
		c := apptest.Client(t)
		n.Login(t, c, net.orgEmail, net.orgPass)
		gid := net.group.ID

		res := apptest.Get(t, c, n.URL+"/messages/new?group="+gid)
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "Members of Hackney Momentum") || !strings.Contains(res.Body, "3 people</strong> will get this") {
			t.Fatalf("compose page: %d\n%s", res.Status, res.Body)
		}
		form := url.Values{"group": {gid}, "target": {"group:" + gid}, "subject": {""}, "body": {"Hello {{first_name}}"}, "next": {"preview"}}
		res = apptest.PostForm(t, c, n.URL+"/messages", form)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `href="#f-subject"`) || !strings.Contains(res.Body, `id="f-subject-error"`) ||
			!strings.Contains(res.Body, "Hello {{first_name}}") {
			t.Fatalf("a message without a subject: %d\n%s", res.Status, res.Body)
		}
		form.Set("subject", "Meeting on Thursday")
		res = apptest.PostForm(t, c, n.URL+"/messages", form)
		m := messageIDInPath.FindStringSubmatch(res.Header.Get("Location"))
		if res.Status != http.StatusSeeOther || m == nil || m[2] != "/preview" {
			t.Fatalf("create: %d, Location %q", res.Status, res.Header.Get("Location"))
		}
		id := m[1]
		res = apptest.Get(t, c, n.URL+"/messages/"+id+"/preview")
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "Meeting on Thursday") {
			t.Fatalf("preview page: %d\n%s", res.Status, res.Body)
		}
		res = apptest.PostForm(t, c, n.URL+"/messages/preview", url.Values{"id": {id}, "target": {"group:" + gid}, "group": {gid},
			"subject": {"Meeting on Thursday"}, "body": {"Typed just now, {{first_name}}."}})
		if csp := res.Header.Get("Content-Security-Policy"); res.Status != http.StatusOK || !strings.Contains(csp, "sandbox") ||
			!strings.Contains(csp, "default-src 'none'") || !strings.Contains(res.Body, "Typed just now") {
			t.Fatalf("live preview: %d, CSP %q\n%s", res.Status, csp, res.Body)
		}
		res = apptest.PostForm(t, c, n.URL+"/messages/"+id+"/send", nil)
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "Send to 3 people now?") {
			t.Fatalf("send without confirming: %d\n%s", res.Status, res.Body)
		}
		if b, err := n.App.Messaging.Get(auth.WithSystem(context.Background()), id); err != nil || b.Status != messaging.StatusDraft {
			t.Fatalf("after the question, the message is %+v, %v; want still a draft", b, err)
		}
	})
}
