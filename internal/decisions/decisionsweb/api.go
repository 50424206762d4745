package decisionsweb

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/hal"
)

// APIHandler serves decisions in the API under the momentum: curie.
type APIHandler struct {
	svc          *decisions.Service
	public, base string
	curies       []hal.Link
}

// NewAPIHandler returns the API handlers; publicURL is the site's address.
func NewAPIHandler(svc *decisions.Service, publicURL string) *APIHandler {
	public := strings.TrimRight(publicURL, "/")
	return &APIHandler{svc: svc, public: public, base: public + "/api/v1", curies: hal.Curies(public + "/api/docs")}
}

// Routes mounts /api/v1/decisions.
func (h *APIHandler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/decisions", hal.Authenticated(h.handleList))
	mux.HandleFunc("GET /api/v1/decisions/{id}", hal.Authenticated(h.handleGet))
	mux.HandleFunc("GET /api/v1/decisions/{id}/ballots", hal.Authenticated(h.handleBallots))
}

var apiFail = hal.Fail

// APIResults is a closed decision's outcome in the API: who was elected
// (in order of election) or which option won, or a proposal's outcome.
type APIResults struct {
	Elected       []string `json:"elected,omitempty"`
	WinningOption string   `json:"winning_option,omitempty"`
	Outcome       string   `json:"outcome,omitempty"` // proposals: passed, rejected, blocked, no-quorum
	Decided       bool     `json:"decided"`
	QuorumMet     bool     `json:"quorum_met"`
	Summary       string   `json:"summary"`
	Turnout       int      `json:"turnout"`
	Electorate    int      `json:"electorate"`
	Ballots       int      `json:"ballots"`
	Exhausted     string   `json:"exhausted,omitempty"`
}

// APIDecision is a decision in the API.
type APIDecision struct {
	Identifiers      []string       `json:"identifiers"`
	Title            string         `json:"title"`
	Kind             string         `json:"kind"`
	Status           string         `json:"status"`
	Method           string         `json:"method"`
	Seats            int            `json:"seats"`
	Secret           bool           `json:"secret"`
	Group            string         `json:"group,omitempty"`
	Options          []string       `json:"options,omitempty"`
	OpensDate        string         `json:"opens_date,omitempty"`
	ClosesDate       string         `json:"closes_date,omitempty"`
	Electorate       int            `json:"electorate"`
	Results          *APIResults    `json:"results,omitempty"`
	OutcomeStatement string         `json:"outcome_statement,omitempty"`
	BrowserURL       string         `json:"browser_url"`
	CreatedDate      string         `json:"created_date"`
	ModifiedDate     string         `json:"modified_date"`
	Links            map[string]any `json:"_links"`
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (h *APIHandler) decision(l *decisions.Listed) APIDecision {
	d := &l.Decision
	out := APIDecision{Identifiers: []string{"momentum:" + d.ID}, Title: d.Title, Kind: string(d.Kind), Status: string(d.Status),
		Method: string(d.Method), Seats: d.Seats, Secret: d.Secret, Group: d.GroupName, OpensDate: date(d.OpensAt),
		ClosesDate: date(d.ClosesAt), Electorate: d.ElectorateSize, OutcomeStatement: d.Outcome,
		BrowserURL: h.public + "/decisions/" + d.ID, CreatedDate: date(d.CreatedAt), ModifiedDate: date(d.UpdatedAt),
		Links: map[string]any{"self": hal.Link{Href: h.base + "/decisions/" + d.ID}, "curies": h.curies}}
	for _, o := range d.Options {
		out.Options = append(out.Options, o.Label)
	}
	if d.GroupID != "" {
		out.Links["momentum:group"] = hal.Link{Href: h.base + "/groups/" + d.GroupID}
	}
	if s := l.Outcome; s != nil {
		res := &APIResults{Decided: s.Decided, QuorumMet: s.QuorumMet, Summary: s.Summary, Turnout: s.Turnout,
			Electorate: s.Electorate, Ballots: s.Ballots, Exhausted: s.Exhausted}
		switch {
		case d.Kind == decisions.KindProposal:
			if s.Proposal != nil {
				res.Outcome = s.Proposal.Outcome
			}
		case d.Kind == decisions.KindElection || d.Seats > 1:
			res.Elected = append([]string{}, s.Winners...)
		case len(s.Winners) > 0 && s.Decided:
			res.WinningOption = s.Winners[0]
		}
		out.Results = res
		title := "Anonymised ballots (CSV)"
		if d.Ranked() {
			title = "Anonymised ballots (BLT)"
		}
		out.Links["momentum:ballots"] = hal.Link{Href: h.base + "/decisions/" + d.ID + "/ballots", Title: title}
	}
	return out
}

// handleList serves GET /api/v1/decisions[?status=closed] (momentum:decisions):
// what the token or person may see, newest first.
func (h *APIHandler) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := hal.PageFrom(q)
	f := decisions.ListFilter{Visible: true, Limit: p.Size, Offset: p.Offset()}
	switch st := q.Get("status"); st {
	case "":
	case "closed":
		f.Closed = true
	default:
		f.Status = decisions.Status(st)
	}
	ls, total, err := h.svc.ListWithResults(r.Context(), f)
	if err != nil {
		apiFail(w, r, err)
		return
	}
	items := make([]APIDecision, 0, len(ls))
	for i := range ls {
		items = append(items, h.decision(&ls[i]))
	}
	hal.Write(w, http.StatusOK, hal.NewCollection("momentum:decisions", h.self(r), p, total, items, h.curies))
}

// handleGet serves GET /api/v1/decisions/{id}.
func (h *APIHandler) handleGet(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.GetWithResults(r.Context(), r.PathValue("id"))
	if err != nil {
		apiFail(w, r, err)
		return
	}
	hal.Write(w, http.StatusOK, h.decision(l))
}

// handleBallots serves GET /api/v1/decisions/{id}/ballots: the anonymised
// ballots of a closed decision, BLT for ranked methods and CSV otherwise.
func (h *APIHandler) handleBallots(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	ctype := "text/csv; charset=utf-8"
	err := h.svc.WriteBallots(r.Context(), r.PathValue("id"), &buf, func(format string) {
		if format == "blt" {
			ctype = "text/plain; charset=utf-8"
		}
	})
	if err != nil {
		apiFail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Write(buf.Bytes())
}

// self is the URL of the collection r asked for, without paging.
func (h *APIHandler) self(r *http.Request) *url.URL {
	u, _ := url.Parse(h.public + r.URL.Path)
	q := r.URL.Query()
	q.Del("page")
	q.Del("per_page")
	u.RawQuery = q.Encode()
	return u
}
