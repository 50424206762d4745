package webhooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

func TestSignAndVerify(t *testing.T) {
	body := []byte(`[{"osdi:person":{},"idempotency_key":"k"}]`)
	now := time.Now().Unix()
	ts := fmt.Sprint(now)
	sig := webhooks.Sign("whsec_one", now, body)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
		t.Fatalf("signature %q", sig)
	}
	for _, c := range []struct {
		name, secret, ts, sig string
		body                  []byte
		want                  error
	}{
		{"Good", "whsec_one", ts, sig, body, nil},
		{"ErrWrongSecret", "whsec_two", ts, sig, body, webhooks.ErrBadSignature},
		{"ErrChangedBody", "whsec_one", ts, sig, append([]byte(" "), body...), webhooks.ErrBadSignature},
		{"ErrOtherTimestamp", "whsec_one", fmt.Sprint(now - 1), sig, body, webhooks.ErrBadSignature},
		{"ErrOld", "whsec_one", fmt.Sprint(now - 600), webhooks.Sign("whsec_one", now-600, body), body, webhooks.ErrStale},
		{"ErrFuture", "whsec_one", fmt.Sprint(now + 600), webhooks.Sign("whsec_one", now+600, body), body, webhooks.ErrStale},
		{"ErrNoTimestamp", "whsec_one", "", sig, body, webhooks.ErrStale},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := webhooks.Verify(c.secret, c.ts, c.sig, c.body, 5*time.Minute); !errors.Is(err, c.want) {
				t.Errorf("Verify = %v, want %v", err, c.want)
			}
		})
	}
}

func TestCheckURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://hooks.example.org/momentum": true, "http://localhost:8080/dev/webhook-receiver": true,
		"http://127.0.0.1:9/x": true, "http://[::1]:9/x": true,
		"http://hooks.example.org/x": false, "http://10.0.0.5/x": false, "ftp://example.org/x": false,
		"https://user:pw@example.org/": false, "hooks.example.org/x": false, "": false,
	} {
		if got := webhooks.CheckURL(raw) == ""; got != ok {
			t.Errorf("CheckURL(%q) accepted = %v, want %v (%s)", raw, got, ok, webhooks.CheckURL(raw))
		}
	}
}

// TestDeliveries: a signed delivery in Action Network's shape reaches each
// endpoint that wants its kind, and a group's endpoint hears only of its
// own group.
func TestDeliveries(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		n := startNode(t, d)
		s := n.s
		g, err := s.Groups.Create(sys, groups.Input{Name: "Hackney", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
		if err != nil {
			t.Fatal(err)
		}
		network, group, unsub := newReceiver(t), newReceiver(t), newReceiver(t)
		endpoint(t, s, network, "", outbox.PersonCreated)
		endpoint(t, s, group, g.ID, outbox.PersonCreated, outbox.PersonUnsubscribed)
		endpoint(t, s, unsub, "", outbox.PersonUnsubscribed)

		inGroup := signup(t, s, "gus@example.org", g.ID)
		outside := signup(t, s, "nel@example.org", "")
		for _, c := range []people.Consent{
			{Channel: people.ChannelEmail, Status: people.ConsentGranted, Source: "test", Wording: "Yes please"},
			{Channel: people.ChannelEmail, Status: people.ConsentWithdrawn, Source: "unsubscribe link"},
		} {
			if err := s.People.SetConsent(sys, outside, c); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, 20*time.Second, "the deliveries", func() bool {
			return len(network.received()) >= 2 && len(group.received()) >= 1 && len(unsub.received()) >= 1
		})
		time.Sleep(300 * time.Millisecond) // anything more would be a mistake

		t.Run("NetworkGetsEveryPerson", func(t *testing.T) {
			got := network.received()
			if len(got) != 2 || got[0].subject != "momentum:"+inGroup || got[1].subject != "momentum:"+outside {
				t.Fatalf("network endpoint got %+v", got)
			}
			for _, g := range got {
				if !g.verified || g.kind != outbox.PersonCreated || g.rel != "osdi:person" {
					t.Errorf("delivery %+v: want a verified osdi:person of person.created", g)
				}
			}
		})
		t.Run("GroupGetsOnlyItsGroup", func(t *testing.T) {
			got := group.received()
			if len(got) != 1 || got[0].subject != "momentum:"+inGroup || got[0].group != g.ID {
				t.Fatalf("group endpoint got %+v", got)
			}
		})
		t.Run("KindsFilter", func(t *testing.T) {
			got := unsub.received()
			if len(got) != 1 || got[0].kind != outbox.PersonUnsubscribed || got[0].rel != "momentum:unsubscribe" ||
				got[0].subject != "momentum:"+outside {
				t.Fatalf("unsubscribe endpoint got %+v", got)
			}
		})
		t.Run("ShapedAsActionNetwork", func(t *testing.T) {
			g := network.received()[0]
			var arr []map[string]any
			if err := json.Unmarshal(g.body, &arr); err != nil || len(arr) != 1 {
				t.Fatalf("body %s: %v", g.body, err)
			}
			if arr[0]["idempotency_key"] != g.key {
				t.Errorf("idempotency_key %v, header %s", arr[0]["idempotency_key"], g.key)
			}
			person, _ := arr[0]["osdi:person"].(map[string]any)
			if person["given_name"] != "Sam" {
				t.Errorf("osdi:person %v", person)
			}
		})
	})
}

