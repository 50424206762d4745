package notices

import (
	"fmt"
	"regexp"
)

// Mode is how a person gets one kind of notice.
type Mode string

// The modes. Instant is the default: a person who chose nothing gets every
// notice as it happens.
const (
	ModeInstant Mode = "instant"
	ModeDigest  Mode = "digest"
	ModeOff     Mode = "off"
)

// Modes are the choices, in the order the preferences page offers them.
var Modes = []Mode{ModeInstant, ModeDigest, ModeOff}

// Label is the mode as the preferences page says it.
func (m Mode) Label() string {
	switch m {
	case ModeDigest:
		return "Daily digest"
	case ModeOff:
		return "Off"
	}
	return "Instant"
}

func (m Mode) valid() bool { return m == ModeInstant || m == ModeDigest || m == ModeOff }

// Kind is one kind of notice, declared by the capability that sends it.
type Kind struct {
	// Name is "<capability>.<what>", e.g. "events.reminder"; it is the
	// related label of the mail and the key of the preference.
	Name string
	// Label says it on the preferences page: "Reminders before events
	// you're going to".
	Label string
	// Service marks mail that always goes, whatever the person chose:
	// log-in links, receipts, the confirmation of one's own action, news
	// that one's place or event is gone. The page lists it as such.
	Service bool
}

var kindName = regexp.MustCompile(`^[a-z]+\.[a-z_]+$`)

func (k Kind) check() error {
	if !kindName.MatchString(k.Name) || k.Label == "" {
		return fmt.Errorf("notices: kind %q needs a name like \"events.reminder\" and a label", k.Name)
	}
	return nil
}

// Notice is one notification to one person.
type Notice struct {
	Kind    string // a declared Kind's Name
	To      string // the person's address
	Subject string
	Text    string // the plain-text body
	HTML    string // optional; a digest lists the text only
	// Why is the one sentence that says why the person gets it (see
	// mail.Message.Why); required.
	Why string
}

// Pref is one kind and the mode a person chose for it.
type Pref struct {
	Kind Kind
	Mode Mode
}
