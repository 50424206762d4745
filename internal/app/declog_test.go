package app_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// The decision log, the feeds and the open data (issue 13), through the
// pages, on both engines. Group A holds, among others, a public event, a
// members-only event and a group-only event, a decision published as a
// public record, one published for members only and one closed and not
// yet published. Only the public items may ever reach a visitor, a feed
// or an export.

type logFixture struct {
	n                         *apptest.Node
	a                         *app.App
	gA, gB                    *groups.Group
	pubEv, membersEv, groupEv string
	pubDec, privDec, closed   string
	// Threads and documents as the search index holds them (talk and the
	// library write them): one of each visibility.
	pubDoc, membersDoc, groupDoc string
	anon, memberA, orgB          *http.Client
}

// The public items' titles start with a formula, to show the export guards
// its cells; the private ones' titles must never appear.
const (
	pubEventTitle = "=HYPERLINK(1) public meeting"
	pubDecTitle   = "@SUM(1) public vote"
)

func newLogFixture(t *testing.T, dbURL string) *logFixture {
	t.Helper()
	n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
	a := n.App
	sys := auth.WithSystem(context.Background())
	f := &logFixture{n: n, a: a}
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	var err error
	if f.gA, err = a.Groups.Create(sys, groups.Input{Name: "Hackney", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}}); err != nil {
		t.Fatal(err)
	}
	if f.gB, err = a.Groups.Create(sys, groups.Input{Name: "Leeds", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"LS1"}}); err != nil {
		t.Fatal(err)
	}
	var ms []groups.NewMember
	for _, u := range []struct {
		email string
		group string
		role  string
	}{{"mem.a@example.org", f.gA.ID, groups.RoleMember}, {"org.b@example.org", f.gB.ID, groups.RoleOrganiser}} {
		n.CreateUser(t, u.email, "Password-For-log", auth.RoleMember)
		id, err := a.People.Match(sys, u.email, "")
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, groups.NewMember{GroupID: u.group, PersonID: id, Role: u.role})
	}
	if _, err := a.Groups.ImportMembers(sys, ms); err != nil {
		t.Fatal(err)
	}
	day := time.Now().AddDate(0, 0, 3)
	ev := func(title, vis string) string {
		e, err := a.Events.Create(sys, events.Input{GroupID: f.gA.ID, Title: title, Visibility: vis,
			Place: events.Place{Name: "Round Chapel", Address: "1 Powerscroft Road"},
			Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
			End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	f.pubEv, f.membersEv, f.groupEv = ev(pubEventTitle, events.Public), ev("Members-only social", events.Members), ev("Group-only planning", events.Group)
	now := time.Now().UTC().Truncate(time.Second)
	closes := now.Add(2 * time.Second)
	dec := func(title, topic string) string {
		d, err := a.Decisions.Create(sys, decisions.Input{GroupID: f.gA.ID, Title: title, Topic: topic, Kind: decisions.KindPoll,
			Options: []decisions.OptionInput{{Label: "Library"}, {Label: "Pub"}}, OpensAt: now.Add(-time.Minute), ClosesAt: closes})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.StartDiscussion(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Decisions.OpenVoting(sys, d.ID); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	f.pubDec, f.privDec, f.closed = dec(pubDecTitle, "housing"), dec("Members-record vote", "housing"), dec("Unpublished vote", "budget")
	time.Sleep(time.Until(closes))
	for _, id := range []string{f.pubDec, f.privDec, f.closed} {
		if _, err := a.Decisions.Close(sys, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Decisions.Publish(sys, f.pubDec, "We meet at the library.", decisions.PublicRecord); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Decisions.Publish(sys, f.privDec, "Kept among members."); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.InTx(sys, func(tx *db.Tx) error {
		for _, d := range []struct {
			id   *string
			kind string
			vis  search.Visibility
		}{{&f.pubDoc, search.KindThread, search.Public}, {&f.membersDoc, search.KindDocument, search.Members}, {&f.groupDoc, search.KindThread, search.Group}} {
			*d.id = db.NewID()
			if err := search.Put(sys, tx, search.Doc{Kind: d.kind, ID: *d.id, GroupID: f.gA.ID, Visibility: d.vis,
				Title: "A " + string(d.vis) + " " + d.kind, Body: "Rent strike plans.", URL: "/talk/t/" + *d.id, At: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	f.anon, f.memberA, f.orgB = apptest.Client(t), apptest.Client(t), apptest.Client(t)
	n.Login(t, f.memberA, "mem.a@example.org", "Password-For-log")
	n.Login(t, f.orgB, "org.b@example.org", "Password-For-log")
	return f
}

// private are what must never reach a visitor or a feed.
func (f *logFixture) private() []string {
	return []string{f.membersEv, f.groupEv, f.privDec, f.closed, "Members-only social", "Group-only planning",
		"Members-record vote", "Unpublished vote", "Kept among members"}
}

func get(t *testing.T, c *http.Client, u string, status int) apptest.Response {
	t.Helper()
	res := apptest.Get(t, c, u)
	if res.Status != status {
		t.Fatalf("GET %s: status %d, want %d\n%s", u, res.Status, status, res.Body)
	}
	return res
}

func TestDecisionLogPublicData(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		f := newLogFixture(t, dbURL)
		u := f.n.URL
		t.Run("LogPage", func(t *testing.T) {
			res := get(t, f.anon, u+"/decisions/log", http.StatusOK)
			for _, want := range []string{"We meet at the library.", `href="/decisions/log.atom"`, `rel="alternate" type="application/atom+xml"`,
				`href="/talk/on/decision/` + f.pubDec + `"`, `href="/decisions/` + f.pubDec + `/results"`, `href="/decisions/log?topic=housing"`} {
				if !strings.Contains(res.Body, want) {
					t.Errorf("the visitor's log lacks %q", want)
				}
			}
			for _, not := range f.private() {
				if strings.Contains(res.Body, not) {
					t.Errorf("the visitor's log shows %q", not)
				}
			}
			res = get(t, f.orgB, u+"/decisions/log", http.StatusOK)
			if !strings.Contains(res.Body, f.pubDec) || strings.Contains(res.Body, f.privDec) || strings.Contains(res.Body, f.closed) {
				t.Error("another group's organiser sees group A's unpublished or members' records")
			}
			res = get(t, f.memberA, u+"/decisions/log", http.StatusOK)
			for _, id := range []string{f.pubDec, f.privDec, f.closed} {
				if !strings.Contains(res.Body, id) {
					t.Errorf("the member's log lacks %s", id)
				}
			}
			res = get(t, f.memberA, u+"/decisions/log?topic=budget", http.StatusOK)
			if !strings.Contains(res.Body, f.closed) || strings.Contains(res.Body, f.pubDec) {
				t.Error("the topic filter does not filter")
			}
			res = get(t, f.memberA, u+"/decisions/log?group="+f.gB.ID, http.StatusOK)
			if strings.Contains(res.Body, f.pubDec) {
				t.Error("the group filter does not filter")
			}
			get(t, f.memberA, u+"/decisions/log?from=2026-13-45", http.StatusUnprocessableEntity)
			get(t, f.memberA, u+"/decisions/log?page=0", http.StatusUnprocessableEntity)
			get(t, f.memberA, u+"/decisions/log?topic="+url.QueryEscape(strings.Repeat("x", 61)), http.StatusUnprocessableEntity)
			res = get(t, f.memberA, u+"/decisions", http.StatusOK)
			if !strings.Contains(res.Body, `href="/decisions/log"`) {
				t.Error("/decisions does not link the log")
			}
			// The public record's page and results are open to the visitor
			// the log links them to.
			get(t, f.anon, u+"/decisions/"+f.pubDec, http.StatusOK)
			get(t, f.anon, u+"/decisions/"+f.pubDec+"/results", http.StatusOK)
			if res := apptest.Get(t, f.anon, u+"/decisions/"+f.privDec+"/results"); res.Status == http.StatusOK {
				t.Error("a members' record's results are open to a visitor")
			}
		})
		t.Run("LogFeed", func(t *testing.T) {
			for _, c := range []*http.Client{f.anon, f.memberA} { // a session changes nothing
				feed := readFeed(t, c, u+"/decisions/log.atom")
				if ids := feed.ids(); !slices.Equal(ids, []string{"urn:uuid:" + f.pubDec}) {
					t.Errorf("log feed entries %v, want the public record only", ids)
				}
				if feed.Entries[0].Title != pubDecTitle || !strings.Contains(feed.Entries[0].Summary, "We meet at the library.") {
					t.Errorf("entry %+v", feed.Entries[0])
				}
			}
		})
		t.Run("GroupFeed", func(t *testing.T) {
			res := get(t, f.anon, u+"/groups/"+f.gA.Slug, http.StatusOK)
			if !strings.Contains(res.Body, `href="/groups/`+f.gA.Slug+`/feed.atom"`) {
				t.Error("the group page does not announce its feed")
			}
			for _, c := range []*http.Client{f.anon, f.memberA} {
				feed := readFeed(t, c, u+"/groups/"+f.gA.Slug+"/feed.atom")
				ids := feed.ids()
				for _, want := range []string{f.pubEv, f.pubDec, f.pubDoc} {
					if !slices.Contains(ids, "urn:uuid:"+want) {
						t.Errorf("group feed %v lacks %s", ids, want)
					}
				}
				for _, not := range []string{f.membersEv, f.groupEv, f.privDec, f.closed, f.membersDoc, f.groupDoc} {
					if slices.Contains(ids, "urn:uuid:"+not) {
						t.Errorf("group feed holds the private %s", not)
					}
				}
			}
			get(t, f.anon, u+"/groups/no-such-group/feed.atom", http.StatusNotFound)
		})
		t.Run("OpenData", func(t *testing.T) {
			res := get(t, f.anon, u+"/open-data", http.StatusOK)
			for _, want := range []string{"/open-data/decisions.csv", "/open-data/events.json", "Licence"} {
				if !strings.Contains(res.Body, want) {
					t.Errorf("the open-data page lacks %q", want)
				}
			}
			rows := readCSV(t, f.memberA, u+"/open-data/decisions.csv")
			if len(rows) != 2 || rows[0][0] != "id" || rows[1][0] != f.pubDec {
				t.Fatalf("decisions.csv %q", rows)
			}
			if rows[1][1] != "'"+pubDecTitle {
				t.Errorf("title cell %q: the formula is not guarded", rows[1][1])
			}
			var decs []map[string]any
			readJSON(t, f.anon, u+"/open-data/decisions.json", &decs)
			if len(decs) != 1 || decs[0]["id"] != f.pubDec || decs[0]["title"] != pubDecTitle || decs[0]["topic"] != "housing" ||
				decs[0]["outcome_statement"] != "We meet at the library." {
				t.Errorf("decisions.json %v", decs)
			}
			rows = readCSV(t, f.memberA, u+"/open-data/events.csv")
			if len(rows) != 2 || rows[1][0] != f.pubEv || rows[1][1] != "'"+pubEventTitle || rows[0][4] != "start" {
				t.Fatalf("events.csv %q", rows)
			}
			if start, err := time.Parse(time.RFC3339, rows[1][4]); err != nil || start.IsZero() {
				t.Errorf("start %q: %v", rows[1][4], err)
			}
			var evs []map[string]any
			readJSON(t, f.anon, u+"/open-data/events.json", &evs)
			if len(evs) != 1 || evs[0]["id"] != f.pubEv || evs[0]["place_name"] != "Round Chapel" {
				t.Errorf("events.json %v", evs)
			}
			for _, p := range []string{"/open-data/decisions.csv", "/open-data/decisions.json", "/open-data/events.csv", "/open-data/events.json"} {
				body := get(t, f.memberA, u+p, http.StatusOK).Body
				for _, not := range f.private() {
					if strings.Contains(body, not) {
						t.Errorf("%s holds %q", p, not)
					}
				}
			}
		})
		t.Run("Archived", func(t *testing.T) {
			if err := f.a.Groups.Archive(auth.WithSystem(context.Background()), f.gA.ID); err != nil {
				t.Fatal(err)
			}
			res := get(t, f.anon, u+"/groups/"+f.gA.Slug, http.StatusOK)
			if !strings.Contains(res.Body, "archived on") {
				t.Error("the group page does not say it is archived")
			}
			res = get(t, f.memberA, u+"/events/"+f.pubEv, http.StatusOK)
			if !strings.Contains(res.Body, "archived on") || strings.Contains(res.Body, `action="/events/`+f.pubEv+`/rsvp"`) {
				t.Error("the archived group's event offers an RSVP or no banner")
			}
			res = get(t, f.memberA, u+"/decisions/"+f.pubDec, http.StatusOK)
			if !strings.Contains(res.Body, "archived on") {
				t.Error("the archived group's decision has no banner")
			}
			get(t, f.memberA, u+"/decisions/"+f.pubDec+"/results", http.StatusOK)
			if res := get(t, f.anon, u+"/decisions/log", http.StatusOK); !strings.Contains(res.Body, f.pubDec) {
				t.Error("the archived group's record left the log")
			}
			if res := get(t, f.memberA, u+"/decisions?group="+f.gA.ID, http.StatusOK); strings.Contains(res.Body, "/decisions/new?group=") {
				t.Error("the archived group's decisions offer a new one")
			}
			if res := apptest.PostForm(t, f.memberA, u+"/events/"+f.pubEv+"/rsvp", url.Values{"status": {"accepted"}}); res.Status != http.StatusConflict {
				t.Errorf("RSVP to an archived group's event: %d", res.Status)
			}
			if res := apptest.Get(t, f.memberA, u+"/decisions/new?group="+f.gA.ID); res.Status != http.StatusConflict {
				t.Errorf("new decision in an archived group: %d", res.Status)
			}
			readFeed(t, f.anon, u+"/groups/"+f.gA.Slug+"/feed.atom")
			// Still searchable: the archived group's event, decision and
			// thread are found as before, each by those who may see it.
			if res := get(t, f.anon, u+"/search?q=public+meeting", http.StatusOK); !strings.Contains(res.Body, "/events/"+f.pubEv) {
				t.Error("search no longer finds the archived group's public event")
			}
			if res := get(t, f.memberA, u+"/search?q=rent+strike", http.StatusOK); !strings.Contains(res.Body, "/talk/t/"+f.groupDoc) ||
				!strings.Contains(res.Body, "/talk/t/"+f.pubDoc) {
				t.Error("search no longer finds the archived group's threads for its member")
			}
			if res := get(t, f.memberA, u+"/search?q=members+record+vote", http.StatusOK); !strings.Contains(res.Body, "/decisions/"+f.privDec) {
				t.Error("search no longer finds the archived group's decision for its member")
			}
			if res := get(t, f.anon, u+"/search?q=rent+strike", http.StatusOK); strings.Contains(res.Body, "/talk/t/"+f.groupDoc) {
				t.Error("archiving opened a group-only thread to the anonymous")
			}
		})
	})
}

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func (f *atomFeed) ids() []string {
	var out []string
	for _, e := range f.Entries {
		out = append(out, e.ID)
	}
	return out
}

// readFeed fetches and parses an Atom feed, checking its content type, ids
// and dates.
func readFeed(t *testing.T, c *http.Client, u string) *atomFeed {
	t.Helper()
	res := get(t, c, u, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("%s: content type %q", u, ct)
	}
	var f atomFeed
	if err := xml.Unmarshal([]byte(res.Body), &f); err != nil {
		t.Fatalf("%s: %v\n%s", u, err, res.Body)
	}
	if f.ID == "" || f.Title == "" {
		t.Errorf("%s: feed without id or title", u)
	}
	for _, s := range append([]string{f.Updated}, func() (out []string) {
		for _, e := range f.Entries {
			out = append(out, e.Updated)
		}
		return
	}()...) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s: updated %q: %v", u, s, err)
		}
	}
	for _, e := range f.Entries {
		if !strings.HasPrefix(e.ID, "urn:uuid:") || !strings.HasPrefix(e.Link.Href, "http") {
			t.Errorf("%s: entry id %q link %q", u, e.ID, e.Link.Href)
		}
	}
	return &f
}

func readCSV(t *testing.T, c *http.Client, u string) [][]string {
	t.Helper()
	res := get(t, c, u, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("%s: content type %q", u, ct)
	}
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	return rows
}

func readJSON(t *testing.T, c *http.Client, u string, v any) {
	t.Helper()
	res := get(t, c, u, http.StatusOK)
	if err := json.Unmarshal([]byte(res.Body), v); err != nil {
		t.Fatalf("%s: %v\n%s", u, err, res.Body)
	}
}
