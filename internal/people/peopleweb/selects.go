package peopleweb

import "github.com/momentum-movement/momentum/internal/platform/web"

// selectField is what the "select" partial draws: a labelled select with
// the kept value and, when there is one, its error beside it.
type selectField struct {
	ID, Name, Label, Value, Error string
	Empty                         string // the label of a first, empty option; "" for none
	Options                       []option
}

// option is one choice of a select.
type option struct{ Value, Label string }

// newSelect builds a select for form's field name. id defaults to "f-"+name
// (as the field partial does); pass another where two forms on one page
// share a field name.
func newSelect(form *web.Form, id, name, label, empty string, opts []option) selectField {
	if id == "" {
		id = "f-" + name
	}
	return selectField{ID: id, Name: name, Label: label, Value: form.Get(name), Error: form.Error(name), Empty: empty, Options: opts}
}

// same turns values into options labelled as themselves.
func same(vs []string) []option {
	out := make([]option, len(vs))
	for i, v := range vs {
		out[i] = option{v, v}
	}
	return out
}

// groupOptions turns group choices into options.
func groupOptions(cs []groupChoice) []option {
	out := make([]option, len(cs))
	for i, c := range cs {
		out[i] = option{c.ID, c.Name}
	}
	return out
}

// Select draws the list's filter selects.
func (p listPage) Select(form *web.Form, name string) selectField {
	switch name {
	case "group":
		empty := "Any group"
		if len(p.Groups) > 0 && !p.AllGroups {
			empty = ""
		}
		return newSelect(form, "", name, "Group", empty, groupOptions(p.Groups))
	case "ladder":
		return newSelect(form, "", name, "Engagement", "Any", same(p.Ladder))
	case "consent":
		return newSelect(form, "", name, "Consents to", "Any channel or none", same(p.Channels))
	case "membership_status":
		return newSelect(form, "", name, "Membership", "Any", same(p.Statuses))
	}
	return newSelect(form, "", name, name, "", nil)
}

// Select draws the selects of a person's record page; each is bound to
// its section's form.
func (p *recordPage) Select(section, name string) selectField {
	form := p.FormFor(section)
	id := "f-" + section + "-" + name
	switch section + "." + name {
	case "membership.status":
		f := newSelect(form, id, name, "Membership status", "", same(p.Statuses))
		if f.Value == "" {
			f.Value = p.Person.MembershipStatus
		}
		return f
	case "consent.channel":
		return newSelect(form, id, name, "Channel", "", same(p.Channels))
	case "consent.status":
		return newSelect(form, id, name, "Consent", "", []option{{"granted", "granted"}, {"withdrawn", "withdrawn"}})
	case "notes.group":
		empty := ""
		if p.Admin {
			empty = "Admins only"
		}
		return newSelect(form, id, name, "Who may read it", empty, groupOptions(p.Groups))
	}
	return newSelect(form, id, name, name, "", nil)
}
