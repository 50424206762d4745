package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/app/browsertest"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestBrowserElection: in a members' STV election, a supporter in the group
// is refused with the reason; the organiser watches turnout rise live while
// another member votes; a member ranks the candidates with the no-script
// preference selects and receives a receipt; after the close they find
// their ballot by its code among the published ballots. At desktop and
// phone sizes, on both engines.
func TestBrowserElection(t *testing.T) {
	for _, screen := range screens {
		t.Run(screen.name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, dbURL string) {
				tab := browsertest.Start(t, screen.opts)
				n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
				electionJourney(t, n, tab, screen.name+"-"+engineName(dbURL))
			})
		})
	}
}

func electionJourney(t *testing.T, n *apptest.Node, tab *browsertest.Tab, shot string) {
	a := n.App
	sys := auth.WithSystem(context.Background())
	const pass = "one member one vote, counted in the open"
	type account struct {
		email, person, user string
	}
	mk := func(email string, role auth.Role, membership string) account {
		u := n.CreateUser(t, email, pass, role)
		id, err := a.People.Match(sys, email, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.People.SetMembershipAt(sys, id, membership, time.Now().AddDate(-1, 0, 0)); err != nil {
			t.Fatal(err)
		}
		return account{email: email, person: id, user: u.ID}
	}
	n.CreateUser(t, adminEmail, adminPass, auth.RoleAdmin)
	org := mk("olu@example.org", auth.RoleMember, people.StatusMember)
	voter := mk("mia@example.org", auth.RoleMember, people.StatusMember)
	other := mk("max@example.org", auth.RoleMember, people.StatusMember)
	sup := mk("sam@example.org", auth.RoleSupporter, people.StatusSupporter)
	g, err := a.Groups.Create(sys, groups.Input{Name: "Hackney Momentum", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Groups.ImportMembers(sys, []groups.NewMember{{GroupID: g.ID, PersonID: org.person, Role: groups.RoleOrganiser},
		{GroupID: g.ID, PersonID: voter.person, Role: groups.RoleMember}, {GroupID: g.ID, PersonID: other.person, Role: groups.RoleMember},
		{GroupID: g.ID, PersonID: sup.person, Role: groups.RoleMember}}); err != nil {
		t.Fatal(err)
	}
	as := func(acc account) context.Context {
		return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: acc.user, Role: auth.RoleMember, Verified: true})
	}
	now := time.Now().UTC().Truncate(time.Second)
	dec, err := a.Decisions.Create(as(org), decisions.Input{GroupID: g.ID, Title: "Delegates to conference", Kind: decisions.KindElection,
		Seats: 2, Options: []decisions.OptionInput{{Label: "Ann Able"}, {Label: "Bob Brown"}, {Label: "Cat Cole"}},
		Electorate: decisions.Electorate{MembersOnly: true}, OpensAt: now.Add(-time.Minute), ClosesAt: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Decisions.StartDiscussion(as(org), dec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Decisions.OpenVoting(sys, dec.ID); err != nil {
		t.Fatal(err)
	}
	page := n.URL + "/decisions/" + dec.ID
	login := func(email string) {
		t.Helper()
		wantStatus(t, "login page", tab.Navigate(n.URL+"/login"), http.StatusOK)
		tab.Fill("#f-email", email)
		tab.Fill("#f-password", pass)
		wantStatus(t, "log in as "+email, tab.ClickText("main", "Log in"), http.StatusOK)
	}
	logout := func() {
		t.Helper()
		wantStatus(t, "log out", tab.ClickText("header", "Log out"), http.StatusOK)
	}

	// 1. A supporter in the group is told why they may not vote.
	login(sup.email)
	wantStatus(t, "decision as supporter", tab.Navigate(page), http.StatusOK)
	wantContains(t, tab, "#why-not", "This ballot is for members of Hackney Momentum; you are a supporter.")
	wantFits(t, tab)
	logout()

	// 2. The organiser watches turnout rise while another member votes.
	login(org.email)
	streaming := streamOpened(t, tab, "/decisions/"+dec.ID+"/turnout/stream")
	wantStatus(t, "decision as organiser", tab.Navigate(page), http.StatusOK)
	wantText(t, tab, "#turnout", "0 of 3 have voted")
	browsertest.Eval[bool](tab, `(window.notReloaded = true)`)
	select {
	case <-streaming:
	case <-time.After(10 * time.Second):
		t.Fatal("the page did not open its turnout stream within 10s")
	}
	tok, err := a.Decisions.BallotToken(as(other), dec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Decisions.Vote(as(other), dec.ID, tok, decisions.Choice{Ranking: []int{1, 3}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, "live turnout", `document.getElementById("turnout").textContent === "1 of 3 have voted" && window.notReloaded === true`)
	logout()

	// 3. A member ranks Bob first and Ann second and gets a receipt.
	login(voter.email)
	wantStatus(t, "ballot", tab.Navigate(page), http.StatusOK)
	wantFits(t, tab)
	rank := func(name string, pref int) {
		t.Helper()
		ok := browsertest.Eval[bool](tab, `(() => {
			for (const l of document.querySelectorAll(".rank label")) {
				if (l.textContent.trim() === `+strconv.Quote(name)+`) {
					document.getElementById(l.htmlFor).value = `+strconv.Quote(strconv.Itoa(pref))+`;
					return true;
				}
			}
			return false;
		})()`)
		if !ok {
			t.Fatalf("no preference select for %s", name)
		}
	}
	rank("Bob Brown", 1)
	rank("Ann Able", 2)
	wantStatus(t, "vote", tab.ClickText("main", "Cast my vote"), http.StatusOK)
	// The server made the code (the form carries only a ballot token).
	receipt := strings.TrimSpace(tab.Text("#receipt-code"))
	if !regexp.MustCompile(`^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$`).MatchString(receipt) {
		t.Fatalf("receipt %q is not 25 characters in five groups", receipt)
	}
	wantContains(t, tab, "main", "Keep it: you need it to check your ballot after the close and to change your vote.")
	wantFits(t, tab)
	tab.Screenshot("decisions-receipt-" + shot)

	// 4. Voting closes (the deadline is moved, rather than waited for), the
	// count runs, and the member finds their ballot by its code.
	if _, err := a.DB.Exec(context.Background(), `UPDATE decisions SET closes_at = ? WHERE id = ?`, time.Now().UTC().Add(-time.Second), dec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Decisions.Close(sys, dec.ID); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "results", tab.Navigate(page+"/results"), http.StatusOK)
	wantContains(t, tab, "#turnout", "2 of 3 voted")
	wantContains(t, tab, "#summary", "Elected:")
	wantFits(t, tab)
	tab.Screenshot("decisions-results-" + shot)
	tab.Fill("#f-receipt", strings.ToLower(receipt))
	wantStatus(t, "check", tab.ClickText("main", "Find my ballot"), http.StatusOK)
	wantContains(t, tab, "#found", "1. Bob Brown, 2. Ann Able")
	fp := strings.TrimSpace(tab.Text("#found code"))
	wantStatus(t, "results again", tab.Navigate(page+"/results"), http.StatusOK)
	wantContains(t, tab, "#ballots", fp)
	wantCleanConsole(t, tab)
}

// waitFor polls a JavaScript condition in the page for up to ten seconds.
func waitFor(t *testing.T, tab *browsertest.Tab, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !browsertest.Eval[bool](tab, `!!(`+cond+`)`) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// streamOpened returns a channel closed when the tab receives the response
// headers of a request whose URL contains path: for a stream, the moment
// it is subscribed (live.ServeSSE subscribes before it answers). It reads
// chromedp's network events by their type name, to need no import of
// cdproto of our own.
func streamOpened(t *testing.T, tab *browsertest.Tab, path string) <-chan struct{} {
	t.Helper()
	done := make(chan struct{})
	var once sync.Once
	err := chromedp.Listen(tab.Context(), func(ev any) {
		if fmt.Sprintf("%T", ev) != "*network.EventResponseReceived" {
			return
		}
		if b, err := json.Marshal(ev); err == nil && strings.Contains(string(b), path) {
			once.Do(func() { close(done) })
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return done
}
