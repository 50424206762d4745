package groups

import (
	"context"
	"embed"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// The mail the groups capability sends, one text/template file per mail
// (mail/*.tmpl: a Subject line, a blank line, the body).
//
//go:embed mail/*.tmpl
var mailFiles embed.FS

var mailTemplates = mail.MustParseTemplates(mailFiles, "mail/*.tmpl", nil)

// MailNotifier is the Notifier app gives the service: it queues mail in the
// transaction that marks groups dormant, so a mail goes exactly when the
// change commits.
type MailNotifier struct {
	mail mail.Queuer
	base string // public address, for links
}

// NewMailNotifier returns the notifier that writes through m, with links to
// the site at baseURL.
func NewMailNotifier(m mail.Queuer, baseURL string) *MailNotifier {
	return &MailNotifier{mail: m, base: strings.TrimSuffix(baseURL, "/")}
}

var _ Notifier = (*MailNotifier)(nil)

// GroupDormant tells each organiser that their group is now dormant and how
// to revive it.
func (n *MailNotifier) GroupDormant(ctx context.Context, tx *db.Tx, g Group, emails []string) error {
	data := struct {
		Group Group
		Base  string
	}{g, n.base}
	return n.send(ctx, tx, "dormant.tmpl", "groups.dormant", emails, data)
}

// DormantDigest tells the admins, in one mail per run, which groups fell
// dormant.
func (n *MailNotifier) DormantDigest(ctx context.Context, tx *db.Tx, gs []Group, admins []string) error {
	data := struct {
		Groups []Group
		Base   string
	}{gs, n.base}
	return n.send(ctx, tx, "dormant_digest.tmpl", "groups.dormant_digest", admins, data)
}

func (n *MailNotifier) send(ctx context.Context, tx *db.Tx, tmpl, related string, to []string, data any) error {
	for _, addr := range to {
		m, err := mailTemplates.Message(tmpl, addr, data)
		if err != nil {
			return err
		}
		m.Related = related
		if _, err := n.mail.Queue(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}
