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
// "Subject: …", a blank line, then the plain-text body. Writing the words
// people receive in their own files keeps them readable and reviewable
// apart from the code that decides when to send them.
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
// returns the subject and the body.
func (t *Templates) Render(name string, data any) (subject, text string, err error) {
	var b bytes.Buffer
	if err := t.t.ExecuteTemplate(&b, name, data); err != nil {
		return "", "", fmt.Errorf("mail %s: %w", name, err)
	}
	head, body, ok := strings.Cut(b.String(), "\n\n")
	subject, found := strings.CutPrefix(head, "Subject: ")
	if !ok || !found || strings.Contains(subject, "\n") {
		return "", "", fmt.Errorf("mail %s: want a \"Subject: …\" line, a blank line, then the body", name)
	}
	return strings.TrimSpace(subject), strings.TrimLeft(body, "\n"), nil
}

// Message renders name into a Message to the address given; the caller
// sets Kind and Related.
func (t *Templates) Message(name, to string, data any) (Message, error) {
	subject, text, err := t.Render(name, data)
	if err != nil {
		return Message{}, err
	}
	return Message{To: to, Subject: subject, Text: text}, nil
}
