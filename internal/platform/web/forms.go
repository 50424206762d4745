package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Form is what a page needs to redraw a form: the values the person entered
// and what is wrong with them. Errors[""] holds a message for the whole form.
// All methods work on a nil *Form, so a page can render an empty form with
// Page{Form: nil}.
type Form struct {
	Values url.Values
	Errors map[string]string
}

// NewForm returns a form holding values and no errors. Edit pages pass the
// record's current values; a re-render passes r.PostForm.
func NewForm(values url.Values) *Form {
	if values == nil {
		values = url.Values{}
	}
	return &Form{Values: values, Errors: map[string]string{}}
}

// FormWithError returns a form that keeps values and shows err: its per-field
// messages beside the fields, or, when it has none, its safe message as a
// form-level error under "".
func FormWithError(values url.Values, err error) *Form {
	f := NewForm(values)
	for k, v := range errs.FieldsOf(err) {
		f.Errors[k] = v
	}
	if len(f.Errors) == 0 && err != nil {
		f.Errors[""] = errs.MessageOf(err)
	}
	return f
}

// Get returns the first value entered for name.
func (f *Form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Error returns the message for name ("" for the form as a whole).
func (f *Form) Error(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// HasErrors reports whether any message is set.
func (f *Form) HasErrors() bool { return f != nil && len(f.Errors) > 0 }

// Field is what the "field" partial draws: a label, one control and, when
// there is one, its error beside it. Build it in a template with the field
// function (see the package documentation).
type Field struct {
	Name, Label, Type string
	Value             string // never set for type=password
	Checked           bool   // type=checkbox
	Error             string
	Hint              string
	Attrs             map[string]string // extra attributes, e.g. autocomplete, required
}

// ID is the control's id, which the label points at.
func (f Field) ID() string { return "f-" + f.Name }

// ErrorID is the id of the error text, for aria-describedby.
func (f Field) ErrorID() string { return "f-" + f.Name + "-error" }

// HintID is the id of the hint text, for aria-describedby.
func (f Field) HintID() string { return "f-" + f.Name + "-hint" }

// DescribedBy lists the ids of the hint and error, if any.
func (f Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.HintID())
	}
	if f.Error != "" {
		ids = append(ids, f.ErrorID())
	}
	return strings.Join(ids, " ")
}

// reservedAttrs are drawn by the partial itself; passing them as extras would
// produce duplicate attributes.
var reservedAttrs = map[string]bool{
	"id": true, "name": true, "type": true, "value": true, "checked": true,
	"aria-invalid": true, "aria-describedby": true,
}

// newField backs the template function field:
//
//	field .Form "email" "Email address" "email" "autocomplete=email" "required" "hint=We never share it."
//
// Each extra is "attr=value" or a bare boolean attribute; "hint=" is shown
// under the label. html/template still refuses event-handler and URL
// attributes given this way.
func newField(form *Form, name, label, typ string, extras ...string) (Field, error) {
	if name == "" {
		return Field{}, fmt.Errorf("field: empty name")
	}
	if typ == "" {
		typ = "text"
	}
	f := Field{Name: name, Label: label, Type: typ, Error: form.Error(name), Attrs: map[string]string{}}
	for _, e := range extras {
		k, v, _ := strings.Cut(e, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		switch {
		case k == "hint":
			f.Hint = v
		case k == "" || reservedAttrs[k]:
			return Field{}, fmt.Errorf("field %q: attribute %q is not allowed here", name, k)
		default:
			f.Attrs[k] = v
		}
	}
	switch typ {
	case "password":
		// A password is never sent back to the browser.
	case "checkbox":
		switch strings.ToLower(form.Get(name)) {
		case "on", "true", "1", "yes":
			f.Checked = true
		}
	default:
		f.Value = form.Get(name)
	}
	return f, nil
}
