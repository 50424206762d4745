package notices

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// TestSendByMode: instant queues the mail at once, with its why-line;
// digest keeps it and queues nothing; off drops it; a service kind goes
// whatever the mode.
func TestSendByMode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ada := e.person(t, "Ada Lovelace", auth.RoleMember)

		t.Run("InstantByDefault", func(t *testing.T) {
			e.send(t, ada, kindReminder, "Branch meeting tomorrow")
			ms := e.mails(t, ada)
			if len(ms) != 1 || ms[0].Subject != "Branch meeting tomorrow" || ms[0].Related != "test.reminder" || ms[0].Kind != mail.KindService {
				t.Fatalf("mails %+v, want the reminder", ms)
			}
			if !strings.HasSuffix(ms[0].Text, "-- \nYou get this because of Branch meeting tomorrow.\n") {
				t.Errorf("text lacks the why-line: %q", ms[0].Text)
			}
		})
		t.Run("Digest", func(t *testing.T) {
			e.setMode(t, ada, kindReminder, ModeDigest)
			e.send(t, ada, kindReminder, "Vote closes")
			if n := len(e.mails(t, ada)); n != 1 {
				t.Errorf("%d mails after a digest notice, want still 1", n)
			}
			if n := e.waiting(t); n != 1 {
				t.Errorf("%d notices waiting, want 1", n)
			}
		})
		t.Run("Off", func(t *testing.T) {
			e.setMode(t, ada, kindChanged, ModeOff)
			e.send(t, ada, kindChanged, "Moved to Tuesday")
			if n := len(e.mails(t, ada)); n != 1 {
				t.Errorf("%d mails after an off notice, want still 1", n)
			}
			if n := e.waiting(t); n != 1 {
				t.Errorf("%d notices waiting after an off notice, want still 1", n)
			}
		})
		t.Run("ServiceIgnoresOff", func(t *testing.T) {
			e.setMode(t, ada, kindReceipt, ModeOff)
			e.send(t, ada, kindReceipt, "Your receipt")
			ms := e.mails(t, ada)
			if len(ms) != 2 || ms[1].Subject != "Your receipt" {
				t.Fatalf("mails %+v, want the receipt sent", ms)
			}
		})
		t.Run("UndeclaredKind", func(t *testing.T) {
			err := d.InTx(context.Background(), func(tx *db.Tx) error {
				return e.svc.Send(context.Background(), tx, ada.PersonID, Notice{Kind: "test.nope", To: ada.Email, Subject: "s", Text: "t", Why: "w"})
			})
			if err == nil || !strings.Contains(err.Error(), "test.nope") {
				t.Errorf("Send of an undeclared kind: %v", err)
			}
		})
		t.Run("NoWhy", func(t *testing.T) {
			for _, m := range []Mode{ModeInstant, ModeDigest} {
				e.setMode(t, ada, kindReminder, m)
				err := d.InTx(context.Background(), func(tx *db.Tx) error {
					return e.svc.Send(context.Background(), tx, ada.PersonID, Notice{Kind: kindReminder.Name, To: ada.Email, Subject: "s", Text: "t"})
				})
				if errs.FieldsOf(err)["why"] == "" {
					t.Errorf("%s: a notice without why: %v", m, err)
				}
			}
		})
	})
}

