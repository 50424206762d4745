package decisions

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// logWorld is a network with decisions in every state, for the log's tests.
type logWorld struct {
	e                                                  *env
	ga, gb                                             string
	orgA, orgB, memB                                   person
	closedA, closedB, pubB, pubBPrivate, closedN, open *Decision
	draft                                              *Decision
}

func newLogWorld(t *testing.T, d *db.DB) *logWorld {
	t.Helper()
	e := newEnv(t, d)
	w := &logWorld{e: e, ga: e.group(t, "Group A"), gb: e.group(t, "Group B")}
	w.orgA, w.orgB, w.memB = e.member(t, "Ola OrganiserA"), e.member(t, "Obi OrganiserB"), e.member(t, "Max MemberB")
	e.join(t, w.ga, w.orgA, "organiser")
	e.join(t, w.gb, w.orgB, "organiser")
	e.join(t, w.gb, w.memB, "member")
	with := func(in Input, title, topic string) Input {
		in.Title, in.Topic = title, topic
		return in
	}
	w.closedA = e.close(t, e.open(t, w.orgA, with(poll(w.ga), "A's meeting place", "housing")))
	b := e.open(t, w.orgB, with(poll(w.gb), "B's meeting place", "housing"))
	e.vote(t, b, w.memB, Choice{Option: 1})
	w.closedB = e.close(t, b)
	named := with(poll(w.gb), "B's budget", "budget")
	named.Named = true
	pub := e.open(t, w.orgB, named)
	e.vote(t, pub, w.memB, Choice{Option: 2})
	e.close(t, pub)
	var err error
	if w.pubB, err = e.svc.Publish(w.orgB.ctx, pub.ID, "We spend it on the pub.", PublicRecord); err != nil {
		t.Fatal(err)
	}
	priv := e.close(t, e.open(t, w.orgB, with(poll(w.gb), "B's private matter", "")))
	if w.pubBPrivate, err = e.svc.Publish(w.orgB.ctx, priv.ID, "Kept among us."); err != nil {
		t.Fatal(err)
	}
	w.closedN = e.close(t, e.open(t, e.admin, Input{Title: "Network name", Kind: KindPoll,
		Options: []OptionInput{{Label: "Momentum"}, {Label: "Motion"}}}))
	w.open = e.open(t, w.orgB, with(poll(w.gb), "B's open vote", "housing"))
	w.draft = e.create(t, w.orgB, with(poll(w.gb), "B's draft", "housing"))
	return w
}

func ids(entries []LogEntry) []string {
	var out []string
	for _, en := range entries {
		out = append(out, en.ID)
	}
	return out
}

