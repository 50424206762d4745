// Package talkweb is the discussion pages: the network's and a group's
// threads, a thread with its comments, replies, reactions and edit
// history, the discussion attached to a decision or an event, the
// moderation queue, a group's mutes, and the code of conduct.
//
// Handlers parse the request, call one talk.Service method and render: who
// may read, write or moderate is decided by the service; the pages only
// choose which controls to offer. Every page works without JavaScript and
// on a phone; members' Markdown is drawn only through web.Markdown.
//
// It imports internal/talk, internal/groups (to find a group by its
// address) and the platform packages web and errs. It must not import app,
// and holds no SQL.
package talkweb
