package messaging

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/hook"
)

// Feedback is everything that comes back after a broadcast was sent: the
// one-click unsubscribe (unsubscribe.go), providers' bounces and complaints
// and the suppressions they cause (delivery.go, suppress.go), and opens and
// clicks where the network tracks them (tracking.go).
//
// It is a service of its own, beside Service, because its callers are
// strangers: mail clients, providers' webhooks and the people the mail
// reached, none of them signed in. Each of its public entry points is
// authorised by a credential that is not a session (a recipient's token, a
// provider's signature); the admin methods (Suppressions, Unsuppress) check
// the policy like any other service.
type Feedback struct {
	d   FeedbackDeps
	log *slog.Logger
	now func() time.Time
}

// Consents is what Feedback needs of people: recording a consent change
// inside its own transaction (people.Service.SetConsentTx).
type Consents interface {
	SetConsentTx(ctx context.Context, tx *db.Tx, personID string, c people.Consent) error
}

// FeedbackDeps is everything Feedback needs. Every field is required but
// Log and Now.
type FeedbackDeps struct {
	DB     *db.DB
	Policy *auth.Policy
	People Consents
	Log    *slog.Logger
	Now    func() time.Time
	// BaseURL is the site's public address, for tracked links.
	BaseURL string
	// SiteName is the network's name, on the unsubscribe page and in the
	// consent wording of a resubscription.
	SiteName string
}

// NewFeedback returns the feedback service, or an error naming the missing
// collaborators.
func NewFeedback(d FeedbackDeps) (*Feedback, error) {
	if err := hook.Need("messaging.NewFeedback", "DB", d.DB, "Policy", d.Policy, "People", d.People); err != nil {
		return nil, err
	}
	var missing []string
	if d.BaseURL == "" {
		missing = append(missing, "BaseURL")
	}
	if d.SiteName == "" {
		missing = append(missing, "SiteName")
	}
	if len(missing) > 0 {
		return nil, hook.Need("messaging.NewFeedback", missingPairs(missing)...)
	}
	d.BaseURL = strings.TrimSuffix(d.BaseURL, "/")
	f := &Feedback{d: d, log: d.Log, now: d.Now}
	if f.log == nil {
		f.log = slog.Default()
	}
	if f.now == nil {
		f.now = db.Now
	}
	return f, nil
}

// missingPairs turns names into hook.Need's pairs, each with a nil value,
// so a missing string reads like a missing collaborator.
func missingPairs(names []string) []any {
	out := make([]any, 0, 2*len(names))
	for _, n := range names {
		out = append(out, n, nil)
	}
	return out
}

// FeedbackRules are the policy rows of Feedback's admin methods; build adds
// them beside Rules(). Both are admin-only: suppressions are network-wide,
// and lifting one lets mail go again to an address that bounced.
func FeedbackRules() []auth.Rule {
	return []auth.Rule{
		{Action: ActSuppressionsView, Refusal: "Only admins can see the suppressed addresses."},
		{Action: ActSuppressionsEdit, Refusal: "Only admins can lift a suppression."},
	}
}

// Feedback's policy actions.
const (
	ActSuppressionsView auth.Action = "messaging.suppressions_view"
	ActSuppressionsEdit auth.Action = "messaging.suppressions_edit"
)
