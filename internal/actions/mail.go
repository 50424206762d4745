package actions

import (
	"cmp"
	"context"
	"embed"
	"html/template"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// The mail the actions capability sends (mail/*.tmpl: a Subject line, a
// Why line, a blank line, the body).
//
//go:embed mail/*.tmpl
var mailFiles embed.FS

var mailTemplates = mail.MustParseTemplates(mailFiles, "mail/*.tmpl", nil)

// thanksBody is the action's thank-you text (Markdown) with
// {{given_name}} and {{title}} filled in, or a standard one.
func thanksBody(a *Action, givenName string) string {
	body := a.ThanksText
	if body == "" {
		if a.Kind == KindPetition {
			body = "Thank you for signing “{{title}}”. Please share it: every signature counts."
		} else {
			body = "Thank you for filling in “{{title}}”."
		}
		if givenName != "" {
			body = "Dear {{given_name}},\n\n" + body
		}
	}
	return fill(body, a, givenName)
}

// fill replaces the placeholders an organiser may write.
func fill(s string, a *Action, givenName string) string {
	return strings.NewReplacer("{{given_name}}", cmp.Or(givenName, "friend"), "{{title}}", a.Title).Replace(s)
}

// queueThanks queues the thank-you mail in tx (none without an address).
func (s *Service) queueThanks(ctx context.Context, tx *db.Tx, a *Action, to, givenName string) error {
	if to == "" {
		return nil
	}
	body := thanksBody(a, givenName)
	subject := fill(a.ThanksSubject, a, givenName)
	if subject == "" {
		subject = "Thank you: " + a.Title
	}
	url := s.d.BaseURL + "/act/" + a.Slug
	m, err := mailTemplates.Message("thanks.tmpl", to, map[string]any{"Subject": subject, "Title": a.Title,
		"Petition": a.Kind == KindPetition, "Site": cmp.Or(s.d.SiteName, "Momentum"), "Body": body, "URL": url})
	if err != nil {
		return err
	}
	m.HTML = string(web.Markdown(body)) + `<p><a href="` + template.HTMLEscapeString(url) + `">` +
		template.HTMLEscapeString(url) + `</a></p>`
	m.Kind, m.Related = mail.KindService, "actions.thanks"
	_, err = s.d.Mail.Queue(ctx, tx, m)
	return err
}

// queueConfirm queues the double opt-in mail with its link.
func (s *Service) queueConfirm(ctx context.Context, tx *db.Tx, a *Action, to, givenName, token string) error {
	m, err := mailTemplates.Message("confirm.tmpl", to, map[string]any{"Title": a.Title, "Petition": a.Kind == KindPetition,
		"Site": cmp.Or(s.d.SiteName, "Momentum"), "Greeting": "Hello " + cmp.Or(givenName, "there"),
		"Link": s.d.BaseURL + "/act/confirm/" + token})
	if err != nil {
		return err
	}
	m.Kind, m.Related = mail.KindService, "actions.confirm"
	_, err = s.d.Mail.Queue(ctx, tx, m)
	return err
}