// TestRetriesKeepOrder: a receiver that fails gets the first delivery
// again with backoff, every attempt recorded, and the later deliveries
// only after it, in order; a delivery that fails MaxAttempts times is
// failed and the next ones go on; a failed one can be sent again.
func TestRetriesKeepOrder(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		n := startNode(t, d)
		s := n.s
		rc := newReceiver(t)
		rc.set(func() { rc.fail = func(_ string, n int) bool { return n <= 3 } }) // each delivery fails 3 times
		ep := endpoint(t, s, rc, "", outbox.PersonCreated)
		ids := []string{signup(t, s, "a@example.org", ""), signup(t, s, "b@example.org", ""), signup(t, s, "c@example.org", "")}
		waitFor(t, 30*time.Second, "three deliveries", func() bool { return len(rc.received()) >= 3 })
		for i, g := range rc.received() {
			if g.subject != "momentum:"+ids[i] {
				t.Fatalf("delivery %d is of %s, want %s (order kept)", i, g.subject, ids[i])
			}
		}
		page, err := s.Webhooks.Deliveries(sys, ep.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Deliveries) != 3 {
			t.Fatalf("%d deliveries", len(page.Deliveries))
		}
		first := page.Deliveries[2] // newest first
		if first.Status != webhooks.StatusDelivered || first.Attempts != 4 || len(first.Tries) != 4 {
			t.Fatalf("first delivery %+v", first)
		}
		for i, a := range first.Tries {
			want := 500
			if i == 3 {
				want = 200
			}
			if a.StatusCode != want || (want == 500 && !strings.Contains(a.Response, "not now")) {
				t.Errorf("attempt %d: %d %q, want %d", i, a.StatusCode, a.Response, want)
			}
			if i > 0 {
				// The test node's backoff: 50 ms, 100 ms, 150 ms.
				if gap := a.At.Sub(first.Tries[i-1].At); gap < time.Duration(i)*50*time.Millisecond-5*time.Millisecond {
					t.Errorf("attempt %d came %s after the one before, before its backoff", i, gap)
				}
			}
		}

		t.Run("FailedThenLaterProceed", func(t *testing.T) {
			var doomed string
			rc.set(func() {
				rc.fail = func(key string, _ int) bool {
					if doomed == "" {
						doomed = key
					}
					return key == doomed
				}
			})
			x, y := signup(t, s, "x@example.org", ""), signup(t, s, "y@example.org", "")
			waitFor(t, 30*time.Second, "the delivery after the failed one", func() bool { return len(rc.received()) >= 4 })
			got := rc.received()[3]
			if got.subject != "momentum:"+y {
				t.Fatalf("got %s after the failure, want %s", got.subject, y)
			}
			page, _ := s.Webhooks.Deliveries(sys, ep.ID, 0, 10)
			failed := page.Deliveries[1]
			if failed.Status != webhooks.StatusFailed || failed.Attempts != s.Webhooks.MaxAttempts() || failed.ID != doomed {
				t.Fatalf("failed delivery %+v", failed)
			}
			rc.set(func() { rc.fail = nil })
			if _, err := s.Webhooks.Retry(sys, failed.ID); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 10*time.Second, "the retried delivery", func() bool { return len(rc.received()) >= 5 })
			if got := rc.received()[4]; got.subject != "momentum:"+x || got.key != doomed {
				t.Fatalf("retried delivery %+v", got)
			}
		})
	})
}

// TestAdminOnly: endpoints are the admins' (and the system's); organisers
// and supporters can neither see nor make them, and a bad address or no
// kind is refused naming the field.
func TestAdminOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		n := startNode(t, d)
		s := n.s
		g, err := s.Groups.Create(sys, groups.Input{Name: "Hackney", Kind: groups.KindLocal, JoinPolicy: groups.JoinOpen, Districts: []string{"E8"}})
		if err != nil {
			t.Fatal(err)
		}
		ep, _, err := s.Webhooks.Create(sys, webhooks.Input{GroupID: g.ID, URL: "https://hooks.example.org/a", Kinds: []string{outbox.PersonCreated}})
		if err != nil {
			t.Fatal(err)
		}
		for _, role := range []auth.Role{auth.RoleSupporter, auth.RoleMember} {
			ctx := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: db.NewID(), Role: role, Verified: true})
			if _, err := s.Webhooks.List(ctx); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s lists endpoints: %v", role, err)
			}
			if _, err := s.Webhooks.Get(ctx, ep.ID); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s reads an endpoint: %v", role, err)
			}
			if _, _, err := s.Webhooks.Create(ctx, webhooks.Input{GroupID: g.ID, URL: "https://x.example.org", Kinds: outbox.Kinds}); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s creates an endpoint: %v", role, err)
			}
		}
		tok := auth.WithPrincipal(context.Background(), &auth.Principal{TokenGroupID: g.ID})
		if _, err := s.Webhooks.List(tok); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a group token lists endpoints: %v", err)
		}
		for _, c := range []struct {
			in    webhooks.Input
			field string
		}{
			{webhooks.Input{URL: "http://hooks.example.org/x", Kinds: outbox.Kinds}, "url"},
			{webhooks.Input{URL: "https://hooks.example.org/x"}, "kinds"},
			{webhooks.Input{URL: "https://hooks.example.org/x", Kinds: []string{"person.deleted"}}, "kinds"},
			{webhooks.Input{URL: "https://hooks.example.org/x", Kinds: outbox.Kinds, GroupID: db.NewID()}, "group_id"},
		} {
			if _, _, err := s.Webhooks.Create(sys, c.in); errs.FieldsOf(err)[c.field] == "" {
				t.Errorf("Create(%+v) = %v, want an error on %s", c.in, err, c.field)
			}
		}
	})
}

// TestNewNeedsEveryCollaborator: a service missing one is an error naming it.
func TestNewNeedsEveryCollaborator(t *testing.T) {
	_, err := webhooks.New(webhooks.Deps{BaseURL: "https://act.example.org"})
	for _, name := range []string{"DB", "Policy", "Jobs", "Renderer"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("New without %s: %v", name, err)
		}
	}
}
