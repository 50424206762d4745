package talk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/search"
	"github.com/momentum-movement/momentum/internal/talk"
)

func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := talk.New(talk.Deps{})
	if err == nil {
		t.Fatal("New without collaborators succeeded")
	}
	for _, name := range []string{"DB", "Policy", "Subjects", "Notices", "People", "Groups"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

func TestHandleAndMentions(t *testing.T) {
	for name, want := range map[string]string{"Olive Organiser": "olive-organiser", "  Zoë  O'Brien-Smith ": "zoë-o-brien-smith",
		"ÉLODIE": "élodie", "R2 D2": "r2-d2", "---": ""} {
		if got := talk.Handle(name); got != want {
			t.Errorf("Handle(%q) = %q, want %q", name, got, want)
		}
	}
	got := talk.Mentions("Hi @olive-organiser, ask @Bob and @olive-organiser; not mail@example.org or x@y.\n@zoë-o")
	want := []string{"olive-organiser", "bob", "zoë-o"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Mentions = %q, want %q", got, want)
	}
}

// TestPermissions: an organiser of one group can neither read nor moderate
// another group's group-only threads; a supporter cannot post in (or read)
// a members' thread; the anonymous read public threads only.
func TestPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a, b := e.group(t, "hackney"), e.group(t, "leeds")
		orgA := e.person(t, "Olive Organiser", auth.RoleMember)
		e.join(t, a, orgA, "organiser")
		inB := e.person(t, "Bea Leeds", auth.RoleMember)
		e.join(t, b, inB, "member")
		modB := e.person(t, "Mo Leeds", auth.RoleMember)
		e.join(t, b, modB, "moderator")
		sup := e.person(t, "Sue Supporter", auth.RoleSupporter)
		mem := e.person(t, "Max Member", auth.RoleMember)

		private := e.thread(t, inB, talk.ThreadInput{GroupID: b, Title: "Leeds only"})
		if private.Visibility != talk.Group {
			t.Fatalf("a group thread's default visibility is %q, want group", private.Visibility)
		}
		c := e.comment(t, inB, private.ID, "Our plans")
		t.Run("OtherGroupsOrganiser", func(t *testing.T) {
			_, _, err := e.svc.Thread(orgA.ctx, private.ID)
			wantCode(t, err, errs.Forbidden)
			wantCode(t, e.svc.Pin(orgA.ctx, private.ID, true), errs.Forbidden)
			wantCode(t, e.svc.Hide(orgA.ctx, c.ID, "spam"), errs.Forbidden)
			wantCode(t, e.svc.Lock(orgA.ctx, private.ID, true, "heated"), errs.Forbidden)
			_, err = e.svc.Comment(orgA.ctx, private.ID, talk.CommentInput{Body: "hi"})
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.Queue(orgA.ctx, b)
			wantCode(t, err, errs.Forbidden)
			wantCode(t, e.svc.Mute(orgA.ctx, talk.MuteInput{GroupID: b, UserID: inB.UserID, For: time.Hour, Reason: "x"}), errs.Forbidden)
			ts, err := e.svc.Threads(orgA.ctx, talk.ThreadFilter{GroupID: b})
			if err != nil || len(ts) != 0 {
				t.Errorf("Threads(leeds) for Hackney's organiser = %d threads, %v; want none", len(ts), err)
			}
		})
		t.Run("OwnGroupsModerator", func(t *testing.T) {
			if err := e.svc.Pin(modB.ctx, private.ID, true); err != nil {
				t.Fatal(err)
			}
			ts, err := e.svc.Threads(inB.ctx, talk.ThreadFilter{GroupID: b})
			if err != nil || len(ts) != 1 || !ts[0].Pinned {
				t.Fatalf("Threads(leeds) for a member = %+v, %v; want the pinned thread", ts, err)
			}
		})
		members := e.thread(t, mem, talk.ThreadInput{Title: "Network strategy"})
		public := e.thread(t, mem, talk.ThreadInput{Title: "Open letter", Visibility: talk.Public})
		t.Run("SupporterInMembersThread", func(t *testing.T) {
			_, err := e.svc.Comment(sup.ctx, members.ID, talk.CommentInput{Body: "me too"})
			wantCode(t, err, errs.Forbidden)
			_, _, err = e.svc.Thread(sup.ctx, members.ID)
			wantCode(t, err, errs.Forbidden)
			_, err = e.svc.StartThread(sup.ctx, talk.ThreadInput{Title: "Mine", Body: "x"})
			wantCode(t, err, errs.Forbidden)
			// A public thread they read, but its audience is the members.
			if _, _, err := e.svc.Thread(sup.ctx, public.ID); err != nil {
				t.Fatal(err)
			}
			_, err = e.svc.Comment(sup.ctx, public.ID, talk.CommentInput{Body: "me too"})
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("Anonymous", func(t *testing.T) {
			if _, _, err := e.svc.Thread(e.anon, public.ID); err != nil {
				t.Fatalf("the anonymous cannot read a public thread: %v", err)
			}
			_, _, err := e.svc.Thread(e.anon, members.ID)
			wantCode(t, err, errs.Unauthorized)
			_, _, err = e.svc.Thread(e.anon, private.ID)
			wantCode(t, err, errs.Unauthorized)
			_, err = e.svc.Comment(e.anon, public.ID, talk.CommentInput{Body: "hi"})
			wantCode(t, err, errs.Unauthorized)
			ts, err := e.svc.Threads(e.anon, talk.ThreadFilter{Network: true})
			if err != nil || len(ts) != 1 || ts[0].ID != public.ID {
				t.Errorf("the network's threads for the anonymous = %+v, %v; want the public one only", ts, err)
			}
			ts, err = e.svc.Threads(mem.ctx, talk.ThreadFilter{Network: true})
			if err != nil || len(ts) != 2 {
				t.Errorf("the network's threads for a member = %d, %v; want 2", len(ts), err)
			}
		})
		t.Run("NetworkModeration", func(t *testing.T) {
			wantCode(t, e.svc.Pin(mem.ctx, members.ID, true), errs.Forbidden)
			if err := e.svc.Pin(e.admin.ctx, members.ID, true); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.Queue(mem.ctx, "")
			wantCode(t, err, errs.Forbidden)
		})
		t.Run("Validation", func(t *testing.T) {
			_, err := e.svc.StartThread(mem.ctx, talk.ThreadInput{Title: strings.Repeat("x", 201), Body: "", Visibility: "secret"})
			f := errs.FieldsOf(err)
			if f["title"] == "" || f["body"] == "" || f["visibility"] == "" {
				t.Errorf("fields %v; want title, body and visibility named", f)
			}
			_, err = e.svc.StartThread(mem.ctx, talk.ThreadInput{GroupID: db.NewID(), Title: "x", Body: "y"})
			if errs.FieldsOf(err)["group_id"] == "" {
				t.Errorf("an unknown group: %v; want group_id named", err)
			}
			_, err = e.svc.Comment(mem.ctx, members.ID, talk.CommentInput{Body: strings.Repeat("x", talk.MaxComment+1)})
			if errs.FieldsOf(err)["body"] == "" {
				t.Errorf("a long comment: %v; want body named", err)
			}
			_, err = e.svc.Comment(mem.ctx, members.ID, talk.CommentInput{Body: "bad \xff bytes"})
			if errs.FieldsOf(err)["body"] == "" {
				t.Errorf("a comment that is not UTF-8: %v; want body named", err)
			}
			_, err = e.svc.StartThread(mem.ctx, talk.ThreadInput{Title: "nul\x00", Body: "x"})
			if errs.FieldsOf(err)["title"] == "" {
				t.Errorf("a title with a NUL: %v; want title named", err)
			}
			_, err = e.svc.Comment(mem.ctx, members.ID, talk.CommentInput{Body: "x", ParentID: c.ID})
			if errs.FieldsOf(err)["parent_id"] == "" {
				t.Errorf("a reply to another thread's comment: %v; want parent_id named", err)
			}
		})
	})
}

