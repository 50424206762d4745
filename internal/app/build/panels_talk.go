package build

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/site"
	"github.com/momentum-movement/momentum/internal/talk"
)

// talkPanel is the dashboard's "Discussions" (issue 13): the followed
// threads with comments the person has not read, most recent first.
func (s *Services) talkPanel(ctx context.Context) (*site.Panel, error) {
	if p := auth.PrincipalFrom(ctx); p == nil || p.UserID == "" {
		return nil, nil
	}
	ts, err := s.Talk.Threads(ctx, talk.ThreadFilter{Following: true, Limit: 50})
	if err != nil {
		return nil, err
	}
	panel := &site.Panel{Title: "Discussions", Empty: "Nothing new in the discussions you follow.", MoreURL: "/talk", More: "All discussions"}
	for _, t := range ts {
		if t.Unread == 0 || len(panel.Items) == 5 {
			continue
		}
		note := fmt.Sprintf("%d new comments", t.Unread)
		if t.Unread == 1 {
			note = "1 new comment"
		}
		panel.Items = append(panel.Items, site.PanelItem{Text: t.Title, URL: "/talk/t/" + t.ID, Note: note})
	}
	return panel, nil
}

// groupTalkPanel is a group page's "Discussions" (issue 13): its latest
// threads the viewer may read, pinned first, with what is unread, and a
// link to all of them.
func (s *Services) groupTalkPanel(ctx context.Context, g *groups.Group) (*groups.Panel, error) {
	ts, err := s.Talk.Threads(ctx, talk.ThreadFilter{GroupID: g.ID, Limit: 5})
	if err != nil {
		return nil, err
	}
	panel := &groups.Panel{Title: "Discussions", Empty: "No discussions yet.",
		MoreURL: "/groups/" + g.Slug + "/talk", More: "All the group's discussions"}
	for _, t := range ts {
		note := fmt.Sprintf("%d comments", t.CommentCount)
		switch {
		case t.New:
			note = "new"
		case t.Unread > 0:
			note = fmt.Sprintf("%d unread", t.Unread)
		case t.CommentCount == 1:
			note = "1 comment"
		}
		panel.Items = append(panel.Items, groups.PanelItem{Text: t.Title, URL: "/talk/t/" + t.ID, Note: note})
	}
	return panel, nil
}
