package groups

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// Kinds of group.
const (
	KindLocal   = "local"   // a place: postcode districts, or a centre and radius
	KindWorking = "working" // a shared interest across the network
)

// Join policies.
const (
	JoinOpen    = "open"    // anyone signed in joins at once
	JoinRequest = "request" // an organiser approves each request
	JoinInvite  = "invite"  // only people an organiser invited
)

// Group statuses.
const (
	StatusActive   = "active"
	StatusDormant  = "dormant"  // no activity for the dormancy period
	StatusArchived = "archived" // read-only, kept and findable
)

// Roles in a group, from most to least trusted.
const (
	RoleOrganiser = "organiser"
	RoleModerator = "moderator"
	RoleMember    = "member"
)

// Membership statuses.
const (
	MemberActive    = "active"
	MemberRequested = "requested"
	MemberInvited   = "invited"
	MemberLeft      = "left"
)

// Limits on what people type.
const (
	maxNameLen        = 120
	maxDescriptionLen = 5000
	maxDistricts      = 50
	maxRadiusKm       = 200
)

// Region is a part of the country that local groups belong to.
type Region struct {
	ID        string
	Name      string
	Slug      string
	CreatedAt time.Time
}

// Group is a local or working group.
type Group struct {
	ID          string
	Slug        string
	Name        string
	Kind        string
	RegionID    string
	RegionName  string
	Description string
	JoinPolicy  string
	Status      string
	// MergedInto is the id of the group this one was merged into, and
	// MergedIntoSlug its address; both empty unless merged.
	MergedInto     string
	MergedIntoSlug string
	MergedIntoName string
	Centre         *geo.Point // nil when the group has no centre
	RadiusKm       float64
	Districts      []string // sorted
	// MemberCount counts active members.
	MemberCount    int
	LastActivityAt time.Time
	DormantAt      time.Time // zero unless dormant
	ArchivedAt     time.Time // zero unless archived
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Archived reports whether the group is read-only.
func (g *Group) Archived() bool { return g.Status == StatusArchived }

// Input is what Create and Update take.
type Input struct {
	Name        string
	Kind        string
	RegionID    string
	Description string
	JoinPolicy  string
	// Districts are postcode districts ("E8") or full postcodes, whose
	// district is taken.
	Districts []string
	Centre    *geo.Point
	RadiusKm  float64
}

// normalise trims the input and puts districts in their standard form. It
// returns the problems it found, by form field.
func (in *Input) normalise() map[string]string {
	bad := map[string]string{}
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	in.RegionID = strings.TrimSpace(in.RegionID)
	if in.JoinPolicy == "" {
		in.JoinPolicy = JoinOpen
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		bad["name"] = "Enter the group's name."
	case n > maxNameLen:
		bad["name"] = fmt.Sprintf("Use at most %d characters.", maxNameLen)
	}
	if in.Kind != KindLocal && in.Kind != KindWorking {
		bad["kind"] = "Choose local group or working group."
	}
	if !slices.Contains([]string{JoinOpen, JoinRequest, JoinInvite}, in.JoinPolicy) {
		bad["join_policy"] = "Choose how people join: open, by request or by invitation."
	}
	if utf8.RuneCountInString(in.Description) > maxDescriptionLen {
		bad["description"] = fmt.Sprintf("Use at most %d characters.", maxDescriptionLen)
	}
	var districts []string
	for _, raw := range in.Districts {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		_, d, ok := geo.NormalizePostcode(raw)
		if !ok {
			bad["districts"] = fmt.Sprintf("%q is not a UK postcode district (like E8 or SW1A).", strings.TrimSpace(raw))
			break
		}
		if !slices.Contains(districts, d) {
			districts = append(districts, d)
		}
	}
	slices.Sort(districts)
	in.Districts = districts
	if len(districts) > maxDistricts {
		bad["districts"] = fmt.Sprintf("Give at most %d districts.", maxDistricts)
	}
	switch {
	case in.Centre != nil && !in.Centre.Valid():
		bad["centre"] = "Give a latitude between -90 and 90 and a longitude between -180 and 180."
	case in.Centre != nil && (in.RadiusKm <= 0 || in.RadiusKm > maxRadiusKm):
		bad["radius_km"] = fmt.Sprintf("Give a radius between 0 and %d km.", maxRadiusKm)
	case in.Centre == nil && in.RadiusKm != 0:
		bad["centre"] = "Give the centre of the area as well as its radius."
	}
	if in.Kind == KindLocal && len(districts) == 0 && in.Centre == nil && bad["districts"] == "" && bad["centre"] == "" {
		bad["districts"] = "Give the postcode districts the group covers, or a centre and radius."
	}
	if in.Kind == KindWorking && (len(districts) > 0 || in.Centre != nil) {
		bad["districts"] = "Working groups span the network: leave the area empty."
	}
	return bad
}

// slugify turns a name into the address of a page: "St Albans & Harpenden"
// becomes "st-albans-harpenden". Letters outside ASCII are dropped, so a
// name of only such letters gives "group".
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	if b.Len() == 0 {
		return "group"
	}
	return b.String()
}

// reservedSlugs are paths under /groups that are not groups.
var reservedSlugs = []string{"new", "near", "regions"}

// roleRank orders roles so a merge keeps the higher one.
func roleRank(role string) int {
	switch role {
	case RoleOrganiser:
		return 3
	case RoleModerator:
		return 2
	case RoleMember:
		return 1
	}
	return 0
}

// statusRank orders membership statuses so a merge keeps the stronger one.
func statusRank(status string) int {
	switch status {
	case MemberActive:
		return 4
	case MemberInvited:
		return 3
	case MemberRequested:
		return 2
	case MemberLeft:
		return 1
	}
	return 0
}

// validRole reports whether role is a group role.
func validRole(role string) bool { return roleRank(role) > 0 }

// errArchived is what every write to an archived group returns.
func errArchived() error { return errs.E(errs.Conflict, "This group is archived.") }