// TestMentionsNotify: a mention tells the people it names who may read
// the thread, through their notification preferences (a real mail in the
// outbox), and followers hear of new comments, the author not.
func TestMentionsNotify(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		olive := e.person(t, "Olive Organiser", auth.RoleMember)
		e.join(t, g, olive, "organiser")
		mia := e.person(t, "Mia Member", auth.RoleMember)
		e.join(t, g, mia, "member")
		outsider := e.person(t, "Oscar Outsider", auth.RoleMember)
		th := e.thread(t, olive, talk.ThreadInput{GroupID: g, Title: "Rent strike"})
		e.tick(time.Minute)
		c := e.comment(t, mia, th.ID, "I'm in. @olive-organiser can you book the hall? cc @oscar-outsider @nobody-here")
		if n := e.mails(t, olive, "talk.mention"); n != 1 {
			t.Errorf("Olive got %d mention mails, want 1", n)
		}
		if n := e.mails(t, olive, "talk.reply"); n != 0 {
			t.Errorf("Olive, mentioned, also got %d reply mails; want the mention only", n)
		}
		if n := e.mails(t, outsider, "talk.mention"); n != 0 {
			t.Errorf("Oscar, who cannot read the thread, got %d mention mails", n)
		}
		var subject, text string
		if err := d.QueryRow(context.Background(), `SELECT subject, text_body FROM mail_messages WHERE to_addr = ? AND related = 'talk.mention'`,
			olive.Email).Scan(&subject, &text); err != nil {
			t.Fatal(err)
		}
		if subject != `Mia Member mentioned you in "Rent strike"` || !strings.Contains(text, "can you book the hall?") ||
			!strings.Contains(text, "https://act.example.org/talk/t/"+th.ID+"#c-"+c.ID) || !strings.Contains(text, "Hello Olive") {
			t.Errorf("mention mail:\n%s\n%s", subject, text)
		}
		// Mia follows now; Olive's reply tells her, not Olive.
		e.tick(time.Minute)
		if _, err := e.svc.Comment(olive.ctx, th.ID, talk.CommentInput{Body: "Booked.", ParentID: c.ID}); err != nil {
			t.Fatal(err)
		}
		if e.mails(t, mia, "talk.reply") != 1 || e.mails(t, olive, "talk.reply") != 0 {
			t.Errorf("reply mails: Mia %d, Olive %d; want 1, 0", e.mails(t, mia, "talk.reply"), e.mails(t, olive, "talk.reply"))
		}
		// Unfollowing stops them.
		if err := e.svc.Follow(mia.ctx, th.ID, false); err != nil {
			t.Fatal(err)
		}
		e.comment(t, olive, th.ID, "And the leaflets.")
		if n := e.mails(t, mia, "talk.reply"); n != 1 {
			t.Errorf("Mia unfollowed but has %d reply mails, want still 1", n)
		}
		// The opening post's mentions notify too, never its author.
		e.thread(t, mia, talk.ThreadInput{GroupID: g, Title: "Hall", Body: "@olive-organiser @mia-member which room?"})
		if e.mails(t, olive, "talk.mention") != 2 || e.mails(t, mia, "talk.mention") != 0 {
			t.Errorf("mentions in an opening post: Olive %d (want 2), Mia %d (want 0)",
				e.mails(t, olive, "talk.mention"), e.mails(t, mia, "talk.mention"))
		}
		handles, err := e.svc.Mentionable(mia.ctx, th.ID)
		if err != nil || strings.Join(handles, " ") != "mia-member olive-organiser" {
			t.Errorf("Mentionable = %v, %v", handles, err)
		}
	})
}

