package groups

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/auth/authweb"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/hal"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

const apiSite = "https://act.example.org"

// apiEnv is the groups API as app mounts it: the real auth service makes
// the tokens and authweb's middleware turns OSDI-API-Token into a principal.
type apiEnv struct {
	*env
	auth    *auth.Service
	srv     http.Handler
	network string
}

func newAPIEnv(t *testing.T, d *db.DB) *apiEnv {
	t.Helper()
	e := &apiEnv{env: newEnv(t, d)}
	e.svc.policy.AddRules(APIRules()...)
	log := slog.New(slog.DiscardHandler)
	e.auth = e.env.auth
	rend, err := web.NewRenderer(log, web.RendererOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	NewAPIHandler(e.svc, apiSite).Routes(mux)
	e.srv = web.Chain(web.Routed(mux), web.RequestIDs(), authweb.New(e.auth, rend, authweb.Options{}).Middleware())
	e.network = e.token(t, "")
	return e
}

func (e *apiEnv) token(t *testing.T, groupID string) string {
	t.Helper()
	sys := auth.WithSystem(t.Context())
	var plain string
	var err error
	if groupID == "" {
		plain, _, err = e.auth.CreateAPIToken(sys, "hub sync")
	} else {
		plain, _, err = e.auth.CreateGroupAPIToken(sys, "group site", groupID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

type apiResponse struct {
	Status int
	Body   map[string]any
	Raw    string
}

// call sends a request and checks the answer is HAL+JSON with status.
func (e *apiEnv) call(t *testing.T, method, path, token, body string, status int) apiResponse {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		r.Header.Set(authweb.APITokenHeader, token)
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	res := apiResponse{Status: w.Code, Raw: w.Body.String()}
	if err := json.Unmarshal(w.Body.Bytes(), &res.Body); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, res.Raw)
	}
	if ct := w.Header().Get("Content-Type"); ct != hal.MediaType {
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	if w.Code != status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, w.Code, status, res.Raw)
	}
	return res
}

func (r apiResponse) items(t *testing.T, rel string) []map[string]any {
	t.Helper()
	emb, _ := r.Body["_embedded"].(map[string]any)
	raw, ok := emb[rel].([]any)
	if !ok {
		t.Fatalf("no _embedded[%q]: %s", rel, r.Raw)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i] = v.(map[string]any)
	}
	return out
}

func linkOf(obj map[string]any, rel string) string {
	links, _ := obj["_links"].(map[string]any)
	l, _ := links[rel].(map[string]any)
	s, _ := l["href"].(string)
	return s
}

// requestURI turns an absolute link into what to request.
func requestURI(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, apiSite+"/api/v1/") {
		t.Fatalf("bad link %q", link)
	}
	return u.RequestURI()
}

func count(v any) int { f, _ := v.(float64); return int(f) }

func TestAPIGroups(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		hackney := e.group(t, "Hackney", JoinOpen, "E8", "E9")
		e.group(t, "Climate", JoinRequest)
		e.group(t, "Dalston", JoinOpen, "E8")
		e.member(t, hackney, e.person(t, "Oona Organiser", auth.RoleMember), RoleOrganiser, MemberActive, true)

		tests := []struct {
			name, query string
			wantNames   []string
			wantNext    bool
		}{
			{"FirstPage", "?per_page=2", []string{"Climate", "Dalston"}, true},
			{"SecondPage", "?per_page=2&page=2", []string{"Hackney"}, false},
			{"Everything", "", []string{"Climate", "Dalston", "Hackney"}, false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := e.call(t, "GET", "/api/v1/groups"+tc.query, e.network, "", 200)
				var names []string
				for _, g := range res.items(t, "momentum:groups") {
					names = append(names, g["name"].(string))
				}
				if strings.Join(names, ",") != strings.Join(tc.wantNames, ",") || count(res.Body["total_records"]) != 3 {
					t.Errorf("groups = %v (total %v), want %v", names, res.Body["total_records"], tc.wantNames)
				}
				if (linkOf(res.Body, "next") != "") != tc.wantNext {
					t.Errorf("next = %q", linkOf(res.Body, "next"))
				}
			})
		}
		t.Run("One", func(t *testing.T) {
			g := e.call(t, "GET", "/api/v1/groups/"+hackney.ID, e.network, "", 200).Body
			ds, _ := g["postcode_districts"].([]any)
			if g["name"] != "Hackney" || g["kind"] != KindLocal || len(ds) != 2 || count(g["member_count"]) != 1 ||
				g["browser_url"] != apiSite+"/groups/hackney" ||
				linkOf(g, "momentum:memberships") != apiSite+"/api/v1/groups/"+hackney.ID+"/memberships" {
				t.Errorf("group = %v", g)
			}
		})
		t.Run("Unknown", func(t *testing.T) {
			e.call(t, "GET", "/api/v1/groups/nope", e.network, "", 404)
			e.call(t, "GET", "/api/v1/groups/nope/memberships", e.network, "", 404)
		})
	})
}

