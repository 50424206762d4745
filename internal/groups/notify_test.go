package groups

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestMailTemplates renders each of the groups mails and checks the words
// and links people receive.
func TestMailTemplates(t *testing.T) {
	g := Group{Name: "Hackney Tenants", Slug: "hackney-tenants"}
	n := NewMailNotifier(nil, "https://act.example.org/")
	for _, tc := range []struct {
		tmpl        string
		data        any
		subject     string
		bodyContain []string
	}{
		{"dormant.tmpl", struct {
			Group Group
			Base  string
		}{g, n.base}, "Hackney Tenants has gone quiet", []string{
			"Nothing has happened in Hackney Tenants for a while, so it is now marked dormant.",
			`choose "Revive": https://act.example.org/groups/hackney-tenants`,
			"its history stays findable either way.", "\n\n-- \nYou get this because you organise Hackney Tenants.\n"}},
		{"dormant_digest.tmpl", struct {
			Groups []Group
			Base   string
		}{[]Group{g, {Name: "Leyton", Slug: "leyton"}}, n.base}, "2 group(s) turned dormant", []string{
			"These groups have had no activity for a while and are now dormant:\n\n",
			"- Hackney Tenants: https://act.example.org/groups/hackney-tenants\n- Leyton: https://act.example.org/groups/leyton\n",
			"\n\n-- \nYou get this because you are an admin of the network"}},
	} {
		t.Run(tc.tmpl, func(t *testing.T) {
			mailtest.Rendered(t, mailTemplates, tc.tmpl, tc.data, tc.subject, tc.bodyContain...)
		})
	}
}

// TestNewServiceNeedsEveryCollaborator: the groups service cannot be built
// half-wired; the error names what is missing.
func TestNewServiceNeedsEveryCollaborator(t *testing.T) {
	d := dbtest.NewSQLite(t)
	_, err := NewService(Deps{DB: d, Policy: auth.NewPolicy()})
	if err == nil || !strings.Contains(err.Error(), "missing People, Recorder, Notifier, Panels") {
		t.Fatalf("NewService without collaborators: %v", err)
	}
}
