package groups

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// ActRead is reading groups and their member lists through the API. Any
// signed-in person may read the directory (it is public on the site); a
// group-scoped API token may read only its own group.
const ActRead auth.Action = "group.read"

// APIRules are the API's rows of the policy table; app adds them with
// policy.AddRules(groups.APIRules()...). Without them only admins and
// network tokens may read groups through the API.
func APIRules() []auth.Rule {
	return []auth.Rule{{Action: ActRead, MinRole: auth.RoleSupporter, GroupRoles: []string{RoleOrganiser},
		Refusal: "This API token may read only its own group."}}
}

// apiGroups returns page p of every group, by slug, and how many there are.
// Groups are few (hundreds), so the directory is read whole, 200 a query.
// Errors: errs.Forbidden (a group token).
func (s *Service) apiGroups(ctx context.Context, p hal.Page) ([]Group, int, error) {
	if err := s.can(ctx, ActRead, ""); err != nil {
		return nil, 0, err
	}
	var all []Group
	f := Filter{Limit: 200}
	for {
		gs, err := s.List(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		all = append(all, gs...)
		if len(gs) < f.Limit {
			break
		}
		f.After = gs[len(gs)-1].Slug
	}
	from := min(p.Offset(), len(all))
	return all[from:min(from+p.Size, len(all))], len(all), nil
}

// apiGroup returns one group. Errors: errs.Forbidden, errs.NotFound.
func (s *Service) apiGroup(ctx context.Context, id string) (*Group, error) {
	if err := s.can(ctx, ActRead, id); err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// apiMembers returns page p of a group's active members as Members would
// show them to the viewer, how many the viewer may see, and the cursor of
// the next page. after, when given, is that cursor (no rows are skipped).
// Errors: errs.Forbidden (another group's token), errs.NotFound.
func (s *Service) apiMembers(ctx context.Context, groupID string, p hal.Page, after string) ([]Member, int, string, error) {
	g, err := s.apiGroup(ctx, groupID)
	if err != nil {
		return nil, 0, "", err
	}
	level, _, err := s.access(ctx, groupID)
	if err != nil || level == SeeCount {
		return nil, 0, "", err
	}
	mq := memberQuery{GroupID: groupID, Statuses: []string{MemberActive}, OnlyShown: level == SeeShown, Limit: 200}
	total := g.MemberCount
	if level == SeeShown {
		if total, err = s.countMembers(ctx, mq); err != nil {
			return nil, 0, "", err
		}
	}
	for n := p.Offset(); after == "" && n > 0; {
		mq.After, mq.Limit = after, min(n, 200)
		ms, err := listMembers(ctx, s.db.Q(), mq)
		if err != nil || len(ms) == 0 {
			return nil, total, "", err
		}
		after, n = ms[len(ms)-1].PersonID, n-len(ms)
	}
	mq.After, mq.Limit = after, p.Size
	ms, next, err := s.members(ctx, mq)
	return ms, total, next, err
}

// countMembers counts the rows of mq, 200 at a time.
func (s *Service) countMembers(ctx context.Context, mq memberQuery) (int, error) {
	n := 0
	for {
		ms, err := listMembers(ctx, s.db.Q(), mq)
		if err != nil {
			return 0, err
		}
		n += len(ms)
		if len(ms) < mq.Limit {
			return n, nil
		}
		mq.After = ms[len(ms)-1].PersonID
	}
}

// apiInvite adds a person to a group through the API: an invitation, which
// they accept on the site, or at once a membership when they had asked to
// join. It returns the membership.
// Errors: as Invite.
func (s *Service) apiInvite(ctx context.Context, groupID, personID string) (*Member, error) {
	if err := s.Invite(ctx, groupID, personID); err != nil {
		return nil, err
	}
	m, err := getMember(ctx, s.db.Q(), groupID, personID)
	if err != nil || m == nil {
		return nil, errors.Join(err, errors.New("api invite: membership missing after invite"))
	}
	return &Member{PersonID: m.PersonID, Role: m.Role, Status: m.Status, ShowName: m.ShowName, JoinedAt: m.JoinedAt}, nil
}

// APIHandler serves groups and memberships in the API, under the
// momentum: curie.
type APIHandler struct {
	svc          *Service
	public, base string
	curies       []hal.Link
}

// NewAPIHandler returns the API handlers. publicURL is the site's address;
// links are absolute under it. (NewHandler is the groups pages.)
func NewAPIHandler(svc *Service, publicURL string) *APIHandler {
	public := strings.TrimRight(publicURL, "/")
	return &APIHandler{svc: svc, public: public, base: public + "/api/v1", curies: hal.Curies(public + "/api/docs")}
}

// Routes mounts /api/v1/groups.
func (h *APIHandler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/groups", hal.Authenticated(h.handleAPIGroups))
	mux.HandleFunc("GET /api/v1/groups/{id}", hal.Authenticated(h.handleAPIGroup))
	mux.HandleFunc("GET /api/v1/groups/{id}/memberships", hal.Authenticated(h.handleAPIMembers))
	mux.HandleFunc("POST /api/v1/groups/{id}/memberships", hal.Authenticated(h.handleAPIInvite))
}

var apiFail = hal.Fail

func (h *APIHandler) link(path string) hal.Link { return hal.Link{Href: h.base + path} }

// handleAPIGroups serves GET /api/v1/groups (momentum:groups).
func (h *APIHandler) handleAPIGroups(w http.ResponseWriter, r *http.Request) {
	p := hal.PageFrom(r.URL.Query())
	gs, total, err := h.svc.apiGroups(r.Context(), p)
	if err != nil {
		apiFail(w, r, err)
		return
	}
	items := make([]APIGroup, 0, len(gs))
	for i := range gs {
		items = append(items, h.group(&gs[i]))
	}
	hal.Write(w, http.StatusOK, hal.NewCollection("momentum:groups", h.self(r), p, total, items, h.curies))
}

// handleAPIGroup serves GET /api/v1/groups/{id}.
func (h *APIHandler) handleAPIGroup(w http.ResponseWriter, r *http.Request) {
	g, err := h.svc.apiGroup(r.Context(), r.PathValue("id"))
	if err != nil {
		apiFail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.group(g))
}

// handleAPIMembers serves GET /api/v1/groups/{id}/memberships
// (momentum:memberships). Next links carry a cursor (after=).
func (h *APIHandler) handleAPIMembers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, id := hal.PageFrom(q), r.PathValue("id")
	ms, total, next, err := h.svc.apiMembers(r.Context(), id, p, q.Get("after"))
	if err != nil {
		apiFail(w, r, err)
		return
	}
	items := make([]APIMembership, 0, len(ms))
	for _, m := range ms {
		items = append(items, h.membership(id, m))
	}
	c := hal.NewCollection("momentum:memberships", h.self(r), p, total, items, h.curies)
	if l, ok := c.Links["next"].(hal.Link); ok && next != "" {
		l.Href += "&after=" + url.QueryEscape(next)
		c.Links["next"] = l
	}
	hal.Write(w, http.StatusOK, c)
}

// handleAPIInvite serves POST /api/v1/groups/{id}/memberships with
// {"_links":{"osdi:person":{"href":".../people/<id>"}}}.
func (h *APIHandler) handleAPIInvite(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Links struct {
			Person *hal.Link `json:"osdi:person"`
		} `json:"_links"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	if err := dec.Decode(&in); err != nil {
		apiFail(w, r, errs.Fields(map[string]string{"body": "Send a JSON object like {\"_links\":{\"osdi:person\":{\"href\":\".../people/<id>\"}}}."}))
		return
	}
	personID := ""
	if in.Links.Person != nil {
		personID = personFromHref(in.Links.Person.Href)
	}
	if personID == "" {
		apiFail(w, r, errs.Fields(map[string]string{"_links.osdi:person.href": "Link the person to add, like .../api/v1/people/<id>."}))
		return
	}
	m, err := h.svc.apiInvite(r.Context(), r.PathValue("id"), personID)
	if err != nil {
		apiFail(w, r, err)
		return
	}
	hal.Write(w, http.StatusCreated, h.membership(r.PathValue("id"), *m))
}

// personFromHref takes the id out of ".../api/v1/people/<id>", or "".
func personFromHref(href string) string {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return ""
	}
	_, id, _ := strings.Cut(strings.TrimRight(u.Path, "/"), "/people/")
	if strings.Contains(id, "/") {
		return ""
	}
	return id
}

// self is the URL of the collection r asked for, without paging.
func (h *APIHandler) self(r *http.Request) *url.URL {
	u, _ := url.Parse(h.public + r.URL.Path)
	q := r.URL.Query()
	for _, k := range []string{"page", "per_page", "after"} {
		q.Del(k)
	}
	u.RawQuery = q.Encode()
	return u
}

// date writes a time as RFC 3339, or "" for none.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// APIGroup is a group in the API.
type APIGroup struct {
	Identifiers      []string       `json:"identifiers"`
	Name             string         `json:"name"`
	Slug             string         `json:"slug"`
	Kind             string         `json:"kind"`
	Status           string         `json:"status"`
	Description      string         `json:"description"`
	JoinPolicy       string         `json:"join_policy"`
	Region           string         `json:"region,omitempty"`
	Districts        []string       `json:"postcode_districts"`
	Centre           *APILocation   `json:"centre,omitempty"`
	RadiusKm         float64        `json:"radius_km,omitempty"`
	MemberCount      int            `json:"member_count"`
	BrowserURL       string         `json:"browser_url"`
	CreatedDate      string         `json:"created_date"`
	ModifiedDate     string         `json:"modified_date"`
	LastActivityDate string         `json:"last_activity_date,omitempty"`
	Links            map[string]any `json:"_links"`
}

// APILocation is a point, as OSDI writes one.
type APILocation struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// APIMembership is a person's membership of a group. PersonName is shown
// only to those the group lets see it.
type APIMembership struct {
	Identifiers []string       `json:"identifiers"`
	Role        string         `json:"role"`
	Status      string         `json:"status"`
	PersonName  string         `json:"person_name,omitempty"`
	JoinedDate  string         `json:"joined_date,omitempty"`
	Links       map[string]any `json:"_links"`
}

func (h *APIHandler) group(g *Group) APIGroup {
	out := APIGroup{Identifiers: []string{"momentum:" + g.ID}, Name: g.Name, Slug: g.Slug, Kind: g.Kind, Status: g.Status,
		Description: g.Description, JoinPolicy: g.JoinPolicy, Region: g.RegionName, Districts: g.Districts,
		RadiusKm: g.RadiusKm, MemberCount: g.MemberCount, BrowserURL: h.public + "/groups/" + g.Slug,
		CreatedDate: date(g.CreatedAt), ModifiedDate: date(g.UpdatedAt), LastActivityDate: date(g.LastActivityAt),
		Links: map[string]any{
			"self":                 h.link("/groups/" + g.ID),
			"momentum:memberships": h.link("/groups/" + g.ID + "/memberships"),
			"curies":               h.curies,
		}}
	if out.Districts == nil {
		out.Districts = []string{}
	}
	if g.Centre != nil {
		out.Centre = &APILocation{Latitude: g.Centre.Lat, Longitude: g.Centre.Lng}
	}
	if g.MergedInto != "" {
		out.Links["momentum:merged_into"] = h.link("/groups/" + g.MergedInto)
	}
	return out
}

func (h *APIHandler) membership(groupID string, m Member) APIMembership {
	// One part after "momentum:" (issue 14): clients split on the colon.
	return APIMembership{Identifiers: []string{"momentum:" + groupID + "_" + m.PersonID}, Role: m.Role, Status: m.Status,
		PersonName: m.Name, JoinedDate: date(m.JoinedAt), Links: map[string]any{
			"osdi:person":    h.link("/people/" + m.PersonID),
			"momentum:group": h.link("/groups/" + groupID),
		}}
}
