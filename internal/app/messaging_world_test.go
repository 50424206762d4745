package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// msgWorld is what the messaging API and permission tests act on: groups A
// and B, each with two members who said yes to email; organiser A (an
// account, signed in, and a token scoped to group A); a network token;
// and things of group B that organiser A must not reach through: a saved
// list of B, a tag only B's members carry, an event of B with a B member
// coming, a decision of B, and a draft of B's own.
type msgWorld struct {
	n  *apptest.Node
	mp *mailtest.Mailpit
	// gA and gB are the two groups; aPeople and bPeople their members'
	// person ids, aEmails and bEmails their addresses.
	gA, gB           *groups.Group
	aPeople, bPeople []string
	aEmails, bEmails []string
	// orgA signs in as organiser A (orgAEmail, orgAPass); tokA is a group
	// A token, tokNet a network token.
	orgAEmail, orgAPass string
	tokA, tokNet        string
	// Group B's things.
	listB, tagB, tagBID, eventB, decisionB, draftB string
}

const (
	msgOrgAEmail = "orga.messages@example.org"
	msgOrgAPass  = "Password-For-organiser-A"
)

// newMsgWorld starts a node (mail to a real mailpit) and builds the world.
func newMsgWorld(t *testing.T, dbURL string) *msgWorld {
	t.Helper()
	w := &msgWorld{mp: mailtest.Start(t), orgAEmail: msgOrgAEmail, orgAPass: msgOrgAPass}
	w.n = apptest.Start(t, apptest.Options{DatabaseURL: dbURL, SMTPURL: w.mp.SMTPURL})
	a, sys := w.n.App, auth.WithSystem(context.Background())
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	w.gA, err = a.Groups.Create(sys, groups.Input{Name: "Hackney", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
	must(err)
	w.gB, err = a.Groups.Create(sys, groups.Input{Name: "Bristol", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"BS1"}})
	must(err)
	person := func(given, email, groupID string) string {
		p, err := a.People.Create(sys, people.Input{GivenName: given, FamilyName: "Msg", Email: email, Source: "admin"})
		must(err)
		must(a.People.SetConsent(sys, p.ID, people.Consent{Channel: people.ChannelEmail, Status: people.ConsentGranted,
			Source: "test", Wording: "Email me about the campaign."}))
		_, err = a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: groupID, PersonID: p.ID, Role: groups.RoleMember}})
		must(err)
		return p.ID
	}
	for i, g := range []string{"Asha", "Arlo"} {
		email := fmt.Sprintf("a%d.member@example.org", i+1)
		w.aPeople, w.aEmails = append(w.aPeople, person(g, email, w.gA.ID)), append(w.aEmails, email)
	}
	for i, g := range []string{"Bea", "Bram"} {
		email := fmt.Sprintf("b%d.member@example.org", i+1)
		w.bPeople, w.bEmails = append(w.bPeople, person(g, email, w.gB.ID)), append(w.bEmails, email)
	}
	w.n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin) // the network's admin (adminEmail, adminPass)
	w.n.CreateUser(t, w.orgAEmail, w.orgAPass, auth.RoleMember)
	orgA, err := a.People.Match(sys, w.orgAEmail, "")
	must(err)
	_, err = a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: w.gA.ID, PersonID: orgA, Role: groups.RoleOrganiser}})
	must(err)
	w.tokA, _, err = a.Auth.CreateGroupAPIToken(sys, "hackney tools", w.gA.ID)
	must(err)
	w.tokNet, _, err = a.Auth.CreateAPIToken(sys, "network tools")
	must(err)

	// Group B's things.
	lst, err := a.People.SaveList(sys, "Bristol everyone", people.Filter{GroupID: w.gB.ID})
	must(err)
	w.listB, w.tagB = lst.ID, "bristol-only"
	for _, p := range w.bPeople {
		must(a.People.Tag(sys, p, w.tagB))
	}
	tags, err := a.People.ListTags(sys)
	must(err)
	for _, tg := range tags {
		if tg.Name == w.tagB {
			w.tagBID = tg.ID
		}
	}
	day := time.Now().AddDate(0, 0, 5)
	ev, err := a.Events.Create(sys, events.Input{GroupID: w.gB.ID, Title: "Bristol meeting", Place: events.Place{Name: "The Cube"},
		Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
		End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
	must(err)
	w.eventB = ev.ID
	_, err = a.Events.RSVP(sys, ev.ID, events.RSVPInput{PersonID: w.bPeople[0], Status: events.Accepted, Source: "test"})
	must(err)
	now := time.Now().UTC().Truncate(time.Second)
	dec, err := a.Decisions.Create(sys, decisions.Input{GroupID: w.gB.ID, Title: "Bristol poll", Kind: decisions.KindPoll,
		Options:    []decisions.OptionInput{{Label: "Yes"}, {Label: "No"}},
		Electorate: decisions.Electorate{Scope: decisions.ScopeGroup},
		OpensAt:    now.Add(time.Hour), ClosesAt: now.Add(48 * time.Hour)})
	must(err)
	w.decisionB = dec.ID
	b, err := a.Messaging.Create(sys, messaging.Input{GroupID: w.gB.ID, Subject: "Bristol news", Body: "Hello {{first_name}}.",
		Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: w.gB.ID}}})
	must(err)
	w.draftB = b.ID
	return w
}

// api calls the API with token and returns the status and decoded body.
func (w *msgWorld) api(t *testing.T, token, method, path, body string) (int, map[string]any) {
	t.Helper()
	return w.call(t, apptest.Client(t), token, method, path, body)
}

// call calls the API through c (a signed-in session's client, or a fresh
// one with token) and returns the status and decoded body. A 5xx fails.
func (w *msgWorld) call(t *testing.T, c *http.Client, token, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, w.n.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("OSDI-API-Token", token)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res := apptest.Do(t, c, req)
	if res.Status >= 500 {
		t.Fatalf("%s %s: %d: %s", method, path, res.Status, res.Body)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %.300s", method, path, res.Status, res.Body)
	}
	return res.Status, out
}

// href is an absolute API link to path.
func (w *msgWorld) href(path string) string { return w.n.URL + "/api/v1" + path }

// messageID is the id of a message resource.
func messageID(t *testing.T, m map[string]any) string {
	t.Helper()
	ids, _ := m["identifiers"].([]any)
	if len(ids) == 0 {
		t.Fatalf("no identifiers in %v", m)
	}
	return strings.TrimPrefix(ids[0].(string), "momentum:")
}

// recipientsIn counts the broadcast_recipients rows of these people, over
// every broadcast.
func (w *msgWorld) recipientsIn(t *testing.T, ids []string) int {
	t.Helper()
	n := 0
	for _, id := range ids {
		var k int
		if err := w.n.App.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM broadcast_recipients WHERE person_id = ?`, id).Scan(&k); err != nil {
			t.Fatal(err)
		}
		n += k
	}
	return n
}

// brief is a response body for a failure message: its JSON, cut short.
func brief(m map[string]any) string {
	b, _ := json.Marshal(m)
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}
