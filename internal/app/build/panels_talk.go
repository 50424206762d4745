package build

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/talk"
)

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
