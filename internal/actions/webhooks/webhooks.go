package webhooks

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// KindPing is the kind of a test delivery ("Send a test"); endpoints do
// not subscribe to it.
const KindPing = "ping"

// Delivery statuses.
const (
	StatusPending   = "pending"   // waiting, or being retried
	StatusDelivered = "delivered" // the receiver answered 2xx
	StatusFailed    = "failed"    // gave up after MaxAttempts
)

// Endpoint is a receiver of deliveries.
type Endpoint struct {
	ID string
	// GroupID limits the endpoint to events of one group; "" receives the
	// whole network's.
	GroupID     string
	URL         string
	Kinds       []string
	Enabled     bool
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Health, filled by List and Get.
	Pending, Failed int
	// LastStatus is the status of the latest delivery tried ("" before
	// any), LastCode the receiver's last HTTP status (0: no answer).
	LastStatus string
	LastCode   int
	LastError  string
}

// Wants reports whether the endpoint receives e: enabled, subscribed to
// its kind, and for the network or for e's group.
func (ep *Endpoint) Wants(e outbox.Event) bool {
	return ep.Enabled && slices.Contains(ep.Kinds, e.Kind) && (ep.GroupID == "" || ep.GroupID == e.GroupID)
}

// Input is what an admin gives for an endpoint.
type Input struct {
	// GroupID is set at creation only.
	GroupID     string
	URL         string
	Kinds       []string
	Enabled     bool
	Description string
}

// Delivery is one event (or ping) to send to one endpoint.
type Delivery struct {
	ID         string // the idempotency key
	EndpointID string
	Seq        int64
	EventID    string
	Kind       string
	Body       string
	Status     string
	Attempts   int
	LastCode   int
	LastError  string
	CreatedAt  time.Time
	FinishedAt *time.Time
	// Tries are the attempts, oldest first (Deliveries fills them).
	Tries []Attempt
}

// Attempt is one POST of a delivery.
type Attempt struct {
	ID         string
	DeliveryID string
	At         time.Time
	StatusCode int    // 0: no answer
	Response   string // at most the first 2 KB of the body
	Error      string
	Duration   time.Duration
}

// maxURL and maxDescription bound what an admin types.
const (
	maxURL         = 2000
	maxDescription = 500
)

// validate checks in and normalises it; fields are named as the form
// names them (url, kinds, description, group_id).
func (in *Input) validate() error {
	bad := map[string]string{}
	in.URL = strings.TrimSpace(in.URL)
	if msg := CheckURL(in.URL); msg != "" {
		bad["url"] = msg
	}
	var kinds []string
	for _, k := range in.Kinds {
		k = strings.TrimSpace(k)
		if k == "" || slices.Contains(kinds, k) {
			continue
		}
		if !slices.Contains(outbox.Kinds, k) {
			bad["kinds"] = "Choose kinds of event from the list."
			continue
		}
		kinds = append(kinds, k)
	}
	// The list's order, whatever the form's.
	slices.SortFunc(kinds, func(a, b string) int { return slices.Index(outbox.Kinds, a) - slices.Index(outbox.Kinds, b) })
	in.Kinds = kinds
	if len(kinds) == 0 && bad["kinds"] == "" {
		bad["kinds"] = "Choose at least one kind of event to send."
	}
	in.Description = strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(in.Description) > maxDescription {
		bad["description"] = "Keep the description under 500 characters."
	}
	in.GroupID = strings.TrimSpace(in.GroupID)
	return errs.Fields(bad)
}

// CheckURL says what is wrong with an endpoint's address, or "" when
// nothing is. HTTPS is required; plain HTTP only to this machine
// (localhost, 127.0.0.0/8, ::1), for the development receiver and tests.
// Private addresses are not refused: an admin may deliver to a service
// inside their own network, and as redirects are never followed a public
// endpoint cannot bounce a delivery inwards.
func CheckURL(raw string) string {
	if raw == "" {
		return "Give the address deliveries are sent to."
	}
	if len(raw) > maxURL {
		return "Keep the address under 2,000 characters."
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "Give a whole address, starting with https://."
	}
	if u.User != nil {
		return "Leave the user name and password out of the address; deliveries are signed instead."
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		if IsLoopback(u.Hostname()) {
			return ""
		}
		return "Use an https:// address: deliveries carry personal data. (Plain http:// is only for this machine, such as http://localhost.)"
	}
	return "Give an address starting with https://."
}

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newSecret makes an endpoint's signing secret: 32 random bytes, hex.
func newSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("webhooks: no randomness: " + err.Error())
	}
	return "whsec_" + hex.EncodeToString(b)
}

// RelFor is the curie a kind's resource is sent under: Action Network's
// where it has the resource, Momentum's otherwise.
func RelFor(kind string) string {
	switch kind {
	case outbox.PersonCreated:
		return "osdi:person"
	case outbox.PersonUnsubscribed:
		return "momentum:unsubscribe"
	case outbox.SignatureCreated:
		return "osdi:signature"
	case outbox.SubmissionCreated:
		return "osdi:submission"
	case outbox.AttendanceCreated, outbox.RSVPChanged:
		return "osdi:attendance"
	case outbox.DecisionClosed:
		return "momentum:decision"
	case KindPing:
		return "momentum:ping"
	}
	return "momentum:" + strings.ReplaceAll(kind, ".", "_")
}

// KindLabel is a kind as the admin pages name it.
func KindLabel(kind string) string {
	switch kind {
	case outbox.PersonCreated:
		return "New people"
	case outbox.PersonUnsubscribed:
		return "Unsubscribes"
	case outbox.SignatureCreated:
		return "Petition signatures"
	case outbox.SubmissionCreated:
		return "Form submissions"
	case outbox.AttendanceCreated:
		return "New RSVPs"
	case outbox.RSVPChanged:
		return "RSVP changes"
	case outbox.DecisionClosed:
		return "Closed decisions"
	case KindPing:
		return "Test"
	}
	return kind
}