// TestRepliesFlatten: replies go one level deep, each after its parent.
func TestRepliesFlatten(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.person(t, "Max Member", auth.RoleMember)
		th := e.thread(t, m, talk.ThreadInput{})
		first := e.comment(t, m, th.ID, "first")
		e.tick(time.Second)
		second := e.comment(t, m, th.ID, "second")
		e.tick(time.Second)
		reply, err := e.svc.Comment(m.ctx, th.ID, talk.CommentInput{Body: "reply", ParentID: first.ID})
		if err != nil {
			t.Fatal(err)
		}
		e.tick(time.Second)
		deep, err := e.svc.Comment(m.ctx, th.ID, talk.CommentInput{Body: "deeper", ParentID: reply.ID})
		if err != nil || deep.ParentID != first.ID || deep.Depth != 1 {
			t.Fatalf("a reply to a reply: %+v, %v; want it under the first comment", deep, err)
		}
		_, cs, err := e.svc.Thread(m.ctx, th.ID)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, c := range cs {
			order = append(order, c.Body)
		}
		if strings.Join(order, ",") != "first,reply,deeper,second" || second.Depth != 0 {
			t.Errorf("order %v, want first,reply,deeper,second", order)
		}
	})
}

// TestEditHistory: an edit keeps the earlier text; only the author (or a
// moderator, audited) may edit.
func TestEditHistory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		m := e.person(t, "Max Member", auth.RoleMember)
		e.join(t, g, m, "member")
		other := e.person(t, "Nia Other", auth.RoleMember)
		e.join(t, g, other, "member")
		mod := e.person(t, "Mo Moderator", auth.RoleMember)
		e.join(t, g, mod, "moderator")
		th := e.thread(t, m, talk.ThreadInput{GroupID: g})
		c := e.comment(t, m, th.ID, "one")
		e.tick(time.Minute)
		if _, err := e.svc.Edit(m.ctx, c.ID, "two"); err != nil {
			t.Fatal(err)
		}
		e.tick(time.Minute)
		if _, err := e.svc.Edit(m.ctx, c.ID, "three"); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Edit(other.ctx, c.ID, "mine now")
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.Edit(m.ctx, c.ID, "")
		if errs.FieldsOf(err)["body"] == "" {
			t.Errorf("an empty edit: %v; want body named", err)
		}
		e.tick(time.Minute)
		if _, err := e.svc.Edit(mod.ctx, c.ID, "four (edited by a moderator)"); err != nil {
			t.Fatal(err)
		}
		hs, err := e.svc.History(other.ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != 3 || hs[0].Body != "three" || hs[2].Body != "one" || hs[0].EditedBy != "Mo Moderator" || hs[2].EditedBy != "Max Member" {
			t.Errorf("history %+v; want three (by Mo), two, one (by Max)", hs)
		}
		_, cs, _ := e.svc.Thread(other.ctx, th.ID)
		if len(cs) != 1 || !cs[0].Edited || cs[0].Body != "four (edited by a moderator)" {
			t.Errorf("comment %+v; want edited with the new text", cs)
		}
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'talk.edit' AND target_id = ?`,
			c.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("audited moderator edits: %d, %v; want 1 (the author's own edits are not)", n, err)
		}
	})
}

func TestReactions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a, b := e.person(t, "Ann A", auth.RoleMember), e.person(t, "Ben B", auth.RoleMember)
		sup := e.person(t, "Sue Supporter", auth.RoleSupporter)
		th := e.thread(t, a, talk.ThreadInput{Visibility: talk.Public})
		c := e.comment(t, a, th.ID, "hello")
		for _, r := range []struct {
			p person
			e string
		}{{a, "👍"}, {b, "👍"}, {b, "❤️"}, {b, "👍"}} {
			if err := e.svc.React(r.p.ctx, c.ID, r.e, true); err != nil {
				t.Fatal(err)
			}
		}
		err := e.svc.React(a.ctx, c.ID, "<script>", true)
		if errs.FieldsOf(err)["emoji"] == "" {
			t.Errorf("a free-text reaction: %v; want emoji named", err)
		}
		wantCode(t, e.svc.React(sup.ctx, c.ID, "👍", true), errs.Forbidden)
		if err := e.svc.React(a.ctx, c.ID, "❤️", false); err != nil { // not Ann's: nothing to take back
			t.Fatal(err)
		}
		_, cs, err := e.svc.Thread(a.ctx, th.ID)
		if err != nil {
			t.Fatal(err)
		}
		rs := cs[0].Reactions
		if len(rs) != 2 || rs[0] != (talk.Reaction{Emoji: "👍", Count: 2, Mine: true}) || rs[1] != (talk.Reaction{Emoji: "❤️", Count: 1}) {
			t.Errorf("reactions %+v", rs)
		}
		if err := e.svc.React(b.ctx, c.ID, "❤️", false); err != nil {
			t.Fatal(err)
		}
		_, cs, _ = e.svc.Thread(a.ctx, th.ID)
		if len(cs[0].Reactions) != 1 {
			t.Errorf("after taking back: %+v", cs[0].Reactions)
		}
	})
}

// TestUnread: comments after one last read are unread; a thread never
// opened is new.
func TestUnread(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a, r := e.person(t, "Ann Author", auth.RoleMember), e.person(t, "Rob Reader", auth.RoleMember)
		th := e.thread(t, a, talk.ThreadInput{})
		e.tick(time.Minute)
		e.comment(t, a, th.ID, "one")
		ts, _ := e.svc.Threads(r.ctx, talk.ThreadFilter{Network: true})
		if len(ts) != 1 || !ts[0].New || ts[0].Unread != 1 {
			t.Fatalf("before reading: %+v; want new with 1 unread", ts)
		}
		e.tick(time.Minute)
		if err := e.svc.MarkRead(r.ctx, th.ID); err != nil {
			t.Fatal(err)
		}
		e.tick(time.Minute)
		e.comment(t, a, th.ID, "two")
		e.tick(time.Minute)
		e.comment(t, a, th.ID, "three")
		e.comment(t, r, th.ID, "mine")
		ts, _ = e.svc.Threads(r.ctx, talk.ThreadFilter{Network: true})
		if len(ts) != 1 || ts[0].New || ts[0].Unread != 2 || !ts[0].Following {
			t.Errorf("after reading: %+v; want 2 unread (not my own), not new, followed", ts)
		}
		_, cs, _ := e.svc.Thread(r.ctx, th.ID)
		var unread []string
		for _, c := range cs {
			if c.Unread {
				unread = append(unread, c.Body)
			}
		}
		if strings.Join(unread, ",") != "two,three" {
			t.Errorf("unread comments %v, want two,three", unread)
		}
		ts, _ = e.svc.Threads(r.ctx, talk.ThreadFilter{Following: true})
		if len(ts) != 1 {
			t.Errorf("following %d threads, want 1", len(ts))
		}
		ts, _ = e.svc.Threads(e.anon, talk.ThreadFilter{Network: true})
		if len(ts) != 0 {
			t.Errorf("the anonymous see %d members' threads", len(ts))
		}
	})
}

// TestLock: a locked thread takes moderators' comments only.
func TestLock(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		m, mod := e.person(t, "Max Member", auth.RoleMember), e.person(t, "Mo Moderator", auth.RoleMember)
		e.join(t, g, m, "member")
		e.join(t, g, mod, "moderator")
		th := e.thread(t, m, talk.ThreadInput{GroupID: g})
		if err := e.svc.Lock(mod.ctx, th.ID, true, ""); errs.FieldsOf(err)["reason"] == "" {
			t.Errorf("a lock without reason: %v; want reason named", err)
		}
		if err := e.svc.Lock(mod.ctx, th.ID, true, "Decided at the meeting"); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Comment(m.ctx, th.ID, talk.CommentInput{Body: "but"})
		wantCode(t, err, errs.Conflict)
		if !strings.Contains(errs.MessageOf(err), "Decided at the meeting") {
			t.Errorf("refusal %q does not say why", errs.MessageOf(err))
		}
		e.comment(t, mod, th.ID, "Summary: we go ahead.")
		if err := e.svc.Lock(mod.ctx, th.ID, false, ""); err != nil {
			t.Fatal(err)
		}
		e.comment(t, m, th.ID, "thanks")
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'talk.lock' AND target_id = ?`,
			th.ID).Scan(&n); err != nil || n != 2 {
			t.Errorf("audited locks: %d, %v; want 2", n, err)
		}
	})
}

