package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/talk"
)

// issue 16: the dashboard by role answers "what needs me now?". On both
// engines: an admin sees the network counted from people (members,
// supporters, lapsed), equal to the database's counts; organiser A sees
// group A's join requests, events with their RSVPs and the quick actions
// for A, and nothing of group B (its requests, its draft decision); a
// member sees their own groups and none of the organisers' panels or the
// network's figures; activity is written in words, naming what it was
// about, never as an action code.
func TestDashboardByRole(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
		a, sys := n.App, auth.WithSystem(context.Background())
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		gA, err := a.Groups.Create(sys, groups.Input{Name: "Hackney", Kind: groups.KindLocal, JoinPolicy: groups.JoinRequest, Districts: []string{"E8"}})
		must(err)
		gB, err := a.Groups.Create(sys, groups.Input{Name: "Bristol", Kind: groups.KindLocal, JoinPolicy: groups.JoinRequest, Districts: []string{"BS1"}})
		must(err)
		const pass = "a long enough password 16"
		users := map[string]*auth.Principal{}
		account := func(email string, role auth.Role, groupID, groupRole string) string {
			u := n.CreateUser(t, email, pass, role)
			users[email] = &auth.Principal{UserID: u.ID, Role: role, Verified: true, Label: email}
			pid, err := a.People.Match(sys, email, "")
			must(err)
			if groupID != "" {
				_, err = a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: groupID, PersonID: pid, Role: groupRole}})
				must(err)
			}
			return pid
		}
		account("admin16@example.org", auth.RoleAdmin, "", "")
		account("orga16@example.org", auth.RoleMember, gA.ID, groups.RoleOrganiser)
		account("orgb16@example.org", auth.RoleMember, gB.ID, groups.RoleOrganiser)
		account("member16@example.org", auth.RoleMember, gA.ID, groups.RoleMember)
		login := func(email string) *http.Client {
			c := apptest.Client(t)
			n.Login(t, c, email, pass)
			return c
		}
		// Two people ask to join Hackney and one Bristol, through the page.
		for i, slug := range []string{gA.Slug, gA.Slug, gB.Slug} {
			email := fmt.Sprintf("asks%d@example.org", i)
			account(email, auth.RoleMember, "", "")
			c := login(email)
			if res := apptest.PostForm(t, c, n.URL+"/groups/"+slug+"/join", url.Values{}); res.Status >= 400 {
				t.Fatalf("asking to join %s: %d", slug, res.Status)
			}
		}
		// Some of the network's people, of every membership status.
		for i := range 9 {
			p, err := a.People.Create(sys, people.Input{GivenName: fmt.Sprint("P", i), FamilyName: "Net", Email: fmt.Sprintf("net%d@example.org", i), Source: "admin"})
			must(err)
			switch i % 3 {
			case 1:
				must(a.People.SetMembership(sys, p.ID, "member"))
			case 2:
				must(a.People.SetMembership(sys, p.ID, "member"))
				must(a.People.SetMembership(sys, p.ID, "lapsed"))
			}
		}
		// Hackney's meeting with two people coming; Bristol's draft vote.
		day := time.Now().AddDate(0, 0, 4)
		ev, err := a.Events.Create(sys, events.Input{GroupID: gA.ID, Title: "Hackney tenants meeting", Place: events.Place{Name: "The Hall"},
			Start: time.Date(day.Year(), day.Month(), day.Day(), 19, 0, 0, 0, time.UTC),
			End:   time.Date(day.Year(), day.Month(), day.Day(), 21, 0, 0, 0, time.UTC)})
		must(err)
		for _, email := range []string{"net0@example.org", "net1@example.org"} {
			pid, err := a.People.Match(sys, email, "")
			must(err)
			_, err = a.Events.RSVP(sys, ev.ID, events.RSVPInput{PersonID: pid, Status: events.Accepted, Source: "test"})
			must(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		_, err = a.Decisions.Create(sys, decisions.Input{GroupID: gB.ID, Title: "Bristol rent strike ballot", Kind: decisions.KindPoll,
			Options:    []decisions.OptionInput{{Label: "Yes"}, {Label: "No"}},
			Electorate: decisions.Electorate{Scope: decisions.ScopeGroup},
			OpensAt:    now.Add(time.Hour), ClosesAt: now.Add(48 * time.Hour)})
		must(err)
		// A comment in a Bristol discussion, flagged by the admin.
		as := func(email string) context.Context { return auth.WithPrincipal(context.Background(), users[email]) }
		th, err := a.Talk.StartThread(as("orgb16@example.org"), talk.ThreadInput{GroupID: gB.ID, Title: "Bristol leaflets", Body: "Who has the leaflets?"})
		must(err)
		cm, err := a.Talk.Comment(as("orgb16@example.org"), th.ID, talk.CommentInput{Body: "I do."})
		must(err)
		must(a.Talk.Flag(as("admin16@example.org"), cm.ID, "Testing the queue"))

		dash := func(email string) string {
			t.Helper()
			res := apptest.Get(t, login(email), n.URL+"/dashboard")
			if res.Status != 200 {
				t.Fatalf("%s: dashboard %d", email, res.Status)
			}
			return res.Body
		}
		has := func(who, body string, want ...string) {
			t.Helper()
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s's dashboard lacks %q", who, w)
				}
			}
		}
		hasNot := func(who, body string, unwanted ...string) {
			t.Helper()
			for _, w := range unwanted {
				if strings.Contains(body, w) {
					t.Errorf("%s's dashboard shows %q", who, w)
				}
			}
		}

		t.Run("admin", func(t *testing.T) {
			var members, supporters, lapsed int
			must(a.DB.QueryRow(sys, `SELECT
				SUM(CASE WHEN membership_status = 'member' THEN 1 ELSE 0 END),
				SUM(CASE WHEN membership_status = 'supporter' THEN 1 ELSE 0 END),
				SUM(CASE WHEN membership_status = 'lapsed' THEN 1 ELSE 0 END)
				FROM people WHERE erased_at IS NULL`).Scan(&members, &supporters, &lapsed))
			if members == 0 || supporters == 0 || lapsed == 0 {
				t.Fatalf("fixture: %d members, %d supporters, %d lapsed", members, supporters, lapsed)
			}
			body := dash("admin16@example.org")
			has("the admin", body, "The network",
				fmt.Sprintf("<strong>%d</strong> members, <strong>%d</strong> supporters and <strong>%d</strong> lapsed", members, supporters, lapsed),
				`href="/decisions/new"`, `href="/messages/new"`)
		})

		t.Run("organiser", func(t *testing.T) {
			body := dash("orga16@example.org")
			has("organiser A", body, "Needs you now", `Join requests</h2><p class="dash-count dash-count--urgent">2</p>`,
				"/groups/"+gA.Slug+"#requests", "2 people waiting",
				"Coming up in your groups", "Hackney tenants meeting", "2 going",
				"/decisions/new?group="+gA.ID, "/events/new?group="+gA.ID, "/messages/new?group="+gA.ID)
			has("organiser A", body, "<strong>Moderation queue</strong> (0): Nothing has been flagged.")
			hasNot("organiser A", body, "Bristol", gB.ID, "The network")
			// Organiser B sees their own request and draft, not A's.
			body = dash("orgb16@example.org")
			has("organiser B", body, "Join requests", "1 person waiting", "Decisions waiting for you", "Bristol rent strike ballot",
				`Moderation queue</h2><p class="dash-count dash-count--urgent">1</p>`)
			hasNot("organiser B", body, "Hackney", gA.ID)
		})

		t.Run("member", func(t *testing.T) {
			body := dash("member16@example.org")
			has("the member", body, "Your groups", "Hackney", "Your votes")
			hasNot("the member", body, "Join requests", "Needs you now", "The network", "Decisions waiting for you",
				"Coming up in your groups", "/decisions/new?group=", "Moderation queue")
		})

		t.Run("activity in words", func(t *testing.T) {
			body := dash("asks0@example.org")
			has("someone who asked to join", body, "You asked to join ‘Hackney’.", "You logged in with your password.")
			list := body[strings.Index(body, "Your recent activity"):]
			if code := regexp.MustCompile(`<li>[a-z_]+\.[a-z_]+ `).FindString(list); code != "" {
				t.Errorf("activity shows a code: %s", code)
			}
		})
	})
}
