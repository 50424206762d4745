package people

import (
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// Membership statuses.
const (
	StatusSupporter = "supporter"
	StatusMember    = "member"
	StatusLapsed    = "lapsed"
)

// The rungs of the engagement ladder, lowest first. A person's rung is
// computed from what they do (see ladderExpr), never typed in.
const (
	LadderSupporter = "supporter"
	LadderDonor     = "donor"
	LadderMember    = "member"
	LadderActive    = "active"
	LadderOrganiser = "organiser"
)

// Ladder lists the rungs from lowest to highest.
var Ladder = []string{LadderSupporter, LadderDonor, LadderMember, LadderActive, LadderOrganiser}

// ActiveWindow is how long a person counts as active after taking part.
const ActiveWindow = 90 * 24 * time.Hour

// Sources say where a person came from.
const (
	SourceImport = "import"
	SourceSignup = "signup"
	SourceEvent  = "event"
	SourceAPI    = "api"
	SourceAdmin  = "admin"
)

// Consent channels and statuses.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
	ChannelPhone = "phone"
	ChannelPost  = "post"

	ConsentGranted   = "granted"
	ConsentWithdrawn = "withdrawn"
)

// Channels lists the consent channels.
var Channels = []string{ChannelEmail, ChannelSMS, ChannelPhone, ChannelPost}

// Person is a record the network holds about someone, whether or not they
// have an account. What a viewer gets is projected (see Project): fields they
// may not see are empty.
type Person struct {
	ID     string
	UserID string // the linked account, if any
	// GivenName and FamilyName are empty after erasure.
	GivenName, FamilyName string
	// Email and Phone are the primary address and number (E.164); Emails and
	// Phones hold every one, the primary first.
	Email, Phone     string
	Emails, Phones   []string
	Address          Address
	Location         *geo.Point
	Language         string
	MembershipStatus string // supporter, member or lapsed
	MemberSince      *time.Time
	LapsedAt         *time.Time
	LastActiveAt     *time.Time
	ErasedAt         *time.Time
	Ladder           string // supporter, donor, member, active or organiser
	Source           string // import, signup, event, api or admin
	SourceDetail     string
	CustomFields     map[string]string
	// ShowName: the person lets other members see their name.
	ShowName bool
	Tags     []string
	// Consents is the current consent by channel.
	Consents  map[string]Consent
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Name is the person's full name, or "" (erased, or hidden from the viewer).
func (p *Person) Name() string {
	return strings.TrimSpace(p.GivenName + " " + p.FamilyName)
}

// Erased reports whether the record was anonymised on request.
func (p *Person) Erased() bool { return p.ErasedAt != nil }

// HasConsent reports whether consent for channel is currently granted.
func (p *Person) HasConsent(channel string) bool {
	c, ok := p.Consents[channel]
	return ok && c.Status == ConsentGranted
}

// Address is a postal address. Postcode is normalised ("E8 1DY") and
// District is its outward code ("E8"), both for UK addresses only.
type Address struct {
	Line1, Line2, Locality, Region, Postcode, District, Country string
}

// Consent is a person's current consent on one channel.
type Consent struct {
	Channel string // email, sms, phone or post
	Status  string // granted or withdrawn
	// Source says how it was given: "signup form", "import: file.csv".
	Source string
	// Wording is what the person agreed to, word for word.
	Wording   string
	ChangedAt time.Time
}

// ConsentChange is one row of a person's consent history.
type ConsentChange struct {
	Consent
	// ActorLabel names who recorded the change (an email, "system").
	ActorLabel string
}

// Tag is a label on people, with how many carry it.
type Tag struct {
	ID        string
	Name      string
	Count     int
	CreatedAt time.Time // set by TagsPage and TagByID
}

// Note is an organiser's or admin's private note on a person. GroupID is
// the group whose organisers may read it; empty for admins-only notes.
type Note struct {
	ID        string
	PersonID  string
	AuthorID  string
	GroupID   string
	Body      string
	CreatedAt time.Time
}

// Donation is money a person gave, recorded or imported.
type Donation struct {
	ID          string
	AmountPence int64
	Currency    string // ISO 4217, default GBP
	DonatedAt   time.Time
	Source      string // "stripe", "import: donations.csv"
	// ExternalID is the payment system's id: importing the same donation
	// twice records it once.
	ExternalID string
}

// Action is something a person did, reported by any capability: a row on
// their timeline. Participation (attending, voting, speaking) makes the
// person active on the ladder.
type Action struct {
	ID            string
	PersonID      string
	Kind          string // "event.attended", "decision.voted", "donation"
	Summary       string
	RefType       string
	RefID         string
	GroupID       string
	At            time.Time
	Participation bool
}

// KindAdded is the kind of the first entry of every timeline, how the
// person came to the network. It is made from the person's record rather
// than stored (see Service.Timeline).
const KindAdded = "person.added"

// GroupMembership is a row of group_members, as seen from the person.
type GroupMembership struct {
	GroupID  string
	Role     string
	Status   string
	JoinedAt *time.Time
}