func TestAPIMemberships(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		g := e.group(t, "Hackney", JoinRequest, "E8")
		oona, mo, hana := e.person(t, "Oona Organiser", auth.RoleMember), e.person(t, "Mo Member", auth.RoleMember), e.person(t, "Hana Hidden", auth.RoleMember)
		asker, outsider := e.person(t, "Ash Asker", auth.RoleSupporter), e.person(t, "Ola Outsider", auth.RoleSupporter)
		e.member(t, g, oona, RoleOrganiser, MemberActive, true)
		e.member(t, g, mo, RoleMember, MemberActive, true)
		e.member(t, g, hana, RoleMember, MemberActive, false)
		e.member(t, g, asker, RoleMember, MemberRequested, false)
		base := "/api/v1/groups/" + g.ID + "/memberships"

		t.Run("PagesFollowingNext", func(t *testing.T) {
			var got []string
			link := apiSite + base + "?per_page=2"
			for link != "" {
				res := e.call(t, "GET", requestURI(t, link), e.network, "", 200)
				if count(res.Body["total_records"]) != 3 {
					t.Errorf("total_records = %v, want the 3 active members", res.Body["total_records"])
				}
				for _, m := range res.items(t, "momentum:memberships") {
					if m["status"] != MemberActive || !strings.HasSuffix(linkOf(m, "osdi:person"), "/api/v1/people/"+personOf(t, m)) {
						t.Errorf("membership = %v", m)
					}
					got = append(got, m["person_name"].(string)+":"+m["role"].(string))
				}
				link = linkOf(res.Body, "next")
				if link != "" && !strings.Contains(link, "after=") {
					t.Errorf("next link %q has no cursor", link)
				}
			}
			want := "Oona Organiser:organiser,Mo Member:member,Hana Hidden:member"
			if strings.Join(got, ",") != want {
				t.Errorf("members = %v, want %s", got, want)
			}
		})
		t.Run("PageBySkipping", func(t *testing.T) {
			res := e.call(t, "GET", base+"?per_page=2&page=2", e.network, "", 200)
			ms := res.items(t, "momentum:memberships")
			if len(ms) != 1 || ms[0]["person_name"] != "Hana Hidden" || linkOf(res.Body, "next") != "" {
				t.Errorf("page 2 = %s", res.Raw)
			}
		})

		add := func(personID string) string {
			return `{"_links": {"osdi:person": {"href": "` + apiSite + `/api/v1/people/` + personID + `"}}}`
		}
		tests := []struct {
			name, group, body string
			status            int
			wantStatus        string // the membership's status afterwards
			field             string
		}{
			{"InvitesAnOutsider", g.ID, add(outsider.PersonID), 201, MemberInvited, ""},
			{"InvitingTwiceIsHarmless", g.ID, add(outsider.PersonID), 201, MemberInvited, ""},
			{"ApprovesARequest", g.ID, add(asker.PersonID), 201, MemberActive, ""},
			{"AlreadyAMember", g.ID, add(mo.PersonID), 409, "", ""},
			{"UnknownPerson", g.ID, add("nobody"), 404, "", ""},
			{"UnknownGroup", "nope", add(outsider.PersonID), 404, "", ""},
			{"NoLink", g.ID, `{"_links": {}}`, 400, "", "_links.osdi:person.href"},
			{"NotJSON", g.ID, `{`, 400, "", "body"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := e.call(t, "POST", "/api/v1/groups/"+tc.group+"/memberships", e.network, tc.body, tc.status)
				if tc.wantStatus != "" && res.Body["status"] != tc.wantStatus {
					t.Errorf("membership status = %v, want %s", res.Body["status"], tc.wantStatus)
				}
				if tc.field != "" {
					errBody, _ := res.Body["momentum:error"].(map[string]any) // issue 14: Action Network's "error" is the message
					if fields, _ := errBody["fields"].(map[string]any); fields[tc.field] == nil {
						t.Errorf("error does not name %q: %s", tc.field, res.Raw)
					}
				}
			})
		}
		if st, _ := e.status(t, g, outsider); st != MemberInvited {
			t.Errorf("the outsider's membership is %q, want invited", st)
		}
	})
}

