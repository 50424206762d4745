package messaging

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Channels a broadcast goes out on.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Statuses of a broadcast.
const (
	StatusDraft     = "draft"     // being written
	StatusApproval  = "approval"  // a group's broadcast waiting for an admin (when the network asks for it)
	StatusScheduled = "scheduled" // will start at SendAt
	StatusSending   = "sending"   // recipients fixed; the fan-out job is sending
	StatusPaused    = "paused"    // stopped by an organiser; Resume continues
	StatusSent      = "sent"      // every recipient tried
	StatusCancelled = "cancelled" // stopped for good; the rest are skipped
)

// Statuses of one recipient of a broadcast.
const (
	RecipientQueued     = "queued"
	RecipientSending    = "sending" // claimed by a job, not yet handed to the server
	RecipientSent       = "sent"
	RecipientFailed     = "failed"     // the server refused it, or attempts ran out
	RecipientBounced    = "bounced"    // a hard bounce reported later
	RecipientComplained = "complained" // marked as spam
	RecipientSkipped    = "skipped"    // cancelled, or consent withdrawn or address suppressed before its turn
)

// Target kinds: who a broadcast goes to. A broadcast's recipients are the
// union of its targets, each person once.
const (
	TargetList     = "list"     // a saved people list (ID)
	TargetFilter   = "filter"   // a people filter (Query: the people page's query string)
	TargetGroup    = "group"    // a group's members (ID)
	TargetTag      = "tag"      // people with a tag (Name)
	TargetEvent    = "event"    // people who said yes to an event (ID)
	TargetDecision = "decision" // a decision's electorate (ID)
)

// Target is one part of a broadcast's segment.
type Target struct {
	Kind  string `json:"kind"`
	ID    string `json:"id,omitempty"`    // list, group, event, decision
	Name  string `json:"name,omitempty"`  // tag
	Query string `json:"query,omitempty"` // filter: the people list's URL query, e.g. "group=…&tag=volunteer"
}

// Broadcast is an email or SMS to a segment of people.
type Broadcast struct {
	ID         string
	Channel    string // ChannelEmail or ChannelSMS
	GroupID    string // the sending group; "" for the network (admins)
	Status     string
	Subject    string // email only
	Body       string // Markdown with placeholders ({{first_name}}, {{group}}, {{next_event}}); plain text for SMS
	FromName   string // shown beside the network's address; default the group's or network's name
	ReplyTo    string // an address replies go to; default none
	Targets    []Target
	Track      bool      // opens and clicks counted (fixed when sending starts)
	SendAt     time.Time // zero: not scheduled
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ApprovedBy string
	ApprovedAt time.Time
	StartedAt  time.Time
	FinishedAt time.Time
	// Recipients is how many people the broadcast was fixed to when
	// sending started (0 before).
	Recipients int
}

// Input is what an organiser writes: Create and Update take it.
type Input struct {
	Channel  string
	GroupID  string
	Subject  string
	Body     string
	FromName string
	ReplyTo  string
	Targets  []Target
}

// Stats are a broadcast's honest figures. Opened and Clicked are only
// meaningful when Tracked.
type Stats struct {
	Recipients   int
	Queued       int // not yet tried (includes those being sent now)
	Sent         int // accepted by the server (bounced and complained ones included)
	Failed       int
	Bounced      int
	Complained   int
	Skipped      int
	Unsubscribed int // people who unsubscribed through this broadcast
	Tracked      bool
	Opened       int
	Clicked      int
}

// Limits of what an organiser writes.
const (
	maxSubject  = 200       // characters
	maxBody     = 100 << 10 // bytes of Markdown
	maxSMS      = 1600      // characters: ten SMS parts
	maxFromName = 100       // characters
	maxTargets  = 20
	maxTagName  = 100
	maxQuery    = 2000 // bytes of a filter's query string
)

