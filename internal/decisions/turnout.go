package decisions

import (
	"context"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/live"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Turnout is how many of a decision's electorate have voted so far.
type Turnout struct {
	Voted, Electorate int
}

// String is the turnout in words, as the ballot page and its live stream
// show it.
func (t Turnout) String() string {
	return web.Number(t.Voted) + " of " + web.Number(t.Electorate) + " have voted" // issue 16: 10,986
}

// TurnoutTopic is the live topic on which a decision's turnout is
// published after each new vote.
func TurnoutTopic(decisionID string) string { return "decision:" + decisionID + ":turnout" }

// Turnout returns how many of the electorate have voted (the electorate is
// zero until voting opens). Errors: as Get.
func (s *Service) Turnout(ctx context.Context, id string) (Turnout, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return Turnout{}, err
	}
	return s.turnout(ctx, d)
}

func (s *Service) turnout(ctx context.Context, d *Decision) (Turnout, error) {
	if d.Closed() {
		return Turnout{Voted: d.Turnout, Electorate: d.ElectorateSize}, nil
	}
	n, err := countVoters(ctx, s.db.Q(), d.ID)
	if err != nil {
		return Turnout{}, err
	}
	return Turnout{Voted: n, Electorate: d.ElectorateSize}, nil
}

// publishTurnout tells live pages the new turnout; it runs after the vote
// has committed. The event carries only the two numbers, never who voted.
func (s *Service) publishTurnout(ctx context.Context, decisionID string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	d, err := getDecision(ctx, s.db.Q(), decisionID, noLock)
	if err != nil {
		s.log.Warn("turnout not published", "decision", decisionID, "err", err)
		return
	}
	t, err := s.turnout(ctx, d)
	if err != nil {
		s.log.Warn("turnout not published", "decision", decisionID, "err", err)
		return
	}
	if err := s.live.Publish(ctx, live.Event{Topic: TurnoutTopic(decisionID), Data: t.String()}); err != nil {
		s.log.Warn("turnout not published", "decision", decisionID, "err", err)
	}
}