// TestDigest: a person's day of notices comes as one mail listing each
// with its why-line and the preferences link; running the job again, or
// twice at once, sends nothing more.
func TestDigest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ada := e.person(t, "Ada Lovelace", auth.RoleMember)
		bo := e.person(t, "Bo Diddley", auth.RoleMember)
		for _, p := range []person{ada, bo} {
			e.setMode(t, p, kindReminder, ModeDigest)
			e.setMode(t, p, kindChanged, ModeDigest)
		}
		e.send(t, ada, kindReminder, "Branch meeting tomorrow")
		e.now = e.now.Add(time.Hour)
		e.send(t, ada, kindChanged, "Picnic moved to Sunday")
		e.send(t, ada, kindReminder, "Vote closes tomorrow")
		e.send(t, bo, kindChanged, "Picnic moved to Sunday")
		sys := auth.WithSystem(context.Background())

		e.now = e.now.Add(time.Hour)
		n, err := e.svc.SendDigests(sys)
		if err != nil || n != 2 {
			t.Fatalf("SendDigests = %d, %v; want 2 digests", n, err)
		}
		ms := e.mails(t, ada)
		if len(ms) != 1 {
			t.Fatalf("%d mails to Ada, want one digest", len(ms))
		}
		m := ms[0]
		if m.Subject != "Your day on Tenants United: 3 updates" || m.Related != "notices.digest" {
			t.Errorf("digest %q (%s)", m.Subject, m.Related)
		}
		i1 := strings.Index(m.Text, "1. Branch meeting tomorrow")
		i2 := strings.Index(m.Text, "2. Picnic moved to Sunday")
		i3 := strings.Index(m.Text, "3. Vote closes tomorrow")
		if i1 < 0 || i2 < i1 || i3 < i2 {
			t.Errorf("digest does not list the three notices in order:\n%s", m.Text)
		}
		for _, want := range []string{"(You get this because of Picnic moved to Sunday.)",
			"https://act.example.org/account/notifications", "-- \nYou get this because you chose a daily digest"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("digest lacks %q:\n%s", want, m.Text)
			}
		}
		if ms := e.mails(t, bo); len(ms) != 1 || ms[0].Subject != "Your day on Tenants United: 1 update" {
			t.Errorf("Bo's mails %+v", ms)
		}

		t.Run("Again", func(t *testing.T) {
			if n, err := e.svc.SendDigests(sys); err != nil || n != 0 {
				t.Fatalf("second run = %d, %v; want nothing", n, err)
			}
			if n := len(e.mails(t, ada)); n != 1 {
				t.Errorf("%d mails to Ada after a second run, want 1", n)
			}
		})
		t.Run("TwoAtOnce", func(t *testing.T) {
			e.send(t, ada, kindReminder, "Another reminder")
			e.send(t, bo, kindReminder, "Another reminder")
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := e.svc.SendDigests(sys)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}()
			}
			wg.Wait()
			if total != 2 || len(e.mails(t, ada)) != 2 || len(e.mails(t, bo)) != 2 {
				t.Errorf("two runs at once queued %d digests (Ada %d mails, Bo %d); want one each",
					total, len(e.mails(t, ada)), len(e.mails(t, bo)))
			}
		})
		t.Run("TwoNodesSawTheSamePerson", func(t *testing.T) {
			// Both nodes listed Ada as waiting; the second to claim her
			// rows finds them taken and sends nothing.
			e.send(t, ada, kindChanged, "Yet another change")
			for i, want := range []bool{true, false} {
				got, err := e.svc.sendDigest(sys, ada.PersonID, e.now)
				if err != nil || got != want {
					t.Fatalf("claim %d = %v, %v; want %v", i+1, got, err, want)
				}
			}
			if ms := e.mails(t, ada); len(ms) != 3 || ms[2].Subject != "Your day on Tenants United: 1 update" {
				t.Errorf("Ada's mails after the third digest: %d", len(ms))
			}
		})
		t.Run("OnlyTheSystemAndAdmins", func(t *testing.T) {
			if _, err := e.svc.SendDigests(ada.ctx); !errs.Is(err, errs.Forbidden) {
				t.Errorf("a member ran the digest: %v", err)
			}
		})
	})
}

// TestPrefs: a person reads and changes their own preferences, an admin
// anyone's; others are told there is no such person; bad input names the
// kind.
func TestPrefs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ada := e.person(t, "Ada Lovelace", auth.RoleMember)
		bo := e.person(t, "Bo Diddley", auth.RoleSupporter)
		admin := e.person(t, "Cy Admin", auth.RoleAdmin)

		ps, err := e.svc.Prefs(ada.ctx, ada.PersonID)
		if err != nil || len(ps) != 3 || ps[0].Kind != kindReminder || ps[0].Mode != ModeInstant || !ps[2].Kind.Service {
			t.Fatalf("Prefs = %+v, %v", ps, err)
		}
		if err := e.svc.SavePrefs(ada.ctx, ada.PersonID, map[string]Mode{"test.reminder": ModeDigest, "test.changed": ModeOff}); err != nil {
			t.Fatal(err)
		}
		ps, _ = e.svc.Prefs(ada.ctx, ada.PersonID)
		if ps[0].Mode != ModeDigest || ps[1].Mode != ModeOff || ps[2].Mode != ModeInstant {
			t.Errorf("after saving: %+v", ps)
		}
		if id, err := e.svc.MyPersonID(ada.ctx); err != nil || id != ada.PersonID {
			t.Errorf("MyPersonID = %q, %v", id, err)
		}
		for _, tc := range []struct {
			name  string
			ctx   context.Context
			modes map[string]Mode
			code  errs.Code
		}{
			{"ErrOtherPerson", bo.ctx, map[string]Mode{"test.reminder": ModeOff}, errs.NotFound},
			{"ErrAnonymous", context.Background(), map[string]Mode{"test.reminder": ModeOff}, errs.Unauthorized},
			{"ErrBadMode", ada.ctx, map[string]Mode{"test.reminder": "sometimes"}, errs.Invalid},
			{"ErrServiceKind", ada.ctx, map[string]Mode{"test.receipt": ModeOff}, errs.Invalid},
			{"ErrUnknownKind", ada.ctx, map[string]Mode{"test.nope": ModeOff}, errs.Invalid},
			{"AdminMay", admin.ctx, map[string]Mode{"test.changed": ModeInstant}, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := e.svc.SavePrefs(tc.ctx, ada.PersonID, tc.modes)
				if errs.CodeOf(err) != tc.code && !(tc.code == "" && err == nil) {
					t.Fatalf("SavePrefs = %v, want %q", err, tc.code)
				}
				if tc.code == errs.Invalid {
					for k := range tc.modes {
						if errs.FieldsOf(err)[k] == "" {
							t.Errorf("fields %v do not name %s", errs.FieldsOf(err), k)
						}
					}
				}
				if tc.code == errs.NotFound || tc.code == errs.Unauthorized {
					if _, err := e.svc.Prefs(tc.ctx, ada.PersonID); errs.CodeOf(err) != tc.code {
						t.Errorf("Prefs = %v, want %q", err, tc.code)
					}
				}
			})
		}
		ps, _ = e.svc.Prefs(admin.ctx, ada.PersonID)
		if ps[0].Mode != ModeDigest || ps[1].Mode != ModeInstant {
			t.Errorf("after the refusals and the admin's change: %+v", ps)
		}
	})
}

