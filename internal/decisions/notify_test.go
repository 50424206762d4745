package decisions

import (
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestReminderTemplate renders the ballot reminder: the ballot, where it
// is, when it closes in the network's zone, the link, and why it was sent;
// never a receipt code.
func TestReminderTemplate(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	d := &Decision{ID: "d1", Title: "Where shall we meet?", ClosesAt: time.Date(2026, 6, 10, 17, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		name, group, where string
	}{{"Network", "", "a ballot of the whole network"}, {"Group", "Hackney Momentum", "a ballot of Hackney Momentum"}} {
		t.Run(tc.name, func(t *testing.T) {
			d.GroupName = tc.group
			body := mailtest.Rendered(t, mailTemplates, "reminder.tmpl", reminderData{Decision: d, Base: "https://act.example.org", Zone: london},
				"Reminder: voting on Where shall we meet? closes soon",
				`You have not voted yet on "Where shall we meet?", `+tc.where,
				"Voting closes at Wed 10 Jun 2026, 18:00 London time.", "Vote here: https://act.example.org/decisions/d1",
				"\n\n-- \nYou get this because you are on the electorate of this ballot and have not voted yet")
			if strings.Contains(strings.ToLower(body), "receipt") {
				t.Errorf("a reminder mentions a receipt:\n%s", body)
			}
		})
	}
}

// TestNewNeedsEveryCollaborator: the decisions service cannot be built
// half-wired; the error names what is missing.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := New(Deps{DB: dbtest.NewSQLite(t), Policy: auth.NewPolicy()})
	if err == nil || !strings.Contains(err.Error(), "missing Live, Reminder") {
		t.Fatalf("New without collaborators: %v", err)
	}
}
