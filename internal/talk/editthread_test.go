package talk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/search"
	"github.com/momentum-movement/momentum/internal/talk"
)

// TestEditThread: the author and the group's moderators edit a thread's
// title and opening post; the earlier ones are its history, the search
// index follows, a moderator's edit is audited; others, a locked thread
// (for the author) and an archived group are refused.
func TestEditThread(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		m := e.person(t, "Max Member", auth.RoleMember)
		e.join(t, g, m, "member")
		other := e.person(t, "Nia Other", auth.RoleMember)
		e.join(t, g, other, "member")
		mod := e.person(t, "Mo Moderator", auth.RoleMember)
		e.join(t, g, mod, "moderator")
		outsider := e.person(t, "Otto Outsider", auth.RoleMember)
		th := e.thread(t, m, talk.ThreadInput{GroupID: g, Title: "Allotment rota", Body: "Who waters the courgettes?"})
		e.tick(time.Minute)
		got, err := e.svc.EditThread(m.ctx, th.ID, "  Allotment rota for May ", "Who waters the marrows?")
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Allotment rota for May" || got.Body != "Who waters the marrows?" {
			t.Errorf("edited thread %+v", got)
		}
		_, err = e.svc.EditThread(other.ctx, th.ID, "Mine now", "x")
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.EditThread(outsider.ctx, th.ID, "Mine now", "x")
		if errs.CodeOf(err) != errs.Forbidden && errs.CodeOf(err) != errs.NotFound {
			t.Errorf("an outsider's edit: %v", err)
		}
		_, err = e.svc.EditThread(e.anon, th.ID, "Mine now", "x")
		wantCode(t, err, errs.Unauthorized)
		_, err = e.svc.EditThread(m.ctx, th.ID, "", strings.Repeat("x", talk.MaxBody+1))
		if f := errs.FieldsOf(err); f["title"] == "" || f["body"] == "" {
			t.Errorf("an empty title and a long body: %v; want both named", err)
		}
		_, err = e.svc.EditThread(m.ctx, "no-such-thread", "t", "b")
		wantCode(t, err, errs.NotFound)

		// Locked: the author may not, a moderator may.
		if err := e.svc.Lock(mod.ctx, th.ID, true, "settled"); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.EditThread(m.ctx, th.ID, "Changed while locked", "x")
		wantCode(t, err, errs.Conflict)
		e.tick(time.Minute)
		if _, err := e.svc.EditThread(mod.ctx, th.ID, "Allotment rota for May", "Who waters the pumpkins?"); err != nil {
			t.Fatal(err)
		}
		hs, err := e.svc.ThreadHistory(other.ctx, th.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != 2 || hs[0].Body != "Who waters the marrows?" || hs[0].EditedBy != "Mo Moderator" ||
			hs[1].Title != "Allotment rota" || hs[1].Body != "Who waters the courgettes?" || hs[1].EditedBy != "Max Member" {
			t.Errorf("history %+v; want the marrows (replaced by Mo), then the first title and text (by Max)", hs)
		}
		_, err = e.svc.ThreadHistory(outsider.ctx, th.ID)
		if err == nil {
			t.Error("an outsider read a group thread's history")
		}
		r, err := search.Search(context.Background(), d.Q(), search.Scope{All: true}, search.Query{Text: "pumpkins"})
		if err != nil || len(r.Hits) != 1 || r.Hits[0].Title != "Allotment rota for May" {
			t.Errorf("search for the new text: %+v, %v", r, err)
		}
		if r, _ := search.Search(context.Background(), d.Q(), search.Scope{All: true}, search.Query{Text: "courgettes"}); len(r.Hits) != 0 {
			t.Errorf("the old text is still found: %+v", r.Hits)
		}
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'talk.edit_thread' AND target_id = ?`,
			th.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("audited moderator edits: %d, %v; want 1", n, err)
		}

		// Archived: nobody.
		if err := e.s.Groups.Archive(e.admin.ctx, g); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.EditThread(mod.ctx, th.ID, "After", "after")
		wantCode(t, err, errs.Conflict)
	})
}