// TestLogVisibility: the log shows each viewer the closed decisions they
// may see, newest first; another group's organiser and visitors see a
// group's entries only when their record is public; drafts and open votes
// are never in it.
func TestLogVisibility(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newLogWorld(t, d)
		e := w.e
		anon := context.Background()
		cases := []struct {
			name string
			ctx  context.Context
			f    LogFilter
			want []*Decision
		}{
			{"MemberOfB", w.memB.ctx, LogFilter{}, []*Decision{w.closedN, w.pubBPrivate, w.pubB, w.closedB}},
			{"OrganiserOfA", w.orgA.ctx, LogFilter{}, []*Decision{w.closedN, w.pubB, w.closedA}},
			{"OrganiserOfAFilteringB", w.orgA.ctx, LogFilter{GroupID: w.gb}, []*Decision{w.pubB}},
			{"Anonymous", anon, LogFilter{}, []*Decision{w.pubB}},
			{"PublicOnlyForAMember", w.memB.ctx, LogFilter{PublicOnly: true}, []*Decision{w.pubB}},
			{"Admin", e.admin.ctx, LogFilter{}, []*Decision{w.closedN, w.pubBPrivate, w.pubB, w.closedB, w.closedA}},
			{"ByGroup", w.memB.ctx, LogFilter{GroupID: w.gb}, []*Decision{w.pubBPrivate, w.pubB, w.closedB}},
			{"ByTopicMember", w.memB.ctx, LogFilter{Topic: "housing"}, []*Decision{w.closedB}},
			{"ByTopicAdmin", e.admin.ctx, LogFilter{Topic: "housing"}, []*Decision{w.closedB, w.closedA}},
			{"ByDate", e.admin.ctx, LogFilter{From: w.closedB.ClosedAt, To: w.pubB.ClosedAt.Add(time.Second)}, []*Decision{w.pubB, w.closedB}},
			{"FromOnly", e.admin.ctx, LogFilter{From: w.pubBPrivate.ClosedAt}, []*Decision{w.closedN, w.pubBPrivate}},
			{"Paged", e.admin.ctx, LogFilter{Limit: 2, Offset: 2}, []*Decision{w.pubB, w.closedB}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, _, err := e.svc.Log(c.ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, d := range c.want {
					want = append(want, d.ID)
				}
				if !slices.Equal(ids(got), want) {
					t.Errorf("log %v, want %v", titles(e, got), want)
				}
				for _, en := range got {
					if en.ID == w.open.ID || en.ID == w.draft.ID {
						t.Errorf("%s (%s) is in the log", en.Title, en.Status)
					}
				}
			})
		}
		t.Run("More", func(t *testing.T) {
			_, more, err := e.svc.Log(e.admin.ctx, LogFilter{Limit: 4})
			if err != nil || !more {
				t.Fatalf("more %v, %v; want true", more, err)
			}
			_, more, err = e.svc.Log(e.admin.ctx, LogFilter{Limit: 5})
			if err != nil || more {
				t.Fatalf("more %v, %v; want false", more, err)
			}
		})
		t.Run("TopicTooLong", func(t *testing.T) {
			in := poll(w.gb)
			in.Topic = strings.Repeat("x", MaxTopicLen+1)
			_, err := e.svc.Create(w.orgB.ctx, in)
			if errs.FieldsOf(err)["topic"] == "" {
				t.Fatalf("error %v, want one naming the topic", err)
			}
		})
		t.Run("BadRange", func(t *testing.T) {
			_, _, err := e.svc.Log(e.admin.ctx, LogFilter{From: start, To: start})
			wantCode(t, err, errs.Invalid)
		})
		t.Run("Choices", func(t *testing.T) {
			c, err := e.svc.LogChoices(w.orgA.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Groups) != 2 || !slices.Equal(c.Topics, []string{"budget", "housing"}) {
				t.Errorf("choices %+v", c)
			}
			c, err = e.svc.LogChoices(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Groups) != 1 || c.Groups[0].ID != w.gb || !slices.Equal(c.Topics, []string{"budget"}) {
				t.Errorf("a visitor's choices %+v", c)
			}
		})
		t.Run("SearchFindsPublicRecordOnly", func(t *testing.T) {
			docs, err := search.Recent(context.Background(), d.Q(), search.Scope{}, w.gb, []string{search.KindDecision}, 20)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 1 || docs[0].ID != w.pubB.ID {
				t.Errorf("a visitor's search finds %+v, want the public record only", docs)
			}
		})
		t.Run("EachPublicRecord", func(t *testing.T) {
			var got []string
			if err := e.svc.EachPublicRecord(context.Background(), func(en LogEntry) error {
				got = append(got, en.ID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, []string{w.pubB.ID}) {
				t.Errorf("public records %v", got)
			}
		})
	})
}

func titles(e *env, es []LogEntry) []string {
	var out []string
	for _, en := range es {
		out = append(out, en.Title)
	}
	return out
}

// TestLogEntry: an entry carries its outcome statement, topic and the
// results stored at the close, with the votes per option of a simple
// count.
func TestLogEntry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newLogWorld(t, d)
		got, _, err := w.e.svc.Log(context.Background(), LogFilter{})
		if err != nil || len(got) != 1 {
			t.Fatalf("log %v, %v", got, err)
		}
		en := got[0]
		if en.Outcome != "We spend it on the pub." || en.Topic != "budget" || !en.PublicRecord || en.GroupName != "Group B" {
			t.Errorf("entry %+v", en.Decision)
		}
		r := en.Result
		if r == nil || r.Turnout != 1 || r.Electorate != 2 || !slices.Equal(r.Winners, []string{"Pub"}) {
			t.Fatalf("result %+v", r)
		}
		if !slices.Equal(r.Options, []OptionResult{{"Library", "0"}, {"Pub", "1"}}) {
			t.Errorf("options %+v", r.Options)
		}
	})
}

