package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// ActionsWorld (issue 14) is a running node with two groups, A and B, each
// with an organiser signed in on a client of their own, and an open
// petition of group A. The acceptance tests reuse it.
type ActionsWorld struct {
	N              *apptest.Node
	GroupA, GroupB *groups.Group
	// OrgA and OrgB are signed-in clients of the two groups' organisers;
	// OrgACtx acts as group A's organiser in service calls.
	OrgA, OrgB *http.Client
	OrgACtx    context.Context
	Petition   *actions.Action
}

// StartActionsWorld starts the world on the engine at dbURL ("" SQLite).
func StartActionsWorld(t *testing.T, o apptest.Options) *ActionsWorld {
	t.Helper()
	n := apptest.Start(t, o)
	a := n.App
	sys := auth.WithSystem(context.Background())
	w := &ActionsWorld{N: n}
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	mk := func(name, district string) *groups.Group {
		g, err := a.Groups.Create(sys, groups.Input{Name: name, Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{district}})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	w.GroupA, w.GroupB = mk("Hackney Renters", "E8"), mk("Camden Renters", "NW1")
	login := func(email, pass string, g *groups.Group) (*http.Client, *auth.User) {
		u := n.CreateUser(t, email, pass, auth.RoleMember)
		pid, err := a.People.Match(sys, email, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: g.ID, PersonID: pid, Role: groups.RoleOrganiser}}); err != nil {
			t.Fatal(err)
		}
		c := apptest.Client(t)
		n.Login(t, c, email, pass)
		return c, u
	}
	var ua *auth.User
	w.OrgA, ua = login("orga@example.org", "organiser A's long password", w.GroupA)
	w.OrgB, _ = login("orgb@example.org", "organiser B's long password", w.GroupB)
	w.OrgACtx = auth.WithPrincipal(context.Background(), &auth.Principal{UserID: ua.ID, Role: auth.RoleMember, Verified: true})
	p, err := a.Actions.Create(w.OrgACtx, actions.Input{Kind: actions.KindPetition, GroupID: w.GroupA.ID, Slug: "fix-the-damp",
		Title: "Fix the damp in Hackney's council flats", Target: "Hackney Council", Text: "Mould makes **children** ill.",
		Goal: 100, Comments: true, ConsentWording: "Yes, email me about renters' campaigns.", Tags: []string{"damp-petition"},
		ThanksSubject: "Thank you, {{given_name}}", ThanksText: "You signed {{title}}."})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Actions.SetStatus(w.OrgACtx, p.ID, actions.StatusOpen); err != nil {
		t.Fatal(err)
	}
	w.Petition = p
	return w
}

var renderedRE = regexp.MustCompile(`name="rendered" value="([^"]+)"`)

// FormToken fetches a fresh form token for an action's embed, as the
// script does, and waits out the minimum fill time once.
func FormToken(t *testing.T, base, slug string, wait bool) string {
	t.Helper()
	res := apptest.Get(t, http.DefaultClient, base+"/embed/act/"+slug+"/token")
	if res.Status != http.StatusOK {
		t.Fatalf("token: %d %s", res.Status, res.Body)
	}
	var v struct{ Token string }
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil || v.Token == "" {
		t.Fatalf("token: %v %s", err, res.Body)
	}
	if wait {
		time.Sleep(2100 * time.Millisecond)
	}
	return v.Token
}

// EmbedPost posts fields to an embed's POST as a script on origin does
// (fetch, no credentials, asking for JSON), with c's cookies if c is given.
func EmbedPost(t *testing.T, c *http.Client, u, origin string, fields url.Values) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(fields.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", origin)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if c == nil {
		c = apptest.Client(t)
	}
	return apptest.Do(t, c, req)
}

func signer(given, email, token string) url.Values {
	return url.Values{"given_name": {given}, "family_name": {"Okafor"}, "email": {email}, "postcode": {"E8 1DY"},
		"email_opt_in": {"true"}, "rendered": {token}, "website": {""}}
}

