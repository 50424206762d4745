package talk

import "time"

// Subject kinds a thread can be attached to. A thread with no subject is a
// group's (GroupID set) or the network's discussion.
const (
	SubjectDecision = "decision"
	SubjectEvent    = "event"
	SubjectMeeting  = "meeting" // issue 18
)

// Visibilities of a thread (the search index uses the same words).
const (
	Public  = "public"  // anyone can read; members of its audience post
	Members = "members" // signed-in members of the network (and of its group)
	Group   = "group"   // the members of its group only
)

// Thread is a discussion: a group's, the network's, or attached to a
// decision, event or meeting (its Subject).
type Thread struct {
	ID        string
	GroupID   string // "" for network-wide
	GroupName string
	// SubjectKind and SubjectID say what the thread is attached to; both
	// "" for a free-standing thread. SubjectURL is the subject's page.
	SubjectKind, SubjectID, SubjectURL string
	Title                              string
	// Body is the opening post, Markdown (rendered with web.Markdown).
	Body         string
	Visibility   string
	AuthorUserID string
	AuthorName   string
	Pinned       bool
	Locked       bool
	LockReason   string
	CommentCount int // visible and hidden comments alike
	LastPostAt   time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// For the viewer (zero for the anonymous):
	Following bool
	Unread    int  // comments after the viewer's last read one
	New       bool // never opened by the viewer
	// Archived is true when the thread's group is archived: readable,
	// searchable, never written to.
	Archived bool
}

// Comment is one post in a thread; ParentID makes it a reply.
type Comment struct {
	ID           string
	ThreadID     string
	ParentID     string // "" for a top-level comment
	Depth        int    // 0 for top-level, 1 for a reply (replies to replies flatten to 1)
	AuthorUserID string
	AuthorName   string
	Body         string // Markdown; "" when Hidden and the viewer is not a moderator
	// Hidden comments stay in place, shown as "hidden by a moderator:
	// <reason>"; moderators can still read the body.
	Hidden       bool
	HiddenReason string
	Edited       bool // has revisions
	Reactions    []Reaction
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// For the viewer:
	Mine   bool
	Unread bool
}

// Reaction is one emoji's count on a comment.
type Reaction struct {
	Emoji string // one of Reactions
	Count int
	Mine  bool
}

// Reactions are the emoji a comment can get (a fixed set, as Loomio and
// GitHub do: no free text to moderate).
var Reactions = []string{"👍", "❤️", "🎉", "🤔", "👀", "👎"}

// Revision is an earlier text of a comment (or a thread's opening post).
type Revision struct {
	Title    string // a thread's earlier title (ThreadHistory); "" for a comment's
	Body     string
	EditedBy string // name
	At       time.Time
}

// ThreadInput starts a free-standing thread.
type ThreadInput struct {
	GroupID    string // "" for the network (admins and members)
	Title      string
	Body       string
	Visibility string // "" means Group for a group's thread, Members for the network's
}

// CommentInput is a comment or a reply.
type CommentInput struct {
	ParentID string // "" for a top-level comment
	Body     string
}

// ThreadFilter picks threads to list.
type ThreadFilter struct {
	GroupID string // a group's threads
	Network bool   // the network's threads (GroupID "")
	// Following lists the viewer's followed threads (any group).
	Following bool
	Limit     int // 0 means 50
	Offset    int
}

// Summary is what a decision's or event's page shows of its discussion.
type Summary struct {
	ThreadID     string // "" when nobody has started it
	URL          string // the discussion page
	CommentCount int
	Unread       int
	Latest       []Comment // the newest few, oldest first
	CanComment   bool
}

// Flag is a member's report of a comment.
type Flag struct {
	ID        string
	CommentID string
	ByName    string
	Reason    string
	CreatedAt time.Time
}

// QueueItem is one comment waiting for a moderator: flagged and not yet
// dealt with.
type QueueItem struct {
	Comment     Comment
	ThreadID    string
	ThreadTitle string
	GroupID     string
	GroupName   string
	Flags       []Flag
}

// Mute stops a person posting in a group until a time.
type Mute struct {
	GroupID   string
	UserID    string
	Name      string
	Until     time.Time
	Reason    string
	ByName    string
	CreatedAt time.Time
}

// MuteInput is a moderator's mute.
type MuteInput struct {
	GroupID string
	UserID  string
	For     time.Duration // 1h to 365 days
	Reason  string
}
