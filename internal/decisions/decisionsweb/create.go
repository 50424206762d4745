package decisionsweb

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/tally"
)

// kindChoice is a kind offered on the chooser.
type kindChoice struct {
	Kind, Name, About string
}

// kindAbout says what each kind is for, on the chooser.
var kindAbout = map[decisions.Kind]string{
	decisions.KindProposal:    "Members agree, abstain, disagree or block; a block needs a reason.",
	decisions.KindPoll:        "Each voter picks one option.",
	decisions.KindApproval:    "Each voter approves as many options as they like.",
	decisions.KindRanked:      "Voters rank the options; one winner by instant runoff or Schulze.",
	decisions.KindElection:    "Voters rank candidates for one or more seats, counted by STV; with nominations.",
	decisions.KindScore:       "Voters score every option.",
	decisions.KindDot:         "Voters spread a number of dots over the options.",
	decisions.KindMeetingTime: "Voters tick every time they can make.",
}

type newPage struct {
	GroupID, GroupName string
	Kind               string // "" shows the chooser
	KindName           string
	Kinds              []kindChoice
	Methods            []string
	// Action and DecisionID are set when the form changes a decision.
	Action, DecisionID string
	Zone               string // the network's zone, as "London time"
}

// handleNew serves GET /decisions/new?group=ID[&kind=K]: the kinds the
// person may start, or the form for one kind.
func (h *Handler) handleNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	defaults := url.Values{"group": {q.Get("group")}, "kind": {q.Get("kind")}, "members_only": {"true"},
		"required": {"1/2"}, "seats": {"1"}, "opens_time": {"09:00"}, "closes_time": {"21:00"}}
	h.newForm(w, r, http.StatusOK, web.NewForm(defaults))
}

// newForm renders the chooser or the form for the kind in form.
func (h *Handler) newForm(w http.ResponseWriter, r *http.Request, status int, form *web.Form) {
	nf, err := h.svc.CreateForm(r.Context(), form.Get("group"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := newPage{GroupID: nf.GroupID, GroupName: nf.GroupName, Zone: web.ZoneLabel(h.zone)}
	for _, k := range nf.Kinds {
		p.Kinds = append(p.Kinds, kindChoice{Kind: string(k), Name: decisions.KindName(k), About: kindAbout[k]})
	}
	if k := decisions.Kind(form.Get("kind")); slices.Contains(nf.Kinds, k) {
		p.Kind, p.KindName, p.Methods = string(k), decisions.KindName(k), decisions.Methods(k)
	}
	where := "for the whole network"
	if p.GroupName != "" {
		where = "for " + p.GroupName
	}
	title := "New decision " + where
	if p.Kind != "" {
		title = "New " + p.KindName + " " + where
	}
	h.rend.Page(w, r, status, "decisions/new", web.Page{Title: title, Data: p, Form: form})
}

// handleCreate serves POST /decisions.
func (h *Handler) handleCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	in, err := h.decisionInput(r.PostForm)
	if err == nil {
		var d *decisions.Decision
		if d, err = h.svc.Create(r.Context(), in); err == nil {
			web.Redirect(w, r, "/decisions/"+d.ID, "The decision is saved as a draft. Open it for discussion when it is ready.")
			return
		}
	}
	h.fail(w, r, err, func(code int, form *web.Form) {
		// Errors on single options show beside the options box.
		for k, v := range form.Errors {
			if strings.HasPrefix(k, "options.") && form.Errors["options"] == "" {
				form.Errors["options"] = v
			}
		}
		h.newForm(w, r, code, form)
	})
}

// decisionInput reads the new-decision form; errors name its fields, with
// the service's names for the times (opens_at, closes_at).
func (h *Handler) decisionInput(f url.Values) (decisions.Input, error) {
	bad := map[string]string{}
	num := func(field, msg string) int {
		v := strings.TrimSpace(f.Get(field))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			bad[field] = msg
		}
		return n
	}
	in := decisions.Input{GroupID: f.Get("group"), Title: f.Get("title"), Body: f.Get("body"), Topic: f.Get("topic"),
		Kind: decisions.Kind(f.Get("kind")), Method: tally.Method(f.Get("method")),
		Named: f.Get("named") == "true"}
	in.Seats = num("seats", "Give the number of seats as a whole number.")
	in.MaxPoints = num("max_points", "Give a whole number.")
	in.QuorumPercent = num("quorum_percent", "Give the quorum as a whole percentage, from 0 to 100.")
	in.NominationThreshold = num("nomination_threshold", "Give a whole number of supporters.")
	in.MinRepresentation = decisions.MinRepresentation{Category: f.Get("min_rep_category"),
		Seats: num("min_rep_seats", "Give a whole number of seats.")}
	// One option a line; a candidate's category for reserved seats follows
	// a bar: "Aisha Okafor | women".
	for _, line := range strings.Split(f.Get("options"), "\n") {
		label, category, _ := strings.Cut(line, "|")
		if label = strings.TrimSpace(label); label != "" {
			in.Options = append(in.Options, decisions.OptionInput{Label: label, Category: strings.TrimSpace(category)})
		}
	}
	in.OpensAt = h.when(f, "opens", "opens_at", bad)
	in.ClosesAt = h.when(f, "closes", "closes_at", bad)
	in.Electorate.MembersOnly = f.Get("members_only") == "true"
	if v := strings.TrimSpace(f.Get("member_since")); v != "" {
		day, err := time.ParseInLocation("2006-01-02", v, h.zone)
		if err != nil {
			bad["member_since"] = "Enter the date, like 2026-03-09."
		}
		// Members who joined on that day are in: the end of the day.
		in.Electorate.MemberSince = day.AddDate(0, 0, 1).Add(-time.Second)
	}
	switch f.Get("required") {
	case "", "1/2":
		in.Required = decisions.Majority
	case "2/3":
		in.Required = decisions.Share{Num: 2, Den: 3}
	default:
		bad["required"] = "Choose a simple majority or two thirds."
	}
	return in, errs.Fields(bad)
}

// when reads a date and a time (prefix_date, prefix_time) entered in
// the network's time zone; both empty means not set yet.
func (h *Handler) when(f url.Values, prefix, field string, bad map[string]string) time.Time {
	d, c := strings.TrimSpace(f.Get(prefix+"_date")), strings.TrimSpace(f.Get(prefix+"_time"))
	if d == "" {
		return time.Time{}
	}
	if c == "" {
		c = "00:00"
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", d+" "+c, h.zone)
	if err != nil {
		bad[field] = "Enter the date like 2026-03-09 and the time like 19:00."
		return time.Time{}
	}
	return t.UTC()
}
