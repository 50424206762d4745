package actionsweb

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// maxQuestions is how many question rows the form has (q_*_0 … q_*_9).
const maxQuestions = 10

// inputFrom reads an action's form. A goal that is not a whole number is an
// error naming the field; question rows left empty are skipped.
func inputFrom(v url.Values) (actions.Input, error) {
	in := actions.Input{
		Kind: v.Get("kind"), GroupID: v.Get("group_id"), Slug: strings.TrimSpace(v.Get("slug")),
		Title: v.Get("title"), Target: v.Get("target"), Text: v.Get("text"),
		Comments: v.Get("comments") == "true", ConsentWording: v.Get("consent_wording"),
		ThanksSubject: v.Get("thanks_subject"), ThanksText: v.Get("thanks_text"), ThanksPage: v.Get("thanks_page"),
	}
	bad := map[string]string{}
	if g := strings.TrimSpace(v.Get("goal")); g != "" {
		n, err := strconv.Atoi(g)
		if err != nil || n < 0 {
			bad["goal"] = "Enter the goal as a whole number, like 1000, or leave it empty."
			n = -1 // the service refuses it too, with the other fields' errors
		}
		in.Goal = n
	}
	for t := range strings.SplitSeq(v.Get("tags"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			in.Tags = append(in.Tags, t)
		}
	}
	for i := range maxQuestions {
		n := strconv.Itoa(i)
		q := actions.Question{Key: strings.TrimSpace(v.Get("q_key_" + n)), Label: strings.TrimSpace(v.Get("q_label_" + n)),
			Kind: v.Get("q_kind_" + n), Required: v.Get("q_required_"+n) == "true", Field: strings.TrimSpace(v.Get("q_field_" + n))}
		for c := range strings.SplitSeq(v.Get("q_choices_"+n), "\n") {
			if c = strings.TrimSpace(c); c != "" {
				q.Choices = append(q.Choices, c)
			}
		}
		if q.Key == "" && q.Label == "" && len(q.Choices) == 0 && q.Field == "" {
			continue
		}
		if q.Kind == "" {
			q.Kind = actions.QText
		}
		in.Questions = append(in.Questions, q)
	}
	if len(bad) > 0 {
		return in, errs.Fields(bad)
	}
	return in, nil
}

// merge adds the form's own parse errors to the service's.
func merge(parse, svc error) error {
	if parse == nil {
		return svc
	}
	bad := map[string]string{}
	for k, v := range errs.FieldsOf(svc) {
		bad[k] = v
	}
	for k, v := range errs.FieldsOf(parse) {
		bad[k] = v
	}
	return errs.Fields(bad)
}

// valuesOf is the form of an existing action, for its edit page.
func valuesOf(a *actions.Action) url.Values {
	v := url.Values{}
	v.Set("kind", a.Kind)
	v.Set("group_id", a.GroupID)
	v.Set("title", a.Title)
	v.Set("slug", a.Slug)
	v.Set("target", a.Target)
	v.Set("text", a.Text)
	if a.Goal > 0 {
		v.Set("goal", strconv.Itoa(a.Goal))
	}
	if a.Comments {
		v.Set("comments", "true")
	}
	v.Set("consent_wording", a.ConsentWording)
	v.Set("tags", strings.Join(a.Tags, ", "))
	v.Set("thanks_subject", a.ThanksSubject)
	v.Set("thanks_text", a.ThanksText)
	v.Set("thanks_page", a.ThanksPage)
	for i, q := range a.Questions {
		n := strconv.Itoa(i)
		v.Set("q_key_"+n, q.Key)
		v.Set("q_label_"+n, q.Label)
		v.Set("q_kind_"+n, q.Kind)
		v.Set("q_choices_"+n, strings.Join(q.Choices, "\n"))
		if q.Required {
			v.Set("q_required_"+n, "true")
		}
		v.Set("q_field_"+n, q.Field)
	}
	return v
}

// questionRow is one row of the question table on the action form.
type questionRow struct {
	N                    string // the fields' index
	Num                  int    // the heading's number, from 1
	Kind, Choices        string
	Required             bool
	KindErr, ChoicesErr  string
	KeyF, LabelF, FieldF qtext
}

// qtext is one text box of a question row.
type qtext struct{ Name, Label, N, Value, Err string }

// questionRows are the rows the form shows: those filled in, then empty
// ones up to three more (at most maxQuestions).
func questionRows(f interface {
	Get(string) string
	Error(string) string
}) []questionRow {
	last := -1
	for i := range maxQuestions {
		n := strconv.Itoa(i)
		if f.Get("q_key_"+n) != "" || f.Get("q_label_"+n) != "" {
			last = i
		}
	}
	count := min(maxQuestions, max(last+1+3, 3))
	rows := make([]questionRow, count)
	for i := range rows {
		n := strconv.Itoa(i)
		text := func(name, label string) qtext {
			return qtext{Name: name, Label: label, N: n, Value: f.Get("q_" + name + "_" + n), Err: f.Error("q_" + name + "_" + n)}
		}
		rows[i] = questionRow{N: n, Num: i + 1, Kind: f.Get("q_kind_" + n), Choices: f.Get("q_choices_" + n),
			Required: f.Get("q_required_"+n) == "true", KindErr: f.Error("q_kind_" + n), ChoicesErr: f.Error("q_choices_" + n),
			KeyF: text("key", "Key"), LabelF: text("label", "Question"), FieldF: text("field", "Save the answer to")}
	}
	return rows
}

// questionKinds are the kinds a question may have, for the select.
var questionKinds = []struct{ Value, Label string }{
	{actions.QText, "Text"}, {actions.QChoice, "One of a list"}, {actions.QCheckbox, "Tick box"},
	{actions.QNumber, "Number"}, {actions.QDate, "Date"},
}
