package app

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/decisions/decisionsweb"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/mail"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/site"
)

// This file wires the decisions capability: its service, policy rules,
// jobs, pages and API.

// decisionWorkers registers the decisions jobs' workers and returns their
// periodic jobs. The workers reach the service through the App, which
// buildDecisions fills in after the River client exists.
func (a *App) decisionWorkers(workers *river.Workers) []*river.PeriodicJob {
	river.AddWorker(workers, &advanceWorker{app: a})
	river.AddWorker(workers, &remindWorker{app: a})
	return []*river.PeriodicJob{decisions.AdvancePeriodic(), decisions.RemindPeriodic()}
}

// buildDecisions builds the decisions service: its rules in the policy,
// the ballot key from its file (made on first start; a node whose key is
// not the one the database's ballots were sealed with refuses to start),
// live turnout through the broker, reminders by mail.
func (a *App) buildDecisions(ctx context.Context) error {
	a.Policy.AddRules(decisions.Rules()...)
	key, err := decisions.LoadBallotKey(a.Config.BallotKeyPath())
	if err != nil {
		return err
	}
	if a.Decisions, err = decisions.New(a.DB, a.Policy, a.Log, key); err != nil {
		return err
	}
	if err := a.Decisions.CheckBallotKey(ctx); err != nil {
		return err
	}
	a.Decisions.SetLive(a.Live)
	a.Decisions.SetReminder(ballotReminder{a})
	return nil
}

// decisionRoutes mounts the decisions pages and API and lists the API's
// collection at the entry point.
func (a *App) decisionRoutes(mux *http.ServeMux, rend *web.Renderer) error {
	if err := rend.Add(decisionsweb.Templates, "decisions"); err != nil {
		return err
	}
	h, err := decisionsweb.NewHandler(a.Decisions, rend, a.Live, a.Zone)
	if err != nil {
		return err
	}
	h.Routes(mux)
	decisionsweb.NewAPIHandler(a.Decisions, a.Config.PublicURL()).Routes(mux)
	a.APILink("momentum:decisions", "/decisions", "Decisions: proposals, ballots and elections")
	return nil
}

// advanceWorker opens and closes voting on time (decisions.AdvanceWorker
// with the service read from the App when it runs).
type advanceWorker struct {
	river.WorkerDefaults[decisions.AdvanceArgs]
	app *App
}

func (w *advanceWorker) Work(ctx context.Context, j *river.Job[decisions.AdvanceArgs]) error {
	return (&decisions.AdvanceWorker{Svc: w.app.Decisions}).Work(ctx, j)
}

func (w *advanceWorker) Timeout(j *river.Job[decisions.AdvanceArgs]) time.Duration {
	return (&decisions.AdvanceWorker{}).Timeout(j)
}

// remindWorker sends the reminders a day before the close.
type remindWorker struct {
	river.WorkerDefaults[decisions.RemindArgs]
	app *App
}

func (w *remindWorker) Work(ctx context.Context, j *river.Job[decisions.RemindArgs]) error {
	return (&decisions.RemindWorker{Svc: w.app.Decisions}).Work(ctx, j)
}

// ballotReminder mails each electorate member who has not voted, queued in
// the transaction that marks the reminder sent. It is a service message to
// members (sent whatever their marketing consent) and says so. It never
// carries a receipt code.
type ballotReminder struct{ a *App }

func (n ballotReminder) RemindVoters(ctx context.Context, tx *db.Tx, d *decisions.Decision, emails []string) error {
	where := "the whole network"
	if d.GroupName != "" {
		where = d.GroupName
	}
	closes := d.ClosesAt.In(n.a.Zone).Format("15:04 on Monday 2 January 2006") + " (" + web.ZoneLabel(n.a.Zone) + ")"
	link := n.a.Config.PublicURL() + "/decisions/" + d.ID
	for _, to := range emails {
		_, err := n.a.Mail.Queue(ctx, tx, mail.Message{
			To:      to,
			Subject: "Reminder: voting on " + d.Title + " closes soon",
			Text: fmt.Sprintf("You have not voted yet on %q, a ballot of %s. Voting closes at %s.\n\n"+
				"Vote here: %s\n\n"+
				"This is a service message to members: you receive it because you are on this ballot's electorate, "+
				"whatever your email preferences. We send it once, a day before the close, only to those who have not voted.\n",
				d.Title, where, closes, link),
			Kind:    mail.KindService,
			Related: "decisions.reminder",
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// myVotesPanel is the dashboard's "Your votes": the decisions open for
// voting now in which the signed-in person may vote, or has voted (they
// may still change their vote with their receipt).
func (a *App) myVotesPanel(ctx context.Context) (*site.Panel, error) {
	if p := auth.PrincipalFrom(ctx); p == nil || p.UserID == "" {
		return nil, nil
	}
	votes, err := a.Decisions.OpenVotes(ctx, 5)
	if err != nil {
		return nil, err
	}
	panel := &site.Panel{Title: "Your votes", Empty: "No vote is open for you now.", MoreURL: "/decisions", More: "All decisions"}
	for _, v := range votes {
		note := "vote by " + v.ClosesAt.In(a.Zone).Format("Mon 2 Jan, 15:04")
		if v.Voted {
			note = "you have voted"
		}
		panel.Items = append(panel.Items, site.PanelItem{Text: v.Title, URL: "/decisions/" + v.ID, Note: note})
	}
	return panel, nil
}
