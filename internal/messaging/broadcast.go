package messaging

import "time"

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
	Sent         int // accepted by the server
	Failed       int
	Bounced      int
	Complained   int
	Skipped      int
	Unsubscribed int // people who unsubscribed through this broadcast
	Tracked      bool
	Opened       int
	Clicked      int
}
