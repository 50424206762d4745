package actions

import (
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// Kinds of action.
const (
	KindPetition = "petition"
	KindForm     = "form"
)

// Statuses of an action: a draft is seen only by its organisers; an open
// action takes responses; a closed one shows its count but takes none.
const (
	StatusDraft  = "draft"
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// Question kinds on a form.
const (
	QText     = "text"
	QChoice   = "choice"
	QCheckbox = "checkbox"
	QNumber   = "number"
	QDate     = "date"
)

// Actions' permissions (Rules registers them with the policy).
const (
	ActManage auth.Action = "actions.manage" // create, edit, close; admins for the network, organisers for their group
	ActView   auth.Action = "actions.view"   // read responses (signer lists, submissions): as manage
)

// Action is a petition or a form.
type Action struct {
	ID      string
	Kind    string // petition | form
	GroupID string // "" for the network
	Slug    string // unique, for the public address /act/{slug}
	Title   string
	// Target is whom a petition is addressed to ("The Secretary of State
	// for Housing"); empty for forms.
	Target string
	// Text is Markdown: the petition's text, or a form's introduction.
	Text string
	// Goal is a petition's signature goal (0: none). Count is the number
	// of confirmed responses.
	Goal  int
	Count int
	// Comments lets signers leave a public comment with their signature.
	Comments bool
	// Questions are a form's custom questions (a petition may have none).
	Questions []Question
	// ConsentWording is shown beside the email opt-in box and recorded
	// word for word with the consent it gives.
	ConsentWording string
	// Tags are applied to everyone who responds.
	Tags []string
	// ThanksSubject and ThanksText are the thank-you mail (Markdown text;
	// {{given_name}} and {{title}} are filled in, in both); ThanksPage is shown
	// after responding (Markdown; empty: a standard page with sharing
	// links).
	ThanksSubject, ThanksText string
	ThanksPage                string
	Status                    string
	CreatedBy                 string // user id
	CreatedAt, UpdatedAt      time.Time
}

// Question is one custom question on a form.
type Question struct {
	Key      string   // [a-z0-9_]+, unique on the form; the answer's key
	Label    string   // what the person is asked
	Kind     string   // text | choice | checkbox | number | date
	Choices  []string // for choice
	Required bool
	// Field maps the answer to a person field ("given_name",
	// "family_name", "phone", "postcode", "locality") or a custom field
	// ("custom.<key>"); "" keeps it with the submission only.
	Field string
}

// Input is what an organiser writes to create or update an action.
type Input struct {
	Kind, GroupID, Slug, Title, Target, Text string
	Goal                                     int
	Comments                                 bool
	Questions                                []Question
	ConsentWording                           string
	Tags                                     []string
	ThanksSubject, ThanksText, ThanksPage    string
}

// Response is a signature (petition) or a submission (form).
type Response struct {
	ID       string
	ActionID string
	PersonID string
	// Name is what the public list shows: given name and the initial of
	// the family name, unless the person chose to hide it ("" then).
	Name string
	// FullName and Email are for the action's organisers (Responses,
	// Response): Email only when the person agreed to email.
	FullName, Email string
	Comment         string            // a petition's public comment
	Answers         map[string]string // a form's answers by question key
	// Source says where it came from: "page", "embed: <origin>",
	// "api: <token name>".
	Source    string
	Referrer  string
	CreatedAt time.Time
	// ConfirmedAt is when the response counts: at once, or when the
	// double opt-in link was followed (zero until then).
	ConfirmedAt time.Time
}

// Respond is one person's signature or submission, from a page, an embed
// or the API.
type Respond struct {
	GivenName, FamilyName, Email, Phone, Postcode string
	// Locality, Region and Country (two letters; "" is the network's
	// default, GB) complete the address an API client sends; a postcode
	// is checked as a UK one only when the country is GB (issue 14).
	Locality, Region, Country string
	Comment                   string
	Answers                   map[string]string
	// EmailOptIn is true when the person ticked the box beside the
	// action's ConsentWording.
	EmailOptIn bool
	// Tags are extra tags (the API's add_tags), besides the action's.
	Tags []string
	// Source and Referrer: see Response.
	Source, Referrer string
	// Spam signals from the web form (the API leaves them zero): the
	// honeypot field's value, when the form was rendered, and the
	// sender's address (rate-limited per address).
	Honeypot   string
	RenderedAt time.Time
	RemoteAddr string
}

// Result says what happened to a response.
type Result struct {
	Response *Response
	Created  bool // a new person was created
	// Pending is true when the response waits for the double opt-in link.
	Pending bool
	// Duplicate is true when this person had already responded: the
	// earlier response stands and nothing new was written (but for a new
	// confirmation mail when that response still waits for its link).
	Duplicate bool
	// Discarded is true when the honeypot was filled: nothing was written
	// (Response.ID is empty). Show the usual thanks: a bot must not learn
	// that it was caught.
	Discarded bool
}

// Filter narrows a list of actions.
type Filter struct {
	GroupID string // "" all the viewer may manage
	Kind    string
	Status  string
	After   string // keyset cursor: the last id of the previous page
	Limit   int
}