// personOf is the person id behind a membership's identifier.
func personOf(t *testing.T, m map[string]any) string {
	t.Helper()
	ids, _ := m["identifiers"].([]any)
	if len(ids) != 1 {
		t.Fatalf("identifiers = %v", m["identifiers"])
	}
	// Issue 14: "momentum:<group>_<person>", one part after the colon.
	id := ids[0].(string)
	if strings.Count(id, ":") != 1 {
		t.Fatalf("identifier %q has more than one colon", id)
	}
	return id[strings.LastIndexByte(id, '_')+1:]
}

// TestAPIGroupTokenScope: a token scoped to group B works for B only.
func TestAPIGroupTokenScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newAPIEnv(t, d)
		a, b := e.group(t, "Group A", JoinOpen), e.group(t, "Group B", JoinOpen)
		pa, pb := e.person(t, "Ada A", auth.RoleMember), e.person(t, "Bo B", auth.RoleMember)
		e.member(t, a, pa, RoleOrganiser, MemberActive, true)
		e.member(t, b, pb, RoleOrganiser, MemberActive, true)
		tokenB := e.token(t, b.ID)
		invite := `{"_links": {"osdi:person": {"href": "/api/v1/people/` + pa.PersonID + `"}}}`
		tests := []struct {
			name, token, method, path, body string
			status                          int
		}{
			{"NoToken", "", "GET", "/api/v1/groups/" + b.ID, "", 401},
			{"NoTokenList", "", "GET", "/api/v1/groups", "", 401},
			{"OwnGroup", tokenB, "GET", "/api/v1/groups/" + b.ID, "", 200},
			{"OwnMembers", tokenB, "GET", "/api/v1/groups/" + b.ID + "/memberships", "", 200},
			{"OwnInvite", tokenB, "POST", "/api/v1/groups/" + b.ID + "/memberships", invite, 201},
			{"OtherGroup", tokenB, "GET", "/api/v1/groups/" + a.ID, "", 403},
			{"OtherMembers", tokenB, "GET", "/api/v1/groups/" + a.ID + "/memberships", "", 403},
			{"OtherInvite", tokenB, "POST", "/api/v1/groups/" + a.ID + "/memberships", invite, 403},
			{"Directory", tokenB, "GET", "/api/v1/groups", "", 403},
			{"NetworkTokenOtherGroup", e.network, "GET", "/api/v1/groups/" + a.ID + "/memberships", "", 200},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res := e.call(t, tc.method, tc.path, tc.token, tc.body, tc.status)
				errBody, _ := res.Body["momentum:error"].(map[string]any) // issue 14: Action Network's "error" is the message
				if tc.status == 403 && !strings.Contains(errBody["message"].(string), "own group") {
					t.Errorf("refusal %q does not say why", errBody["message"])
				}
			})
		}
	})
}
