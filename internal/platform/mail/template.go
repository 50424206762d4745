package mail

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"
	"text/template"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Queuer queues a message in the caller's transaction; *Service implements
// it. Capabilities that send mail take a Queuer, so they need nothing else
// of this package.
type Queuer interface {
	Queue(ctx context.Context, tx *db.Tx, m Message) (string, error)
}

var _ Queuer = (*Service)(nil)

// Templates are a capability's mails as text/template files, embedded in
// the capability (its mail/*.tmpl). Each file is one mail: a first line
// "Subject: …", optionally a second line "Why: …" (the one sentence that
// tells the person why they get it, see Message.Why), a blank line, then
// the plain-text body. Writing the words people receive in their own files
// keeps them readable and reviewable apart from the code that decides when
// to send them.
type Templates struct {
	t *template.Template
}

// ParseTemplates parses the files of fsys matching pattern. funcs may add
// helpers the templates call; nil adds none.
func ParseTemplates(fsys fs.FS, pattern string, funcs template.FuncMap) (*Templates, error) {
	t, err := template.New("").Option("missingkey=error").Funcs(funcs).ParseFS(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	return &Templates{t: t}, nil
}

// MustParseTemplates is ParseTemplates for package variables: the files are
// embedded, so an error is a bug found by the first test.
func MustParseTemplates(fsys fs.FS, pattern string, funcs template.FuncMap) *Templates {
	t, err := ParseTemplates(fsys, pattern, funcs)
	if err != nil {
		panic(err)
	}
	return t
}

// Render executes the template named name ("dormant.tmpl") with data and
// returns the subject and the text as the person reads it: the body with
// the Why line as its footer (WithWhy).
func (t *Templates) Render(name string, data any) (subject, text string, err error) {
	subject, body, why, err := t.render(name, data)
	if err != nil {
		return "", "", err
	}
	text, _ = WithWhy(body, "", why)
	return subject, text, nil
}

// render executes name and splits it into subject, body and why.
func (t *Templates) render(name string, data any) (subject, body, why string, err error) {
	var b bytes.Buffer
	if err := t.t.ExecuteTemplate(&b, name, data); err != nil {
		return "", "", "", fmt.Errorf("mail %s: %w", name, err)
	}
	head, body, ok := strings.Cut(b.String(), "\n\n")
	head, why, _ = strings.Cut(head, "\nWhy: ")
	subject, found := strings.CutPrefix(head, "Subject: ")
	if !ok || !found || strings.Contains(subject, "\n") || strings.Contains(why, "\n") {
		return "", "", "", fmt.Errorf("mail %s: want a \"Subject: …\" line, maybe a \"Why: …\" line, a blank line, then the body", name)
	}
	return strings.TrimSpace(subject), strings.TrimLeft(body, "\n"), strings.TrimSpace(why), nil
}

// Message renders name into a Message to the address given, its Why taken
// from the template's "Why:" line; the caller sets Kind and Related (and
// Why, when the template has no such line).
func (t *Templates) Message(name, to string, data any) (Message, error) {
	subject, text, why, err := t.render(name, data)
	if err != nil {
		return Message{}, err
	}
	return Message{To: to, Subject: subject, Text: text, Why: why}, nil
}
