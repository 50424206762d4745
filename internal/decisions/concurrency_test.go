package decisions

import (
	"fmt"
	"sync"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// TestConcurrentVoting: 100 voters vote at once, and 10 submissions are
// duplicates sent at the same time (5 re-send the same receipt, as a
// double click does; 5 come from a second tab with another receipt).
// Exactly 100 ballots and 100 voter rows result, no vote is lost to
// SQLite's single writer, and only second-tab submissions may be refused.
func TestConcurrentVoting(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		const n = 100
		voters := make([]person, n)
		for i := range voters {
			voters[i] = e.member(t, fmt.Sprintf("Voter %03d", i))
			e.join(t, g, voters[i], "member")
		}
		dec := e.open(t, voters[0], poll(g))
		type submission struct {
			who       person
			receipt   string
			secondTab bool
		}
		var subs []submission
		for i, v := range voters {
			r := e.token(v.ctx, dec.ID)
			subs = append(subs, submission{who: v, receipt: r})
			switch {
			case i < 5:
				subs = append(subs, submission{who: v, receipt: r}) // double click
			case i < 10:
				subs = append(subs, submission{who: v, receipt: e.token(v.ctx, dec.ID), secondTab: true})
			}
		}
		errsOf := make([]error, len(subs))
		var wg sync.WaitGroup
		startGun := make(chan struct{})
		for i, s := range subs {
			wg.Go(func() {
				<-startGun
				_, errsOf[i] = e.svc.Vote(s.who.ctx, dec.ID, s.receipt, Choice{Option: 1 + i%2})
			})
		}
		close(startGun)
		wg.Wait()
		// A double click must succeed both times. Of a voter's two tabs
		// (two receipts) exactly one wins the race, whichever it is, and the
		// other is refused; a voter with one tab is never refused.
		hasSecondTab := map[string]bool{}
		for _, s := range subs {
			if s.secondTab {
				hasSecondTab[s.who.Name] = true
			}
		}
		refused := map[string]int{}
		refusedTabs := 0
		for i, err := range errsOf {
			switch {
			case err == nil:
			case errs.Is(err, errs.Conflict) && hasSecondTab[subs[i].who.Name]:
				refused[subs[i].who.Name]++
				refusedTabs++
			default:
				t.Errorf("submission %d (%s, second tab %v) refused: %v", i, subs[i].who.Name, subs[i].secondTab, err)
			}
		}
		for name := range hasSecondTab {
			if refused[name] != 1 {
				t.Errorf("%s voted in two tabs: %d of the two submissions refused, want exactly 1", name, refused[name])
			}
		}
		ballots := e.cast(t, dec.ID)
		voterRows := e.count(t, `SELECT COUNT(*) FROM decision_voters WHERE decision_id = ?`, dec.ID)
		if ballots != n || voterRows != n || refusedTabs != 5 {
			t.Fatalf("%d ballots, %d voters, %d refused; want %d, %d and the 5 second tabs", ballots, voterRows, refusedTabs, n, n)
		}
	})
}
