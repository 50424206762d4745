package talk

import (
	"context"
	"errors"
	"time"
)

// CONTRACT (issue 13): the signatures below are what talkweb, the demo
// and the tests code against. The talk helper fills them in and owns Deps
// and New; change a signature only when it must, and say so in the report.

// Deps are the collaborators of the Service (the talk helper fills this).
type Deps struct{}

// Service is the only entry to talk for handlers, jobs and other
// capabilities.
type Service struct{ d Deps }

// New returns the Service, or an error naming each missing collaborator.
func New(d Deps) (*Service, error) { return &Service{d: d}, nil }

var errNotBuilt = errors.New("talk: not built yet")

// Threads lists threads the viewer may read, pinned first, then by latest post.
func (s *Service) Threads(ctx context.Context, f ThreadFilter) ([]Thread, error) {
	return nil, errNotBuilt
}

// Thread returns a thread and its comments (oldest first, replies after
// their parent), as the viewer may see them. It does not mark them read.
func (s *Service) Thread(ctx context.Context, id string) (*Thread, []Comment, error) {
	return nil, nil, errNotBuilt
}

// StartThread starts a free-standing thread in a group or the network; the
// author follows it.
func (s *Service) StartThread(ctx context.Context, in ThreadInput) (*Thread, error) {
	return nil, errNotBuilt
}

// Attached returns the thread attached to a subject (SubjectDecision,
// SubjectEvent, SubjectMeeting), or nil and no error when none was started;
// the viewer must be able to see the subject.
func (s *Service) Attached(ctx context.Context, kind, id string) (*Thread, []Comment, error) {
	return nil, nil, errNotBuilt
}

// Summary is the subject page's view of its discussion.
func (s *Service) Summary(ctx context.Context, kind, id string) (*Summary, error) {
	return nil, errNotBuilt
}

// CommentOn comments on a subject's thread, starting it on the first comment.
func (s *Service) CommentOn(ctx context.Context, kind, id string, in CommentInput) (*Thread, *Comment, error) {
	return nil, nil, errNotBuilt
}

// Comment adds a comment or reply to a thread: its audience may, unless
// the thread is locked, the group archived or the author muted. @mentions
// of people who may read the thread notify them (notice kind
// "talk.mention"); followers get "talk.reply". The author follows.
func (s *Service) Comment(ctx context.Context, threadID string, in CommentInput) (*Comment, error) {
	return nil, errNotBuilt
}

// Edit changes one's own comment (moderators: any), keeping the old text
// as a Revision.
func (s *Service) Edit(ctx context.Context, commentID, body string) (*Comment, error) {
	return nil, errNotBuilt
}

// History lists a comment's earlier texts, newest first.
func (s *Service) History(ctx context.Context, commentID string) ([]Revision, error) {
	return nil, errNotBuilt
}

// React adds (on) or takes back the viewer's reaction.
func (s *Service) React(ctx context.Context, commentID, emoji string, on bool) error {
	return errNotBuilt
}

// Follow starts or stops the viewer following a thread.
func (s *Service) Follow(ctx context.Context, threadID string, on bool) error { return errNotBuilt }

// MarkRead records that the viewer has read a thread up to now.
func (s *Service) MarkRead(ctx context.Context, threadID string) error { return errNotBuilt }

// Pin pins or unpins a thread (the group's organisers and moderators).
func (s *Service) Pin(ctx context.Context, threadID string, on bool) error { return errNotBuilt }

// Lock locks (with a reason) or unlocks a thread (moderators).
func (s *Service) Lock(ctx context.Context, threadID string, on bool, reason string) error {
	return errNotBuilt
}

// Flag reports a comment to the moderators with a reason.
func (s *Service) Flag(ctx context.Context, commentID, reason string) error { return errNotBuilt }

// Hide hides a comment with a reason shown in its place (moderators);
// it leaves the search index.
func (s *Service) Hide(ctx context.Context, commentID, reason string) error { return errNotBuilt }

// Unhide shows a hidden comment again.
func (s *Service) Unhide(ctx context.Context, commentID string) error { return errNotBuilt }

// Dismiss clears a comment's flags without hiding it.
func (s *Service) Dismiss(ctx context.Context, commentID string) error { return errNotBuilt }

// Mute stops a person posting in a group for a time (the group's moderators).
func (s *Service) Mute(ctx context.Context, in MuteInput) error { return errNotBuilt }

// Unmute lifts a mute early.
func (s *Service) Unmute(ctx context.Context, groupID, userID string) error { return errNotBuilt }

// Mutes lists a group's current mutes (moderators).
func (s *Service) Mutes(ctx context.Context, groupID string) ([]Mute, error) { return nil, errNotBuilt }

// Queue lists flagged comments the viewer moderates: a group's for its
// organisers and moderators, every group's and the network's for admins.
func (s *Service) Queue(ctx context.Context, groupID string) ([]QueueItem, error) {
	return nil, errNotBuilt
}

// CodeOfConduct returns the network's code of conduct (Markdown) and when
// it last changed; a default text until an admin writes one.
func (s *Service) CodeOfConduct(ctx context.Context) (string, time.Time, error) {
	return "", time.Time{}, errNotBuilt
}

// SetCodeOfConduct replaces the code of conduct (admins), keeping the
// old text in the audit log.
func (s *Service) SetCodeOfConduct(ctx context.Context, body string) error { return errNotBuilt }