// TestMuteExpiry: a muted person cannot post in the group until the mute
// ends, elsewhere they can.
func TestMuteExpiry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		m, org := e.person(t, "Max Member", auth.RoleMember), e.person(t, "Olive Organiser", auth.RoleMember)
		e.join(t, g, m, "member")
		e.join(t, g, org, "organiser")
		th := e.thread(t, org, talk.ThreadInput{GroupID: g})
		elsewhere := e.thread(t, org, talk.ThreadInput{})
		err := e.svc.Mute(org.ctx, talk.MuteInput{GroupID: g, UserID: m.UserID, For: time.Minute, Reason: ""})
		if f := errs.FieldsOf(err); f["days"] == "" || f["reason"] == "" {
			t.Errorf("a bad mute: %v; want days and reason named", err)
		}
		if err := e.svc.Mute(org.ctx, talk.MuteInput{GroupID: g, UserID: m.UserID, For: 24 * time.Hour, Reason: "Insults"}); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Comment(m.ctx, th.ID, talk.CommentInput{Body: "let me"})
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.StartThread(m.ctx, talk.ThreadInput{GroupID: g, Title: "t", Body: "b"})
		wantCode(t, err, errs.Forbidden)
		e.comment(t, m, elsewhere.ID, "the network's threads are not the group's")
		ms, err := e.svc.Mutes(org.ctx, g)
		if err != nil || len(ms) != 1 || ms[0].Name != "Max Member" || ms[0].ByName != "Olive Organiser" {
			t.Errorf("Mutes = %+v, %v", ms, err)
		}
		_, err = e.svc.Mutes(m.ctx, g)
		wantCode(t, err, errs.Forbidden)
		e.tick(25 * time.Hour)
		e.comment(t, m, th.ID, "back")
		if ms, _ := e.svc.Mutes(org.ctx, g); len(ms) != 0 {
			t.Errorf("an ended mute is still listed: %+v", ms)
		}
		if err := e.svc.Mute(org.ctx, talk.MuteInput{GroupID: g, UserID: m.UserID, For: time.Hour, Reason: "Again"}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Unmute(org.ctx, g, m.UserID); err != nil {
			t.Fatal(err)
		}
		e.comment(t, m, th.ID, "unmuted early")
	})
}