// TestPublicRecordPages: a public record's decision and results are open
// to visitors, but who voted what on a named vote stays with insiders; a
// record published for members stays closed to them.
func TestPublicRecordPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newLogWorld(t, d)
		e, anon := w.e, context.Background()
		if _, err := e.svc.Get(anon, w.pubB.ID); err != nil {
			t.Fatalf("visitor gets the public record: %v", err)
		}
		res, err := e.svc.Results(anon, w.pubB.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Named) != 0 {
			t.Errorf("a visitor sees who voted what: %+v", res.Named)
		}
		bs, err := e.svc.PublishedBallots(w.orgA.ctx, w.pubB.ID, BallotPage{})
		if err != nil || len(bs) != 1 || bs[0].Voter != "" {
			t.Errorf("another group's organiser's ballots %+v, %v", bs, err)
		}
		if res, err = e.svc.Results(w.memB.ctx, w.pubB.ID); err != nil || len(res.Named) != 1 {
			t.Errorf("a member's named votes %+v, %v", res, err)
		}
		for _, who := range []context.Context{anon, w.orgA.ctx} {
			if _, err := e.svc.Get(who, w.pubBPrivate.ID); err == nil {
				t.Error("a members' record is open to an outsider")
			}
			if _, err := e.svc.Get(who, w.closedB.ID); err == nil {
				t.Error("a closed decision is open to an outsider")
			}
		}
	})
}

// TestArchivedGroupDecisions: an archived group's decisions stay in the
// log and readable, and every change to them is refused.
func TestArchivedGroupDecisions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		w := newLogWorld(t, d)
		e := w.e
		if _, err := d.Exec(context.Background(), `UPDATE groups SET status = 'archived', archived_at = ? WHERE id = ?`,
			e.clock.Now(), w.gb); err != nil {
			t.Fatal(err)
		}
		got, _, err := e.svc.Log(w.memB.ctx, LogFilter{GroupID: w.gb})
		if err != nil || len(got) != 3 {
			t.Fatalf("archived group's log %v, %v", ids(got), err)
		}
		dec, err := e.svc.Get(w.memB.ctx, w.closedB.ID)
		if err != nil || !dec.Archived() {
			t.Fatalf("archived group's decision %+v, %v", dec, err)
		}
		refused := []struct {
			name string
			do   func() error
		}{
			{"Create", func() error { _, err := e.svc.Create(w.orgB.ctx, poll(w.gb)); return err }},
			{"CreateForm", func() error { _, err := e.svc.CreateForm(w.orgB.ctx, w.gb); return err }},
			{"Edit", func() error { _, err := e.svc.Update(w.orgB.ctx, w.draft.ID, poll(w.gb)); return err }},
			{"Discussion", func() error { _, err := e.svc.StartDiscussion(w.orgB.ctx, w.draft.ID); return err }},
			{"Withdraw", func() error { _, err := e.svc.Withdraw(w.orgB.ctx, w.open.ID); return err }},
			{"Publish", func() error { _, err := e.svc.Publish(w.orgB.ctx, w.closedB.ID, "Late."); return err }},
			{"Vote", func() error {
				_, err := e.svc.Vote(w.memB.ctx, w.open.ID, e.token(w.memB.ctx, w.open.ID), Choice{Option: 1})
				return err
			}},
		}
		for _, c := range refused {
			t.Run(c.name, func(t *testing.T) {
				err := c.do()
				if !errs.Is(err, errs.Conflict) {
					t.Fatalf("error %v, want a conflict (archived)", err)
				}
			})
		}
		if v, err := e.svc.Page(w.orgB.ctx, w.open.ID); err != nil || v.CanManage || v.Ballot != nil {
			t.Errorf("archived decision's page offers actions: %+v, %v", v, err)
		}
	})
}
