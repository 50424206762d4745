package groups

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// site is the groups pages on a real renderer and database. Requests say
// who is signed in with the X-Test-As header (a user id), which stands in
// for the session middleware.
type site struct {
	*env
	h      http.Handler
	people map[string]person
}

func newSite(t *testing.T) *site {
	t.Helper()
	return newSiteOn(t, dbtest.NewSQLite(t))
}

// newSiteOn is newSite on the given database (both engines: dbtest.Run).
func newSiteOn(t *testing.T, d *db.DB) *site {
	t.Helper()
	e := newEnv(t, d)
	rend, err := web.NewRenderer(slog.New(slog.DiscardHandler), web.RendererOptions{SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rend.Add(Templates, "groups"); err != nil {
		t.Fatalf("add templates: %v", err)
	}
	mux := http.NewServeMux()
	NewHandler(e.svc, rend).Routes(mux)
	mux.HandleFunc("/", rend.NotFound)
	s := &site{env: e, people: map[string]person{}}
	s.people[e.admin.UserID] = e.admin
	s.h = web.Chain(web.Routed(mux), web.RequestIDs(), func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p, ok := s.people[r.Header.Get("X-Test-As")]; ok {
				ctx := auth.WithPrincipal(r.Context(), auth.PrincipalFrom(p.ctx))
				ctx = web.WithViewer(ctx, &web.Viewer{UserID: p.UserID, Name: p.Name, Email: p.Email,
					Role: string(p.Role), IsAdmin: p.Role == auth.RoleAdmin})
				r = r.WithContext(ctx)
			}
			next.ServeHTTP(w, r)
		})
	})
	return s
}

func (s *site) person(t *testing.T, name string, role auth.Role) person {
	t.Helper()
	p := s.env.person(t, name, role)
	s.people[p.UserID] = p
	return p
}

// scenario is one request and what the person should see.
type scenario struct {
	Name               string
	As                 *person
	Method, URL        string
	Form               url.Values
	ExpectedStatus     int
	ExpectedLocation   string
	ExpectedContent    []string
	NotExpectedContent []string
	// ExpectedFlash is looked for on the page the redirect leads to.
	ExpectedFlash string
}