// TestFlagHideQueue: a flagged comment waits in its group's queue; hidden,
// it stays in place with its reason, its text for moderators only.
func TestFlagHideQueue(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g, other := e.group(t, "hackney"), e.group(t, "leeds")
		m, org := e.person(t, "Max Member", auth.RoleMember), e.person(t, "Olive Organiser", auth.RoleMember)
		e.join(t, g, m, "member")
		e.join(t, g, org, "organiser")
		orgB := e.person(t, "Lee Leeds", auth.RoleMember)
		e.join(t, other, orgB, "organiser")
		th := e.thread(t, org, talk.ThreadInput{GroupID: g})
		bad := e.comment(t, m, th.ID, "something nasty")
		e.tick(time.Second)
		e.comment(t, org, th.ID, "after it")
		if err := e.svc.Flag(org.ctx, bad.ID, ""); errs.FieldsOf(err)["reason"] == "" {
			t.Errorf("a flag without reason: %v", err)
		}
		if err := e.svc.Flag(m.ctx, bad.ID, "I regret it"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Flag(org.ctx, bad.ID, "Insulting"); err != nil {
			t.Fatal(err)
		}
		q, err := e.svc.Queue(org.ctx, g)
		if err != nil || len(q) != 1 || len(q[0].Flags) != 2 || q[0].ThreadTitle != th.Title || q[0].Comment.Body != "something nasty" {
			t.Fatalf("queue %+v, %v", q, err)
		}
		if q, err := e.svc.Queue(orgB.ctx, ""); err != nil || len(q) != 0 {
			t.Errorf("Leeds' organiser's queue %+v, %v; want empty", q, err)
		}
		if q, err := e.svc.Queue(e.admin.ctx, ""); err != nil || len(q) != 1 {
			t.Errorf("the admins' queue %+v, %v; want the flagged comment", q, err)
		}
		if err := e.svc.Hide(org.ctx, bad.ID, "Breaks the code of conduct"); err != nil {
			t.Fatal(err)
		}
		_, cs, err := e.svc.Thread(m.ctx, th.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 2 || cs[0].ID != bad.ID || !cs[0].Hidden || cs[0].Body != "" || cs[0].HiddenReason != "Breaks the code of conduct" {
			t.Errorf("hidden comment for a member: %+v; want in place, reason, no text", cs[0])
		}
		_, cs, _ = e.svc.Thread(org.ctx, th.ID)
		if cs[0].Body != "something nasty" {
			t.Errorf("the moderator sees %q", cs[0].Body)
		}
		if q, _ := e.svc.Queue(org.ctx, g); len(q) != 0 {
			t.Errorf("a hidden comment is still queued: %+v", q)
		}
		_, err = e.svc.Edit(m.ctx, bad.ID, "nicer now")
		wantCode(t, err, errs.Forbidden)
		_, err = e.svc.History(m.ctx, bad.ID)
		wantCode(t, err, errs.Forbidden)
		if err := e.svc.Unhide(org.ctx, bad.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Flag(m.ctx, bad.ID, "still"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Dismiss(org.ctx, bad.ID); err != nil {
			t.Fatal(err)
		}
		if q, _ := e.svc.Queue(org.ctx, g); len(q) != 0 {
			t.Errorf("a dismissed flag is still queued: %+v", q)
		}
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action IN ('talk.hide', 'talk.unhide', 'talk.dismiss')
			AND target_id = ?`, bad.ID).Scan(&n); err != nil || n != 3 {
			t.Errorf("audited: %d, %v; want hide, unhide and dismiss", n, err)
		}
	})
}

// TestArchivedReadOnly: an archived group's threads are read, never
// written.
func TestArchivedReadOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		m, org := e.person(t, "Max Member", auth.RoleMember), e.person(t, "Olive Organiser", auth.RoleMember)
		e.join(t, g, m, "member")
		e.join(t, g, org, "organiser")
		th := e.thread(t, m, talk.ThreadInput{GroupID: g})
		c := e.comment(t, m, th.ID, "before")
		if err := e.s.Groups.Archive(e.admin.ctx, g); err != nil {
			t.Fatal(err)
		}
		archived := func(name string, err error) {
			t.Helper()
			if errs.CodeOf(err) != errs.Conflict || errs.MessageOf(err) != "This group is archived." {
				t.Errorf("%s: %v; want Conflict: This group is archived.", name, err)
			}
		}
		_, err := e.svc.Comment(m.ctx, th.ID, talk.CommentInput{Body: "after"})
		archived("Comment", err)
		_, err = e.svc.StartThread(m.ctx, talk.ThreadInput{GroupID: g, Title: "t", Body: "b"})
		archived("StartThread", err)
		_, err = e.svc.Edit(m.ctx, c.ID, "changed")
		archived("Edit", err)
		archived("React", e.svc.React(m.ctx, c.ID, "👍", true))
		archived("Flag", e.svc.Flag(m.ctx, c.ID, "x"))
		archived("Pin", e.svc.Pin(e.admin.ctx, th.ID, true))
		archived("Lock", e.svc.Lock(org.ctx, th.ID, true, "x"))
		archived("Hide", e.svc.Hide(e.admin.ctx, c.ID, "x"))
		archived("Mute", e.svc.Mute(org.ctx, talk.MuteInput{GroupID: g, UserID: m.UserID, For: time.Hour, Reason: "x"}))
		got, cs, err := e.svc.Thread(m.ctx, th.ID)
		if err != nil || !got.Archived || len(cs) != 1 {
			t.Errorf("reading an archived thread: %+v, %d comments, %v", got, len(cs), err)
		}
		if err := e.svc.MarkRead(m.ctx, th.ID); err != nil {
			t.Errorf("MarkRead in an archived group: %v", err)
		}
	})
}

// TestAttachedDecision: a decision's discussion starts with its first
// comment, is its group's, and is out of reach of those who cannot see
// the decision.
func TestAttachedDecision(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g, other := e.group(t, "hackney"), e.group(t, "leeds")
		m, org := e.person(t, "Max Member", auth.RoleMember), e.person(t, "Olive Organiser", auth.RoleMember)
		e.join(t, g, m, "member")
		e.join(t, g, org, "organiser")
		outsider := e.person(t, "Lee Leeds", auth.RoleMember)
		e.join(t, other, outsider, "organiser")
		opens := e.clock().Add(48 * time.Hour)
		dec, err := e.s.Decisions.Create(org.ctx, decisions.Input{GroupID: g, Title: "Adopt the rent strike plan?",
			Kind: decisions.KindProposal, OpensAt: opens, ClosesAt: opens.Add(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		// A draft is the organisers' only.
		_, _, err = e.svc.Attached(m.ctx, talk.SubjectDecision, dec.ID)
		wantCode(t, err, errs.NotFound)
		if _, err := e.s.Decisions.StartDiscussion(org.ctx, dec.ID); err != nil {
			t.Fatal(err)
		}
		th, cs, err := e.svc.Attached(m.ctx, talk.SubjectDecision, dec.ID)
		if err != nil || th != nil || cs != nil {
			t.Fatalf("Attached before any comment = %v, %v, %v; want nothing", th, cs, err)
		}
		sum, err := e.svc.Summary(m.ctx, talk.SubjectDecision, dec.ID)
		if err != nil || sum.ThreadID != "" || !sum.CanComment || sum.URL != "/talk/on/decision/"+dec.ID {
			t.Fatalf("Summary before = %+v, %v", sum, err)
		}
		th, c, err := e.svc.CommentOn(m.ctx, talk.SubjectDecision, dec.ID, talk.CommentInput{Body: "Yes, @olive-organiser, but when?"})
		if err != nil {
			t.Fatal(err)
		}
		if th.Title != dec.Title || th.GroupID != g || th.Visibility != talk.Group || th.SubjectURL != "/decisions/"+dec.ID || th.CommentCount != 1 {
			t.Errorf("the attached thread %+v", th)
		}
		if e.mails(t, org, "talk.mention") != 1 {
			t.Error("the organiser was not told of the mention")
		}
		e.tick(time.Minute)
		th2, _, err := e.svc.CommentOn(org.ctx, talk.SubjectDecision, dec.ID, talk.CommentInput{Body: "Next month.", ParentID: c.ID})
		if err != nil || th2.ID != th.ID {
			t.Fatalf("a second comment: %+v, %v; want the same thread", th2, err)
		}
		sum, err = e.svc.Summary(m.ctx, talk.SubjectDecision, dec.ID)
		if err != nil || sum.ThreadID != th.ID || sum.CommentCount != 2 || len(sum.Latest) != 2 || sum.Unread != 1 {
			t.Errorf("Summary after = %+v, %v", sum, err)
		}
		_, _, err = e.svc.Thread(outsider.ctx, th.ID)
		if err == nil {
			t.Error("another group's organiser reads a group decision's discussion")
		}
		_, _, err = e.svc.CommentOn(outsider.ctx, talk.SubjectDecision, dec.ID, talk.CommentInput{Body: "hi"})
		if err == nil {
			t.Error("another group's organiser comments on a group decision")
		}
		_, _, err = e.svc.Attached(m.ctx, "meeting", "nope")
		wantCode(t, err, errs.NotFound)
		_, _, err = e.svc.Attached(m.ctx, "bogus", dec.ID)
		wantCode(t, err, errs.NotFound)
		ts, _ := e.svc.Threads(m.ctx, talk.ThreadFilter{GroupID: g})
		if len(ts) != 1 || ts[0].SubjectKind != talk.SubjectDecision {
			t.Errorf("the group's threads %+v; want the decision's", ts)
		}
	})
}

// TestErasedAuthor: an erased person's comments stay, by "a former member".
func TestErasedAuthor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m, r := e.person(t, "Max Member", auth.RoleMember), e.person(t, "Rob Reader", auth.RoleMember)
		th := e.thread(t, r, talk.ThreadInput{})
		e.comment(t, m, th.ID, "my words")
		if err := e.s.People.Erase(e.admin.ctx, m.PersonID); err != nil {
			t.Fatal(err)
		}
		_, cs, err := e.svc.Thread(r.ctx, th.ID)
		if err != nil || len(cs) != 1 || cs[0].AuthorName != "a former member" || cs[0].Body != "my words" {
			t.Errorf("after erasure: %+v, %v", cs, err)
		}
	})
}

func TestCodeOfConduct(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.person(t, "Max Member", auth.RoleMember)
		body, at, err := e.svc.CodeOfConduct(e.anon)
		if err != nil || body != talk.DefaultCodeOfConduct || !at.IsZero() {
			t.Fatalf("default code = %q, %v, %v", body, at, err)
		}
		wantCode(t, e.svc.SetCodeOfConduct(m.ctx, "Be nice."), errs.Forbidden)
		if err := e.svc.SetCodeOfConduct(e.admin.ctx, ""); errs.FieldsOf(err)["body"] == "" {
			t.Errorf("an empty code: %v; want body named", err)
		}
		if err := e.svc.SetCodeOfConduct(e.admin.ctx, "Be kind."); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetCodeOfConduct(e.admin.ctx, "Be kind, always."); err != nil {
			t.Fatal(err)
		}
		body, at, _ = e.svc.CodeOfConduct(e.anon)
		if body != "Be kind, always." || at.IsZero() {
			t.Errorf("code = %q at %v", body, at)
		}
		var details string
		if err := d.QueryRow(context.Background(), `SELECT details FROM audit_log WHERE action = 'talk.code_of_conduct' ORDER BY at DESC, id DESC LIMIT 1`).
			Scan(&details); err != nil || !strings.Contains(details, "Be kind.") {
			t.Errorf("the audit keeps the old text? %q, %v", details, err)
		}
	})
}

// TestSearchIndex: threads and comments are indexed as they are written,
// with their thread's visibility and group; a hidden comment leaves the
// index and comes back when shown again; SearchDocs emits the same.
func TestSearchIndex(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		m, org := e.person(t, "Max Member", auth.RoleMember), e.person(t, "Olive Organiser", auth.RoleMember)
		e.join(t, g, m, "member")
		e.join(t, g, org, "organiser")
		th := e.thread(t, m, talk.ThreadInput{GroupID: g, Title: "Allotment rota", Body: "Who waters the courgettes?"})
		c := e.comment(t, m, th.ID, "I can water the marrows on Tuesdays")
		find := func(s search.Scope, text string) []string {
			t.Helper()
			r, err := search.Search(context.Background(), d.Q(), s, search.Query{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range r.Hits {
				out = append(out, h.Kind+":"+h.URL)
			}
			return out
		}
		inGroup := search.Scope{Members: true, GroupIDs: []string{g}}
		if got := find(inGroup, "courgettes"); len(got) != 1 || got[0] != "thread:/talk/t/"+th.ID {
			t.Errorf("thread hits %v", got)
		}
		if got := find(inGroup, "marrows"); len(got) != 1 || got[0] != "comment:/talk/t/"+th.ID+"#c-"+c.ID {
			t.Errorf("comment hits %v", got)
		}
		if got := find(search.Scope{Members: true}, "marrows"); len(got) != 0 {
			t.Errorf("a member of no group finds a group-only comment: %v", got)
		}
		if err := e.svc.Hide(org.ctx, c.ID, "off topic"); err != nil {
			t.Fatal(err)
		}
		if got := find(search.Scope{All: true}, "marrows"); len(got) != 0 {
			t.Errorf("a hidden comment is still found: %v", got)
		}
		if _, err := e.svc.Edit(org.ctx, c.ID, "I can water the pumpkins"); err != nil {
			t.Fatal(err)
		}
		if got := find(search.Scope{All: true}, "pumpkins"); len(got) != 0 {
			t.Errorf("editing a hidden comment indexed it: %v", got)
		}
		if err := e.svc.Unhide(org.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if got := find(inGroup, "pumpkins"); len(got) != 1 {
			t.Errorf("a comment shown again is not found: %v", got)
		}
		var docs []search.Doc
		if err := e.svc.SearchDocs(context.Background(), d.Q(), func(x search.Doc) error { docs = append(docs, x); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(docs) != 2 || docs[0].Kind != search.KindThread || docs[1].Body != "I can water the pumpkins" ||
			docs[1].Visibility != search.Group || docs[1].GroupID != g || docs[1].Context != "Allotment rota" {
			t.Errorf("SearchDocs %+v", docs)
		}
	})
}

// TestAttachedEvent: an event's discussion has the event's visibility: the
// anonymous read a public event's, not a group-only event's.
func TestAttachedEvent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		org := e.person(t, "Olive Organiser", auth.RoleMember)
		e.join(t, g, org, "organiser")
		start := e.clock().AddDate(0, 0, 7)
		mk := func(vis string) string {
			t.Helper()
			ev, err := e.s.Events.Create(org.ctx, events.Input{GroupID: g, Title: "Door knocking (" + vis + ")", Kind: events.KindCanvass,
				Start: start, End: start.Add(2 * time.Hour), Visibility: vis, Place: events.Place{Name: "The square"}})
			if err != nil {
				t.Fatal(err)
			}
			return ev.ID
		}
		public, private := mk(events.Public), mk(events.Group)
		for _, id := range []string{public, private} {
			if _, _, err := e.svc.CommentOn(org.ctx, talk.SubjectEvent, id, talk.CommentInput{Body: "Bring leaflets"}); err != nil {
				t.Fatal(err)
			}
		}
		th, cs, err := e.svc.Attached(e.anon, talk.SubjectEvent, public)
		if err != nil || th == nil || th.Visibility != talk.Public || len(cs) != 1 || th.SubjectURL != "/events/"+public {
			t.Errorf("a public event's discussion for the anonymous: %+v, %v", th, err)
		}
		if _, _, err := e.svc.Attached(e.anon, talk.SubjectEvent, private); err == nil {
			t.Error("the anonymous read a group-only event's discussion")
		}
	})
}

// TestAttachedFollowsSubject: an event made group-only after its
// discussion began takes its discussion (and its index entries) with it on
// the next comment; the anonymous can no longer read it even before.
func TestAttachedFollowsSubject(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		org := e.person(t, "Olive Organiser", auth.RoleMember)
		e.join(t, g, org, "organiser")
		start := e.clock().AddDate(0, 0, 7)
		in := events.Input{GroupID: g, Title: "Picnic", Kind: events.KindSocial, Start: start, End: start.Add(2 * time.Hour),
			Visibility: events.Public, Place: events.Place{Name: "The park"}}
		ev, err := e.s.Events.Create(org.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		th, _, err := e.svc.CommentOn(org.ctx, talk.SubjectEvent, ev.ID, talk.CommentInput{Body: "Bring sandwiches"})
		if err != nil {
			t.Fatal(err)
		}
		in.Visibility = events.Group
		if _, err := e.s.Events.Update(org.ctx, ev.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.Thread(e.anon, th.ID); err == nil {
			t.Error("the anonymous read the discussion of an event they can no longer see")
		}
		th, _, err = e.svc.CommentOn(org.ctx, talk.SubjectEvent, ev.ID, talk.CommentInput{Body: "And cake"})
		if err != nil || th.Visibility != talk.Group {
			t.Fatalf("after the event became group-only: %+v, %v", th, err)
		}
		r, err := search.Search(context.Background(), d.Q(), search.Scope{}, search.Query{Text: "sandwiches"})
		if err != nil || len(r.Hits) != 0 {
			t.Errorf("the public still finds the comment: %+v, %v", r, err)
		}
	})
}

// TestFollowerWhoLeft: someone who followed a group thread and then left
// the group hears no more of it, and no longer lists it.
func TestFollowerWhoLeft(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "hackney")
		a, b := e.person(t, "Ann Author", auth.RoleMember), e.person(t, "Ben Leaver", auth.RoleMember)
		e.join(t, g, a, "member")
		e.join(t, g, b, "member")
		th := e.thread(t, a, talk.ThreadInput{GroupID: g})
		if err := e.svc.Follow(b.ctx, th.ID, true); err != nil {
			t.Fatal(err)
		}
		e.comment(t, a, th.ID, "one")
		if _, err := d.Exec(context.Background(), `UPDATE group_members SET status = 'left' WHERE person_id = ?`, b.PersonID); err != nil {
			t.Fatal(err)
		}
		e.comment(t, a, th.ID, "two")
		if n := e.mails(t, b, "talk.reply"); n != 1 {
			t.Errorf("Ben got %d reply mails, want 1 (from before he left)", n)
		}
		if ts, err := e.svc.Threads(b.ctx, talk.ThreadFilter{Following: true}); err != nil || len(ts) != 0 {
			t.Errorf("Ben's followed threads after leaving: %d, %v", len(ts), err)
		}
	})
}