func wantBody(t *testing.T, what string, res apptest.Response, status int, contains ...string) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.Status, status, clipBody(res.Body))
	}
	for _, s := range contains {
		if !strings.Contains(res.Body, s) {
			t.Errorf("%s: the answer lacks %q\n%s", what, s, clipBody(res.Body))
		}
	}
}

func clipBody(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// TestActionsOrganiserPages: an organiser lists, creates (with field
// errors first), opens, edits and closes a form with questions through the
// pages; the manage page shows the embed code; the organiser of another
// group can open neither its manage page nor its signer list nor its CSV.
func TestActionsOrganiserPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		w := StartActionsWorld(t, apptest.Options{DatabaseURL: dbURL})
		u := w.N.URL
		wantBody(t, "list", apptest.Get(t, w.OrgA, u+"/actions"), 200, "New petition", "New form", "Fix the damp", `<progress`)
		wantBody(t, "new", apptest.Get(t, w.OrgA, u+"/actions/new?kind=form&group="+w.GroupA.ID), 200,
			`name="q_key_0"`, `name="q_choices_2"`, `name="consent_wording"`, "Hackney Renters")
		wantBody(t, "anonymous list", apptest.Get(t, apptest.Client(t), u+"/actions"), http.StatusSeeOther)

		f := url.Values{"kind": {"form"}, "group_id": {w.GroupA.ID}, "title": {""}, "slug": {"Bad Slug!"}, "goal": {"many"},
			"q_key_0": {"rooms"}, "q_label_0": {"How many rooms?"}, "q_kind_0": {"number"}}
		res := apptest.PostForm(t, w.OrgA, u+"/actions", f)
		wantBody(t, "bad form", res, http.StatusUnprocessableEntity, `id="f-title-error"`, `id="f-slug-error"`, "How many rooms?")
		// A petition's goal that is no number is named beside the goal, with the service's errors.
		res = apptest.PostForm(t, w.OrgA, u+"/actions", url.Values{"kind": {"petition"}, "group_id": {w.GroupA.ID}, "goal": {"many"}})
		wantBody(t, "bad goal", res, http.StatusUnprocessableEntity, `id="f-goal-error"`, `id="f-title-error"`, "whole number")
		f.Set("title", "Repairs survey")
		f.Set("slug", "repairs-survey")
		f.Set("goal", "")
		f.Set("tags", "repairs, survey")
		f.Set("consent_wording", "Yes, email me about repairs campaigns.")
		f.Set("q_key_1", "landlord")
		f.Set("q_label_1", "Who is your landlord?")
		f.Set("q_kind_1", "choice")
		f.Set("q_choices_1", "Council\nHousing association\nPrivate")
		f.Set("q_required_1", "true")
		res = apptest.PostForm(t, w.OrgA, u+"/actions", f)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %v", res.Status, regexp.MustCompile(`field__error"[^>]*>.*?</p>`).FindAllString(res.Body, -1))
		}
		manage := res.Header.Get("Location")
		if !strings.HasPrefix(manage, "/actions/") {
			t.Fatalf("create went to %q", manage)
		}
		id := strings.TrimPrefix(manage, "/actions/")
		wantBody(t, "manage", apptest.Get(t, w.OrgA, u+manage), 200, "draft", "Open it",
			"/embed/act/repairs-survey.js", "&lt;iframe src=&#34;"+u+"/embed/act/repairs-survey&#34;", u+"/act/repairs-survey")
		wantBody(t, "draft is not public", apptest.Get(t, apptest.Client(t), u+"/act/repairs-survey"), http.StatusNotFound)
		wantBody(t, "open", apptest.PostForm(t, w.OrgA, u+manage+"/status", url.Values{"status": {"open"}}), http.StatusSeeOther)
		wantBody(t, "public", apptest.Get(t, apptest.Client(t), u+"/act/repairs-survey"), 200, "Who is your landlord?", `name="a_landlord"`, `name="a_rooms"`)
		wantBody(t, "edit", apptest.Get(t, w.OrgA, u+manage+"/edit"), 200, `value="Repairs survey"`, "Housing association")
		f.Set("title", "Repairs survey 2027")
		wantBody(t, "update", apptest.PostForm(t, w.OrgA, u+manage, f), http.StatusSeeOther)
		f.Set("q_kind_0", "nonsense")
		wantBody(t, "bad update", apptest.PostForm(t, w.OrgA, u+manage, f), http.StatusUnprocessableEntity, `f-q_kind_0-error`)
		wantBody(t, "renamed", apptest.Get(t, w.OrgA, u+manage), 200, "Repairs survey 2027", "Close it")
		wantBody(t, "close", apptest.PostForm(t, w.OrgA, u+manage+"/status", url.Values{"status": {"closed"}}), http.StatusSeeOther)
		wantBody(t, "closed page", apptest.Get(t, apptest.Client(t), u+"/act/repairs-survey"), 200, "is closed")

		// Group B's organiser: none of group A's.
		for _, p := range []string{manage, manage + "/edit", manage + "/responses", manage + "/responses.csv",
			"/actions/" + w.Petition.ID, "/actions/" + w.Petition.ID + "/responses"} {
			if res := apptest.Get(t, w.OrgB, u+p); res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
				t.Errorf("organiser B GET %s: %d, want 403 or 404", p, res.Status)
			}
		}
		if res := apptest.PostForm(t, w.OrgB, u+"/actions/"+id+"/status", url.Values{"status": {"open"}}); res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
			t.Errorf("organiser B opens A's form: %d", res.Status)
		}
		if strings.Contains(apptest.Get(t, w.OrgB, u+"/actions").Body, "Fix the damp") {
			t.Errorf("organiser B's list shows group A's petition")
		}
		// Group A's page shows its organiser the group's petitions and forms; others, nothing.
		wantBody(t, "group page", apptest.Get(t, w.OrgA, u+"/groups/"+w.GroupA.Slug), 200, "Petitions and forms", "Fix the damp", "Start a petition")
		if b := apptest.Get(t, w.OrgB, u+"/groups/"+w.GroupA.Slug).Body; strings.Contains(b, "Petitions and forms") {
			t.Errorf("organiser B sees group A's petitions panel")
		}
	})
}

// TestActionsPublicSign: the petition's page (with its Open Graph card)
// is signed through its form: 303 to the thank-you page; a missing email
// is refused beside the field (422); a filled honeypot changes nothing; a
// form sent at once is refused as too quick; a forged token is refused;
// the organiser's signer list and CSV show the signer.
func TestActionsPublicSign(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		w := StartActionsWorld(t, apptest.Options{DatabaseURL: dbURL})
		u, slug := w.N.URL, w.Petition.Slug
		c := apptest.Client(t)
		page := apptest.Get(t, c, u+"/act/"+slug)
		wantBody(t, "page", page, 200, `<meta property="og:title" content="Fix the damp in Hackney&#39;s council flats">`,
			`<meta property="og:url" content="`+u+`/act/fix-the-damp">`, `property="og:description"`, `property="og:type"`,
			`name="twitter:card"`, "<strong>children</strong>", `data-live="/act/fix-the-damp/live"`, `name="website"`,
			`tabindex="-1"`, `aria-hidden="true"`, "Hackney Council", "https://wa.me/?text=")
		m := renderedRE.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatal("no form token on the page")
		}
		tok := m[1]

		quick := apptest.PostForm(t, c, u+"/act/"+slug, signer("Quick", "quick@example.org", tok))
		wantBody(t, "too quick", quick, http.StatusUnprocessableEntity, "quick")
		time.Sleep(2100 * time.Millisecond)

		bad := signer("Ngozi", "", tok)
		wantBody(t, "no email", apptest.PostForm(t, c, u+"/act/"+slug, bad), http.StatusUnprocessableEntity, `id="f-email-error"`, `value="Ngozi"`)
		forged := signer("Forger", "forger@example.org", "1700000000.AAAA")
		wantBody(t, "forged token", apptest.PostForm(t, c, u+"/act/"+slug, forged), http.StatusUnprocessableEntity, "expired")

		res := apptest.PostForm(t, c, u+"/act/"+slug, signer("Ngozi", "ngozi@example.org", tok))
		wantBody(t, "sign", res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/act/fix-the-damp/thanks" {
			t.Fatalf("sign went to %q", loc)
		}
		wantBody(t, "thanks", apptest.Get(t, c, u+"/act/fix-the-damp/thanks"), 200, "Thank you", "1</span> of 100", "Share it")

		bot := signer("Bot", "bot@example.org", tok)
		bot.Set("website", "http://spam.example")
		wantBody(t, "honeypot", apptest.PostForm(t, c, u+"/act/"+slug, bot), http.StatusSeeOther)
		if a, _ := w.N.App.Actions.Public(context.Background(), slug); a.Count != 1 {
			t.Errorf("count after a signature and a bot: %d, want 1", a.Count)
		}
		wantBody(t, "signer list", apptest.Get(t, w.OrgA, u+"/actions/"+w.Petition.ID+"/responses"), 200, "Ngozi Okafor", "page")
		csv := apptest.Get(t, w.OrgA, u+"/actions/"+w.Petition.ID+"/responses.csv")
		wantBody(t, "csv", csv, 200, "id,person_id,name,email,comment,source", "Ngozi Okafor")
		if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("csv content type %q", ct)
		}
		if strings.Contains(csv.Body, "Bot") {
			t.Errorf("the honeypot's bot is in the CSV")
		}
		wantBody(t, "confirm bad link", apptest.Get(t, c, u+"/act/confirm/not-a-token"), http.StatusNotFound)
	})
}

// TestActionsEmbed: the script and the iframe page are served to other
// sites (the script as JavaScript, the iframe page frameable); the CORS
// preflight answers the Origin; a submission from another origin, with no
// cookie, is accepted and answered as JSON with CORS headers and recorded
// as "embed: <host>"; field errors come back as JSON; a signed-in
// organiser's session cookie sent along is never used; the iframe's plain
// form post gets a page. Public events have the same embeds, RSVPing as a
// guest.
func TestActionsEmbed(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		w := StartActionsWorld(t, apptest.Options{DatabaseURL: dbURL})
		u, slug := w.N.URL, w.Petition.Slug
		const origin = "https://renters-campaign.example"
		anon := apptest.Client(t)

		js := apptest.Get(t, anon, u+"/embed/act/"+slug+".js")
		wantBody(t, "script", js, 200, `"post":"`+u+`/embed/act/fix-the-damp"`, "Sign the petition", "mm-embed", "email_opt_in")
		if ct := js.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
			t.Errorf("script content type %q", ct)
		}
		if cc := js.Header.Get("Cache-Control"); !strings.Contains(cc, "public") {
			t.Errorf("script cache control %q", cc)
		}
		wantBody(t, "missing script", apptest.Get(t, anon, u+"/embed/act/no-such.js"), http.StatusNotFound)

		frame := apptest.Get(t, anon, u+"/embed/act/"+slug)
		wantBody(t, "iframe", frame, 200, `action="/embed/act/fix-the-damp"`, `name="rendered"`)
		if frame.Header.Get("X-Frame-Options") != "" || !strings.Contains(frame.Header.Get("Content-Security-Policy"), "frame-ancestors *") {
			t.Errorf("iframe page not frameable: XFO %q, CSP %q", frame.Header.Get("X-Frame-Options"), frame.Header.Get("Content-Security-Policy"))
		}
		if home := apptest.Get(t, anon, u+"/act/"+slug); home.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("the public page may be framed: %q", home.Header.Get("X-Frame-Options"))
		}

		pre, _ := http.NewRequest("OPTIONS", u+"/embed/act/"+slug, nil)
		pre.Header.Set("Origin", origin)
		pre.Header.Set("Access-Control-Request-Method", "POST")
		pre.Header.Set("Access-Control-Request-Headers", "content-type")
		res := apptest.Do(t, anon, pre)
		if res.Status != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != origin ||
			res.Header.Get("Access-Control-Allow-Methods") != "POST" || res.Header.Get("Access-Control-Allow-Headers") != "Content-Type" ||
			res.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Fatalf("preflight: %d %v", res.Status, res.Header)
		}

		tok := FormToken(t, u, slug, true)
		bad := EmbedPost(t, nil, u+"/embed/act/"+slug, origin, signer("", "not-an-email", tok))
		wantBody(t, "embed field errors", bad, http.StatusUnprocessableEntity, `"fields"`, `"email"`)
		if bad.Header.Get("Access-Control-Allow-Origin") != origin {
			t.Errorf("error answer lacks CORS: %v", bad.Header)
		}
		ok := EmbedPost(t, nil, u+"/embed/act/"+slug, origin, signer("Amara", "amara@example.org", tok))
		wantBody(t, "embed sign", ok, 200, `"ok":true`, `"count":1`, "Thank you")
		if ok.Header.Get("Access-Control-Allow-Origin") != origin || ok.Header.Get("Set-Cookie") != "" {
			t.Errorf("embed answer headers: %v", ok.Header)
		}
		// A foreign Origin is refused on any other POST: the bypass is the embeds' only.
		if res := EmbedPost(t, nil, u+"/act/"+slug, origin, signer("X", "x@example.org", tok)); res.Status != http.StatusForbidden {
			t.Errorf("cross-origin POST to the page's own form: %d, want 403", res.Status)
		}

		// Organiser A is signed in on this browser; the embed must not
		// act as them, nor refresh or read their session.
		withSession := EmbedPost(t, w.OrgA, u+"/embed/act/"+slug, origin, signer("Bea", "bea@example.org", tok))
		wantBody(t, "embed with a session cookie", withSession, 200, `"ok":true`, `"count":2`)
		if withSession.Header.Get("Set-Cookie") != "" {
			t.Errorf("the embed touched the session: %v", withSession.Header.Values("Set-Cookie"))
		}
		list, err := w.N.App.Actions.Responses(w.OrgACtx, w.Petition.ID, "", 10)
		if err != nil || len(list) != 2 {
			t.Fatalf("responses: %v %d", err, len(list))
		}
		for _, r := range list {
			if r.Source != "embed: renters-campaign.example" {
				t.Errorf("source %q", r.Source)
			}
			if strings.HasPrefix(r.Name, "orga") {
				t.Errorf("the embed signed as the signed-in organiser: %q", r.Name)
			}
		}

		// A JSON body (the preflighted kind) works as well.
		jreq, _ := http.NewRequest("POST", u+"/embed/act/"+slug, strings.NewReader(
			`{"given_name":"Dara","email":"dara@example.org","email_opt_in":true,"rendered":"`+tok+`"}`))
		jreq.Header.Set("Content-Type", "application/json")
		jreq.Header.Set("Origin", origin)
		jreq.Header.Set("Sec-Fetch-Site", "cross-site")
		wantBody(t, "embed JSON body", apptest.Do(t, anon, jreq), 200, `"ok":true`, `"count":3`)

		// The iframe's own plain form post: a page, not JSON.
		ifr := url.Values{"embedded_on": {"renters-campaign.example"}}
		for k, v := range signer("Chi", "chi@example.org", tok) {
			ifr[k] = v
		}
		res = apptest.PostForm(t, anon, u+"/embed/act/"+slug, ifr)
		wantBody(t, "iframe post", res, 200, "Thank you for signing", "4</span> of 100")

		// A public event's embed: the guest RSVP.
		sys := auth.WithSystem(context.Background())
		day := time.Now().AddDate(0, 0, 5)
		mkEvent := func(title, vis string) *events.Event {
			e, err := w.N.App.Events.Create(sys, events.Input{GroupID: w.GroupA.ID, Title: title, Visibility: vis,
				Place: events.Place{Name: "Round Chapel"},
				Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
				End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		ev, private := mkEvent("Renters' assembly", events.Public), mkEvent("Organisers' meeting", events.Group)
		wantBody(t, "event script", apptest.Get(t, anon, u+"/embed/events/"+ev.ID+".js"), 200, "Renters' assembly", `"countLabel":"going"`)
		wantBody(t, "event iframe", apptest.Get(t, anon, u+"/embed/events/"+ev.ID), 200, `name="status"`, "Round Chapel")
		wantBody(t, "private event script", apptest.Get(t, anon, u+"/embed/events/"+private.ID+".js"), http.StatusNotFound)
		wantBody(t, "private event iframe", apptest.Get(t, anon, u+"/embed/events/"+private.ID), http.StatusNotFound)
		tr := apptest.Get(t, anon, u+"/embed/events/"+ev.ID+"/token")
		var et struct{ Token string }
		json.Unmarshal([]byte(tr.Body), &et)
		rsvp := url.Values{"name": {"Dev Patel"}, "email": {"dev@example.org"}, "status": {"accepted"}, "email_opt_in": {"true"}, "rendered": {et.Token}}
		wantBody(t, "rsvp too quick", EmbedPost(t, nil, u+"/embed/events/"+ev.ID, origin, rsvp), http.StatusUnprocessableEntity)
		time.Sleep(2100 * time.Millisecond)
		res = EmbedPost(t, nil, u+"/embed/events/"+ev.ID, origin, rsvp)
		wantBody(t, "rsvp", res, 200, `"ok":true`, `"count":1`, "you're coming")
		if res.Header.Get("Access-Control-Allow-Origin") != origin {
			t.Errorf("rsvp answer lacks CORS")
		}
		hp := url.Values{"name": {"Bot"}, "email": {"bot@example.org"}, "status": {"accepted"}, "website": {"x"}, "rendered": {et.Token}}
		wantBody(t, "rsvp honeypot", EmbedPost(t, nil, u+"/embed/events/"+ev.ID, origin, hp), http.StatusUnprocessableEntity)
		wantBody(t, "private rsvp", EmbedPost(t, nil, u+"/embed/events/"+private.ID, origin, rsvp), http.StatusNotFound)
	})
}

var confirmLinkRE = regexp.MustCompile(`/act/confirm/[A-Za-z0-9_-]+`)

// TestActionsDoubleOptIn: where the network asks for double opt-in, a
// signature from the page leads to "check your email", does not count
// until the mailed link is followed, and the link (a plain page, no
// JavaScript) confirms it once.
func TestActionsDoubleOptIn(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		w := StartActionsWorld(t, apptest.Options{DatabaseURL: dbURL, Configure: func(c *config.Config) { c.DoubleOptIn = true }})
		u, slug := w.N.URL, w.Petition.Slug
		c := apptest.Client(t)
		tok := FormToken(t, u, slug, true)
		res := apptest.PostForm(t, c, u+"/act/"+slug, signer("Ife", "ife@example.org", tok))
		wantBody(t, "sign", res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/act/"+slug+"/thanks?pending=1" {
			t.Fatalf("sign went to %q", loc)
		}
		wantBody(t, "check your email", apptest.Get(t, c, u+res.Header.Get("Location")), 200, "Check your email", "0</span> of 100")
		ms, err := w.N.App.Mail.Outbox(auth.WithSystem(context.Background()), mail.OutboxFilter{To: "ife@example.org"})
		if err != nil || len(ms) == 0 {
			t.Fatalf("no confirmation mail: %v", err)
		}
		link := confirmLinkRE.FindString(ms[0].Text)
		if link == "" {
			t.Fatalf("no confirmation link in:\n%s", ms[0].Text)
		}
		page := apptest.Get(t, c, u+link)
		wantBody(t, "confirm", page, 200, "it's confirmed", "1</span> of 100")
		if strings.Contains(page.Body, "<script src=\"/embed") {
			t.Errorf("the confirmation page needs a script")
		}
		if a, _ := w.N.App.Actions.Public(context.Background(), slug); a.Count != 1 {
			t.Errorf("count after confirming: %d", a.Count)
		}
		if res := apptest.Get(t, c, u+link); res.Status != http.StatusNotFound && res.Status != http.StatusOK {
			t.Errorf("the link followed twice: %d", res.Status)
		}
	})
}
