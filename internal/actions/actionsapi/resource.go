package actionsapi

import (
	"time"

	"github.com/momentum-movement/momentum/internal/actions"
)

// Target is one of a petition's targets, as Action Network writes it.
type Target struct {
	Name string `json:"name"`
}

// Petition is an osdi:petition in Action Network's shape; Momentum's own
// fields carry the momentum: prefix.
type Petition struct {
	Identifiers     []string       `json:"identifiers"`
	OriginSystem    string         `json:"origin_system"`
	CreatedDate     string         `json:"created_date"`
	ModifiedDate    string         `json:"modified_date"`
	Title           string         `json:"title"`
	Description     string         `json:"description"`
	PetitionText    string         `json:"petition_text"`
	Target          []Target       `json:"target"`
	TotalSignatures int            `json:"total_signatures"`
	BrowserURL      string         `json:"browser_url"`
	Hidden          bool           `json:"momentum:hidden"`
	Status          string         `json:"momentum:status"`
	Slug            string         `json:"momentum:slug"`
	Goal            int            `json:"momentum:goal"`
	Comments        bool           `json:"momentum:comments"`
	ConsentWording  string         `json:"momentum:consent_wording"`
	Tags            []string       `json:"momentum:tags"`
	Links           map[string]any `json:"_links"`
}

// Form is an osdi:form in Action Network's shape.
type Form struct {
	Identifiers      []string       `json:"identifiers"`
	OriginSystem     string         `json:"origin_system"`
	CreatedDate      string         `json:"created_date"`
	ModifiedDate     string         `json:"modified_date"`
	Title            string         `json:"title"`
	Description      string         `json:"description"`
	CallToAction     string         `json:"call_to_action"`
	TotalSubmissions int            `json:"total_submissions"`
	BrowserURL       string         `json:"browser_url"`
	Hidden           bool           `json:"momentum:hidden"`
	Status           string         `json:"momentum:status"`
	Slug             string         `json:"momentum:slug"`
	Questions        []Question     `json:"momentum:questions"`
	ConsentWording   string         `json:"momentum:consent_wording"`
	Tags             []string       `json:"momentum:tags"`
	Links            map[string]any `json:"_links"`
}

// Question is one of a form's questions (momentum:questions).
type Question struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Kind     string   `json:"kind"`
	Choices  []string `json:"choices,omitempty"`
	Required bool     `json:"required"`
	Field    string   `json:"field,omitempty"`
}

// Referrer is where a response came from (Action Network's
// action_network:referrer_data).
type Referrer struct {
	Source   string `json:"source"`
	Referrer string `json:"referrer,omitempty"`
}

// Response is an osdi:signature or osdi:submission: a petition's
// signature carries comments, a form's submission momentum:answers.
type Response struct {
	Identifiers  []string          `json:"identifiers"`
	OriginSystem string            `json:"origin_system"`
	CreatedDate  string            `json:"created_date"`
	ModifiedDate string            `json:"modified_date"`
	Comments     *string           `json:"comments,omitempty"`
	Answers      map[string]string `json:"momentum:answers,omitempty"`
	PersonID     string            `json:"momentum:person_id"`
	PetitionID   string            `json:"momentum:petition_id,omitempty"`
	FormID       string            `json:"momentum:form_id,omitempty"`
	Confirmed    bool              `json:"momentum:confirmed"`
	ReferrerData Referrer          `json:"momentum:referrer_data"`
	Links        map[string]any    `json:"_links"`
}

// utc writes an instant in UTC, RFC 3339.
func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// links are an action's links, whichever its kind.
func (h *Handler) links(k kindInfo, a *actions.Action) map[string]any {
	self := "/" + k.collection + "/" + a.ID
	l := map[string]any{
		"self":   h.link(self),
		k.resps:  h.link(self + "/" + k.responses),
		k.helper: h.link(self + "/" + k.responses),
		"curies": h.curies,
	}
	if a.GroupID != "" {
		l["momentum:group"] = h.link("/groups/" + a.GroupID)
	}
	return l
}

func (h *Handler) petition(a *actions.Action) Petition {
	out := Petition{Identifiers: []string{"momentum:" + a.ID}, OriginSystem: "Momentum",
		CreatedDate: utc(a.CreatedAt), ModifiedDate: utc(a.UpdatedAt), Title: a.Title, Description: a.Text,
		PetitionText: a.Text, Target: []Target{}, TotalSignatures: a.Count, BrowserURL: h.public + "/act/" + a.Slug,
		Hidden: a.Status == actions.StatusDraft, Status: a.Status, Slug: a.Slug, Goal: a.Goal, Comments: a.Comments,
		ConsentWording: a.ConsentWording, Tags: nonNil(a.Tags), Links: h.links(petitions, a)}
	if a.Target != "" {
		out.Target = append(out.Target, Target{Name: a.Target})
	}
	return out
}

func (h *Handler) form(a *actions.Action) Form {
	out := Form{Identifiers: []string{"momentum:" + a.ID}, OriginSystem: "Momentum",
		CreatedDate: utc(a.CreatedAt), ModifiedDate: utc(a.UpdatedAt), Title: a.Title, Description: a.Text,
		CallToAction: "Sign up", TotalSubmissions: a.Count, BrowserURL: h.public + "/act/" + a.Slug,
		Hidden: a.Status == actions.StatusDraft, Status: a.Status, Slug: a.Slug, Questions: []Question{},
		ConsentWording: a.ConsentWording, Tags: nonNil(a.Tags), Links: h.links(forms, a)}
	for _, q := range a.Questions {
		out.Questions = append(out.Questions, Question{Key: q.Key, Label: q.Label, Kind: q.Kind, Choices: q.Choices,
			Required: q.Required, Field: q.Field})
	}
	return out
}

// action is the resource of a, as its kind writes it.
func (h *Handler) action(k kindInfo, a *actions.Action) any {
	if k.kind == actions.KindForm {
		return h.form(a)
	}
	return h.petition(a)
}

// responseResource is a signature or a submission of actionID.
func (h *Handler) responseResource(k kindInfo, actionID string, r *actions.Response) Response {
	modified := r.CreatedAt
	if !r.ConfirmedAt.IsZero() {
		modified = r.ConfirmedAt
	}
	out := Response{Identifiers: []string{"momentum:" + r.ID}, OriginSystem: "Momentum",
		CreatedDate: utc(r.CreatedAt), ModifiedDate: utc(modified), PersonID: r.PersonID,
		Confirmed: !r.ConfirmedAt.IsZero(), ReferrerData: Referrer{Source: r.Source, Referrer: r.Referrer},
		Links: map[string]any{
			"self":        h.link("/" + k.collection + "/" + actionID + "/" + k.responses + "/" + r.ID),
			k.one:         h.link("/" + k.collection + "/" + actionID),
			"osdi:person": h.link("/people/" + r.PersonID),
		}}
	if k.kind == actions.KindForm {
		out.FormID, out.Answers = actionID, r.Answers
		if out.Answers == nil {
			out.Answers = map[string]string{}
		}
	} else {
		c := r.Comment
		out.PetitionID, out.Comments = actionID, &c
	}
	return out
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