func (s *site) do(method, target string, form url.Values, as *person, cookies []*http.Cookie) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	if as != nil {
		req.Header.Set("X-Test-As", as.UserID)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

func (s *site) run(t *testing.T, sc scenario) {
	t.Helper()
	if sc.Method == "" {
		sc.Method = "GET"
	}
	if sc.Method == "POST" && sc.Form == nil {
		sc.Form = url.Values{}
	}
	res := s.do(sc.Method, sc.URL, sc.Form, sc.As, nil)
	body := res.Body.String()
	if res.Code != sc.ExpectedStatus {
		t.Errorf("%s %s: status %d, want %d\n%s", sc.Method, sc.URL, res.Code, sc.ExpectedStatus, body)
	}
	if loc := res.Header().Get("Location"); sc.ExpectedLocation != "" && loc != sc.ExpectedLocation {
		t.Errorf("%s %s: Location %q, want %q", sc.Method, sc.URL, loc, sc.ExpectedLocation)
	}
	for _, want := range sc.ExpectedContent {
		if !strings.Contains(body, want) {
			t.Errorf("%s %s: body lacks %q\n%s", sc.Method, sc.URL, want, body)
		}
	}
	for _, bad := range append(sc.NotExpectedContent, "ZgotmplZ") {
		if strings.Contains(body, bad) {
			t.Errorf("%s %s: body contains %q", sc.Method, sc.URL, bad)
		}
	}
	if sc.ExpectedFlash != "" {
		next := s.do("GET", res.Header().Get("Location"), nil, sc.As, res.Result().Cookies())
		if !strings.Contains(next.Body.String(), sc.ExpectedFlash) {
			t.Errorf("%s %s: the next page lacks the flash %q\n%s", sc.Method, sc.URL, sc.ExpectedFlash, next.Body.String())
		}
	}
}

func TestPages(t *testing.T) {
	s := newSite(t)
	if err := geo.SetDistrict(context.Background(), s.d.Q(), "E8", geo.Point{Lat: 51.545, Lng: -0.056}, "outcode file"); err != nil {
		t.Fatal(err)
	}
	hackney := s.group(t, "Hackney", JoinOpen, "E8")
	islington := s.group(t, "Islington", JoinRequest, "N1")
	s.group(t, "Housing", JoinInvite)
	org := s.person(t, "Olu Organiser", auth.RoleMember)
	sia := s.person(t, "Sia Shown", auth.RoleMember)
	hal := s.person(t, "Hal Hidden", auth.RoleMember)
	newcomer := s.person(t, "Nia Newcomer", auth.RoleSupporter)
	admin := s.admin
	s.member(t, hackney, org, RoleOrganiser, MemberActive, false)
	s.member(t, hackney, sia, RoleMember, MemberActive, true)
	s.member(t, hackney, hal, RoleMember, MemberActive, false)

	for _, sc := range []scenario{
		{Name: "DirectoryAnonymous", URL: "/groups", ExpectedStatus: 200,
			ExpectedContent:    []string{`<a href="/groups/hackney">Hackney</a>`, "Housing", `<label for="f-postcode">Your postcode</label>`},
			NotExpectedContent: []string{`href="/groups/new"`}},
		{Name: "DirectoryAdmin", As: &admin, URL: "/groups", ExpectedStatus: 200, ExpectedContent: []string{`href="/groups/new"`}},
		{Name: "DirectorySearch", URL: "/groups?q=isl&kind=local", ExpectedStatus: 200,
			ExpectedContent: []string{"Islington"}, NotExpectedContent: []string{"/groups/hackney"}},
		{Name: "NearForm", URL: "/groups/near", ExpectedStatus: 200, ExpectedContent: []string{`name="postcode"`}},
		{Name: "NearBadPostcode", URL: "/groups/near?postcode=hello", ExpectedStatus: 422,
			ExpectedContent: []string{"Enter a UK postcode like E8 1DY.", `aria-describedby="f-postcode-hint f-postcode-error"`, `value="hello"`}},
		{Name: "NearFindsGroup", URL: "/groups/near?postcode=e8+1dy", ExpectedStatus: 200,
			ExpectedContent:    []string{"Covers your area.", `action="/groups/hackney/join"`, "Join Hackney"},
			NotExpectedContent: []string{"Housing", "Islington"}},
		{Name: "ShowAnonymous", URL: "/groups/hackney", ExpectedStatus: 200,
			ExpectedContent:    []string{"<h1>Hackney", "3 members", "postcode districts E8", "Join Hackney"},
			NotExpectedContent: []string{"Sia Shown", "Hal Hidden", "Olu Organiser", "Organisers' tools", `action="/groups/hackney/edit"`}},
		{Name: "ShowMember", As: &hal, URL: "/groups/hackney", ExpectedStatus: 200,
			ExpectedContent:    []string{"You are a member", "Your name is hidden", "Leave the group", `href="/groups/hackney/members">See who is in it</a>`},
			NotExpectedContent: []string{"Hal Hidden", "Olu Organiser", "Join Hackney"}},
		{Name: "MembersTabMember", As: &hal, URL: "/groups/hackney/members", ExpectedStatus: 200,
			ExpectedContent:    []string{"Sia Shown"},
			NotExpectedContent: []string{"Hal Hidden", "Olu Organiser"}},
		// issue 16: the members and their roles moved to the members tab.
		{Name: "ShowOrganiser", As: &org, URL: "/groups/hackney", ExpectedStatus: 200,
			ExpectedContent:    []string{`href="/groups/hackney/edit"`, `href="/groups/hackney/members">See and manage the members</a>`},
			NotExpectedContent: []string{`action="/groups/hackney/merge"`, "Hal Hidden", `<label for="role-`}},
		{Name: "MembersTabOrganiser", As: &org, URL: "/groups/hackney/members", ExpectedStatus: 200,
			ExpectedContent: []string{"Hal Hidden", "Sia Shown", `<label for="role-` + hal.PersonID + `" class="visually-hidden">Role of Hal Hidden</label>`,
				`<label for="f-email">Invite someone by email</label>`}},
		{Name: "ShowAdmin", As: &admin, URL: "/groups/hackney", ExpectedStatus: 200,
			ExpectedContent: []string{`action="/groups/hackney/merge"`, `<option value="` + islington.ID + `">Islington</option>`, `action="/groups/hackney/archive"`,
				`<summary class="button button--danger">`, "Yes, archive the group"}},
		{Name: "ShowUnknown", URL: "/groups/nowhere", ExpectedStatus: 404},
		{Name: "JoinAnonymousGoesToLogin", Method: "POST", URL: "/groups/hackney/join", ExpectedStatus: 303,
			ExpectedLocation: "/login?next=%2Fgroups%2Fhackney"},
		{Name: "Join", As: &newcomer, Method: "POST", URL: "/groups/hackney/join", ExpectedStatus: 303,
			ExpectedLocation: "/groups/hackney", ExpectedFlash: "Welcome to Hackney!"},
		{Name: "JoinedShows", As: &newcomer, URL: "/groups/hackney", ExpectedStatus: 200, ExpectedContent: []string{"You are a member since"}},
		{Name: "AskToJoin", As: &newcomer, Method: "POST", URL: "/groups/islington/join", ExpectedStatus: 303,
			ExpectedFlash: "Your request to join Islington has gone to its organisers."},
		{Name: "InviteOnly", As: &newcomer, Method: "POST", URL: "/groups/housing/join", ExpectedStatus: 403,
			ExpectedContent: []string{"by invitation only"}},
		{Name: "InviteUnknownEmail", As: &org, Method: "POST", URL: "/groups/hackney/invite", Form: url.Values{"email": {"who@example.org"}},
			ExpectedStatus: 422, ExpectedContent: []string{"Nobody in the network has that email address.", `aria-describedby="f-email-hint f-email-error"`, `value="who@example.org"`,
				`<a href="/groups/hackney/members" aria-current="page">`}},
		{Name: "MemberCannotChangeRoles", As: &sia, Method: "POST", URL: "/groups/hackney/members/" + hal.PersonID + "/role",
			Form: url.Values{"role": {"organiser"}}, ExpectedStatus: 403},
		{Name: "OrganiserChangesRole", As: &org, Method: "POST", URL: "/groups/hackney/members/" + hal.PersonID + "/role",
			Form: url.Values{"role": {"moderator"}}, ExpectedStatus: 303, ExpectedLocation: "/groups/hackney/members", ExpectedFlash: "Role changed."},
		{Name: "ShowName", As: &hal, Method: "POST", URL: "/groups/hackney/visibility", Form: url.Values{"show_name": {"true"}},
			ExpectedStatus: 303, ExpectedFlash: "Other members of Hackney now see your name."},
		{Name: "NewFormRefusedToMembers", As: &org, URL: "/groups/new", ExpectedStatus: 403},
		{Name: "NewForm", As: &admin, URL: "/groups/new", ExpectedStatus: 200,
			ExpectedContent: []string{`<label for="f-name">Name</label>`, `<label for="f-districts">Postcode districts</label>`, `<label for="f-join_policy">How people join</label>`}},
		{Name: "CreateInvalid", As: &admin, Method: "POST", URL: "/groups/new",
			Form:           url.Values{"name": {"Dalston"}, "kind": {"local"}, "districts": {"E8, nowhere"}, "centre_lat": {"north"}},
			ExpectedStatus: 422, ExpectedContent: []string{"Enter a latitude like 51.545.", `value="Dalston"`, `aria-describedby="f-centre_lat-hint f-centre_lat-error"`}},
		{Name: "CreateBadDistrict", As: &admin, Method: "POST", URL: "/groups/new",
			Form:           url.Values{"name": {"Dalston"}, "kind": {"local"}, "districts": {"E8, nowhere"}},
			ExpectedStatus: 422, ExpectedContent: []string{`&#34;nowhere&#34; is not a UK postcode district`, `value="E8, nowhere"`}},
		{Name: "Create", As: &admin, Method: "POST", URL: "/groups/new",
			Form:           url.Values{"name": {"Dalston"}, "kind": {"local"}, "join_policy": {"request"}, "districts": {"E8 1DY, e5"}},
			ExpectedStatus: 303, ExpectedLocation: "/groups/dalston", ExpectedFlash: "Dalston has been created."},
		{Name: "EditForm", As: &org, URL: "/groups/hackney/edit", ExpectedStatus: 200, ExpectedContent: []string{`value="Hackney"`, `value="E8"`}},
		{Name: "EditRefusedToMembers", As: &sia, URL: "/groups/hackney/edit", ExpectedStatus: 403},
		{Name: "Update", As: &org, Method: "POST", URL: "/groups/hackney/edit",
			Form:           url.Values{"name": {"Hackney"}, "kind": {"local"}, "join_policy": {"open"}, "districts": {"E8"}, "description": {"We meet on Tuesdays."}},
			ExpectedStatus: 303, ExpectedFlash: "We meet on Tuesdays."},
		{Name: "MergeNeedsATarget", As: &admin, Method: "POST", URL: "/groups/dalston/merge", ExpectedStatus: 422,
			ExpectedContent: []string{"Choose the group to merge into.", `aria-describedby="f-into-error"`}},
		{Name: "ArchiveRefusedToOrganisers", As: &org, Method: "POST", URL: "/groups/hackney/archive", ExpectedStatus: 403},
		{Name: "Archive", As: &admin, Method: "POST", URL: "/groups/islington/archive", ExpectedStatus: 303,
			ExpectedFlash: "This group was archived on"},
		{Name: "ArchivedRefusesJoin", As: &sia, Method: "POST", URL: "/groups/islington/join", ExpectedStatus: 409,
			ExpectedContent: []string{"This group is archived."}},
		{Name: "RegionCreate", As: &admin, Method: "POST", URL: "/groups/regions", Form: url.Values{"name": {"North West"}},
			ExpectedStatus: 303, ExpectedFlash: "North West"},
		{Name: "RegionNameRequired", As: &admin, Method: "POST", URL: "/groups/regions", Form: url.Values{"name": {" "}},
			ExpectedStatus: 422, ExpectedContent: []string{`aria-describedby="f-name-error"`}},
		{Name: "RegionRefusedToMembers", As: &org, Method: "POST", URL: "/groups/regions", Form: url.Values{"name": {"South"}},
			ExpectedStatus: 403},
	} {
		t.Run(sc.Name, func(t *testing.T) { s.run(t, sc) })
	}
}
