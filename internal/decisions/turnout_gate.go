package decisions

import (
	"context"
	"sync"
	"time"
)

// turnoutEvery is the least time between two turnout publications of one
// decision on one node. Counting the voters is a scan of the decision's
// voter rows: publishing after every vote made a big election quadratic
// (50,000 votes ran at a tenth of the speed), while a hall watching the
// count cannot tell a third of a second.
const turnoutEvery = 300 * time.Millisecond

// turnoutGate coalesces the turnout publications of each decision: the
// first vote after a quiet spell publishes at once; votes during the next
// turnoutEvery only mark the turnout stale, and one publication after that
// spell carries them all. So the last vote is always published, at most
// turnoutEvery late.
type turnoutGate struct {
	mu sync.Mutex
	// stale holds the decisions in a spell: true when a vote came during
	// it and a publication is due at its end.
	stale map[string]bool
}

// afterVote publishes the turnout now, or marks it due at the end of the
// spell under way; it runs after the vote has committed.
func (s *Service) afterVote(ctx context.Context, decisionID string) {
	g := s.gate
	g.mu.Lock()
	if _, busy := g.stale[decisionID]; busy {
		g.stale[decisionID] = true
		g.mu.Unlock()
		return
	}
	g.stale[decisionID] = false
	g.mu.Unlock()
	s.publishTurnout(ctx, decisionID)
	go func() {
		for {
			time.Sleep(turnoutEvery)
			g.mu.Lock()
			if !g.stale[decisionID] {
				delete(g.stale, decisionID)
				g.mu.Unlock()
				return
			}
			g.stale[decisionID] = false
			g.mu.Unlock()
			s.publishTurnout(context.WithoutCancel(ctx), decisionID)
		}
	}()
}
