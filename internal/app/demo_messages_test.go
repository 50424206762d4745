package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/demo"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/auth"
)

// TestDemoBroadcasts: the demo holds three network broadcasts and two
// group broadcasts sent last month, one scheduled for next week and one
// draft, and the messaging service lists them. The sent ones have honest
// figures: recipients with email consent, a few bounces (whose addresses
// are then suppressed) and unsubscribes (whose consent is withdrawn), and
// opens only on the one that was tracked.
func TestDemoBroadcasts(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, dbURL string) {
		start := time.Now()
		n := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Before: apptest.LoadDemo(demo.Generate(1, 1500))})
		t.Logf("started with the demo in %v", time.Since(start).Round(time.Millisecond))
		a, sys := n.App, auth.WithSystem(context.Background())
		bs, _, err := a.Messaging.List(sys, messaging.ListFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		var recipients, bounced, unsubscribed, opened, tracked int
		now := time.Now()
		for _, b := range bs {
			key := b.Status
			if b.Status == messaging.StatusSent {
				key += map[bool]string{true: " network", false: " group"}[b.GroupID == ""]
				if b.StartedAt.After(now) || b.StartedAt.Before(now.AddDate(0, 0, -45)) || b.Recipients == 0 {
					t.Errorf("%q: started %v with %d recipients", b.Subject, b.StartedAt, b.Recipients)
				}
				st, err := a.Messaging.Stats(sys, b.ID)
				if err != nil {
					t.Fatal(err)
				}
				if st.Recipients != b.Recipients || st.Sent+st.Failed != b.Recipients || st.Queued != 0 {
					t.Errorf("%q: figures %+v do not add up to %d recipients", b.Subject, st, b.Recipients)
				}
				if !st.Tracked && (st.Opened != 0 || st.Clicked != 0) {
					t.Errorf("%q: opens %d without tracking", b.Subject, st.Opened)
				}
				if st.Tracked {
					tracked++
					opened += st.Opened
				}
				recipients, bounced, unsubscribed = recipients+b.Recipients, bounced+st.Bounced, unsubscribed+st.Unsubscribed
			}
			if b.Status == messaging.StatusScheduled && (b.SendAt.Before(now.AddDate(0, 0, 5)) || b.SendAt.After(now.AddDate(0, 0, 9))) {
				t.Errorf("%q is scheduled for %v, not next week", b.Subject, b.SendAt)
			}
			count[key]++
		}
		if count["sent network"] != 3 || count["sent group"] != 2 || count[messaging.StatusScheduled] != 1 || count[messaging.StatusDraft] != 1 {
			t.Fatalf("demo broadcasts by status: %v", count)
		}
		if recipients < 500 || bounced == 0 || bounced*100 > recipients*3 || unsubscribed*100 > recipients || tracked != 1 || opened*5 < recipients/10 {
			t.Errorf("demo figures: %d recipients, %d bounced, %d unsubscribed, %d opened in %d tracked", recipients, bounced, unsubscribed, opened, tracked)
		}
		var suppressed, withdrawn, consented int
		ctx := context.Background()
		a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM suppressions s JOIN broadcast_recipients r ON r.address = s.address AND r.status IN ('bounced', 'complained')`).Scan(&suppressed)
		a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM broadcast_recipients r JOIN consents c ON c.person_id = r.person_id AND c.channel = 'email'
			WHERE r.unsubscribed_at IS NOT NULL AND c.status = 'withdrawn'`).Scan(&withdrawn)
		a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM broadcast_recipients r WHERE NOT EXISTS (SELECT 1 FROM consents c
			WHERE c.person_id = r.person_id AND c.channel = 'email')`).Scan(&consented)
		if suppressed < bounced || withdrawn != unsubscribed || consented != 0 {
			t.Errorf("%d of %d bounced addresses suppressed, %d of %d unsubscribes withdrew consent, %d recipients never consented",
				suppressed, bounced, withdrawn, unsubscribed, consented)
		}
	})
}