// check puts in in canonical form and returns errs.Invalid naming every
// field that is wrong: channel, subject, body, from_name, reply_to,
// targets. Whether the writer may reach the targets is the service's
// question, not this one.
func (in *Input) check() error {
	bad := map[string]string{}
	in.Channel = strings.TrimSpace(in.Channel)
	if in.Channel == "" {
		in.Channel = ChannelEmail
	}
	if in.Channel != ChannelEmail && in.Channel != ChannelSMS {
		bad["channel"] = "Choose email or SMS."
	}
	in.GroupID = strings.TrimSpace(in.GroupID)
	in.Subject = strings.TrimSpace(in.Subject)
	in.FromName = strings.TrimSpace(in.FromName)
	in.ReplyTo = strings.TrimSpace(in.ReplyTo)
	in.Body = strings.TrimRight(strings.ReplaceAll(in.Body, "\r\n", "\n"), " \n\t")
	if in.Channel == ChannelEmail {
		switch {
		case in.Subject == "":
			bad["subject"] = "Write a subject."
		case utf8.RuneCountInString(in.Subject) > maxSubject:
			bad["subject"] = fmt.Sprintf("Use at most %d characters.", maxSubject)
		case strings.ContainsAny(in.Subject, "\r\n"):
			bad["subject"] = "Keep the subject on one line."
		}
	}
	switch {
	case strings.TrimSpace(in.Body) == "":
		bad["body"] = "Write the message."
	case in.Channel == ChannelEmail && len(in.Body) > maxBody:
		bad["body"] = "Keep the message under 100 KB."
	case in.Channel == ChannelSMS && utf8.RuneCountInString(in.Body) > maxSMS:
		bad["body"] = fmt.Sprintf("Keep a text message to %d characters.", maxSMS)
	default:
		if _, err := parsePlaceholders(in.Body); err != nil {
			bad["body"] = err.Error()
		} else if _, err := parsePlaceholders(in.Subject); err != nil && bad["subject"] == "" {
			bad["subject"] = err.Error()
		}
	}
	if utf8.RuneCountInString(in.FromName) > maxFromName || strings.ContainsAny(in.FromName, "\r\n<>\"") {
		bad["from_name"] = fmt.Sprintf("Use a plain name of at most %d characters.", maxFromName)
	}
	if in.ReplyTo != "" {
		a, err := mail.ParseAddress(in.ReplyTo)
		if err != nil || a.Name != "" || !strings.Contains(a.Address, ".") || len(a.Address) > 254 {
			bad["reply_to"] = "Enter one email address, like replies@example.org."
		} else {
			in.ReplyTo = strings.ToLower(a.Address)
		}
	}
	if msg := checkTargets(in.Targets); msg != "" {
		bad["targets"] = msg
	}
	return errs.Fields(bad)
}

// checkTargets checks the shape of each target (not whether they may be
// reached) and trims them; it returns what is wrong, or "".
func checkTargets(ts []Target) string {
	if len(ts) == 0 {
		return "Choose who the message goes to."
	}
	if len(ts) > maxTargets {
		return fmt.Sprintf("Choose at most %d groups, lists, tags or filters.", maxTargets)
	}
	for i := range ts {
		t := &ts[i]
		t.Kind, t.ID, t.Name, t.Query = strings.TrimSpace(t.Kind), strings.TrimSpace(t.ID), strings.TrimSpace(t.Name), strings.TrimSpace(t.Query)
		switch t.Kind {
		case TargetList, TargetGroup, TargetEvent, TargetDecision:
			if t.ID == "" || len(t.ID) > 64 {
				return fmt.Sprintf("Choose which %s the message goes to.", t.Kind)
			}
			t.Name, t.Query = "", ""
		case TargetTag:
			if t.Name == "" || utf8.RuneCountInString(t.Name) > maxTagName {
				return "Name the tag (1 to 100 characters)."
			}
			t.ID, t.Query = "", ""
		case TargetFilter:
			if len(t.Query) > maxQuery {
				return "That filter is too long."
			}
			if _, err := url.ParseQuery(strings.TrimPrefix(t.Query, "?")); err != nil {
				return "That filter is not a people list filter."
			}
			t.ID, t.Name = "", ""
		default:
			return "Choose lists, filters, groups, tags, events or decisions."
		}
	}
	return ""
}