// TestDailyAt: the digest's schedule keeps its local hour across the
// clocks changing.
func TestDailyAt(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	s := DailyAt{Hour: 7, Zone: london}
	for _, tc := range []struct{ now, want time.Time }{
		{time.Date(2026, 3, 2, 6, 59, 0, 0, london), time.Date(2026, 3, 2, 7, 0, 0, 0, london)},
		{time.Date(2026, 3, 2, 7, 0, 0, 0, london), time.Date(2026, 3, 3, 7, 0, 0, 0, london)},
		// The clocks go forward on 29 March 2026: 07:00 BST is 06:00 UTC.
		{time.Date(2026, 3, 28, 12, 0, 0, 0, london), time.Date(2026, 3, 29, 6, 0, 0, 0, time.UTC)},
	} {
		if got := s.Next(tc.now); !got.Equal(tc.want) {
			t.Errorf("Next(%v) = %v, want %v", tc.now, got, tc.want)
		}
	}
	s = DailyAt{Hour: 18, Minute: 30, Zone: london}
	for _, tc := range []struct{ now, want time.Time }{
		{time.Date(2026, 7, 1, 18, 29, 0, 0, london), time.Date(2026, 7, 1, 18, 30, 0, 0, london)},
		{time.Date(2026, 7, 1, 18, 30, 0, 0, london), time.Date(2026, 7, 2, 18, 30, 0, 0, london)},
	} {
		if got := s.Next(tc.now); !got.Equal(tc.want) {
			t.Errorf("Next(%v) = %v, want %v", tc.now, got, tc.want)
		}
	}
}

// TestNewNeedsEveryCollaborator: the service cannot be built half-wired.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := New(Deps{DB: dbtest.NewSQLite(t)})
	if err == nil || !strings.Contains(err.Error(), "missing Policy, Mail, Zone") {
		t.Fatalf("New without collaborators: %v", err)
	}
	_, err = New(Deps{DB: dbtest.NewSQLite(t), Policy: auth.NewPolicy(), Mail: &mail.Service{}, Zone: time.UTC,
		SiteName: "x", BaseURL: "https://x.example", Kinds: []Kind{kindReminder, kindReminder}})
	if err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("New with a kind declared twice: %v", err)
	}
}

// TestMovePerson: when two records are merged, the merged person's
// choices follow (the kept person's win where both chose) and so do their
// waiting notices.
func TestMovePerson(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		keep, gone := e.person(t, "Kay Kept", auth.RoleMember), e.person(t, "Gus Gone", auth.RoleMember)
		e.setMode(t, keep, kindReminder, ModeOff)
		e.setMode(t, gone, kindReminder, ModeDigest)
		e.setMode(t, gone, kindChanged, ModeDigest)
		e.send(t, gone, kindChanged, "Moved")
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			_, err := e.svc.MovePerson(context.Background(), tx, keep.PersonID, gone.PersonID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ps, err := e.svc.Prefs(keep.ctx, keep.PersonID)
		if err != nil || ps[0].Mode != ModeOff || ps[1].Mode != ModeDigest {
			t.Fatalf("kept person's prefs %+v, %v; want reminders off (theirs), changes digest (moved)", ps, err)
		}
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM notification_digest WHERE person_id = ?`, keep.PersonID).Scan(&n); err != nil || n != 1 {
			t.Errorf("waiting notices of the kept person: %d, %v", n, err)
		}
	})
}
