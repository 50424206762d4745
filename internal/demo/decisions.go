package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/tally"
)

// isRefusal is a vote the service turned down for a reason of its own: not
// in the electorate (the demo's voters are not all in every group), or
// already voted (in a run that was killed and is being finished).
func isRefusal(err error) bool {
	return errs.Is(err, errs.Forbidden) || errs.Is(err, errs.Conflict)
}

// demoVoters is at most how many network members get a (passwordless)
// account and vote in the demo's finished election.
const demoVoters = 2500

// candidates of the demo's national committee election, with the category
// they stand in.
var committee = []string{"Aisha Okafor", "Tom Walker", "Priya Shah", "Rhys Davies", "Niamh Kelly", "Kwame Mensah",
	"Ella Turner", "Hamish Murray", "Zainab Ali", "Oscar Hughes", "Freya Campbell", "Mateusz Nowak"}

var proposals = []string{
	"Hold our branch meetings on Tuesday evenings",
	"Support the tenants' union's rent strike",
	"Set up a monthly newcomers' social",
}

// loadDecisions adds a finished network-wide election (Scottish STV, five
// seats, a few thousand ballots cast by members with accounts) and open
// consensus proposals in three local groups. It runs through the decisions
// service with its own clock, so the election can open, close and be
// published in the past; the votes go through Vote, receipts and all.
//
// After a killed run it carries on: the election and proposals are found by
// title and taken on from the stage they reached; the same random draws
// are made, and votes already cast are refused and skipped.
func loadDecisions(ctx context.Context, a *app.App, nw Network, began time.Time) error {
	now := began
	clock := now
	svc := a.Decisions.WithClock(func() time.Time { return clock })

	voters, byUser, err := demoAccounts(ctx, a)
	if err != nil {
		return err
	}
	if len(voters) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(nw.Seed, 5))

	// The election: opened three weeks ago for a week.
	clock = now.AddDate(0, 0, -22)
	var opts []decisions.OptionInput
	for _, c := range committee {
		opts = append(opts, decisions.OptionInput{Label: c, Description: "Standing for the National Committee."})
	}
	dec, err := findOrCreate(ctx, a, svc, "", decisions.Input{Title: "National Committee election " + fmt.Sprint(now.Year()),
		Body: "Five members of the National Committee, elected by every member by the single transferable vote " +
			"(the Scottish rules). Rank as many candidates as you like, in order of preference.",
		Kind: decisions.KindElection, Seats: 5, Options: opts, OpensAt: clock.Add(time.Hour), ClosesAt: clock.AddDate(0, 0, 7),
		Electorate: decisions.Electorate{Scope: decisions.ScopeNetwork, MembersOnly: true}})
	if err != nil {
		return fmt.Errorf("demo election: %w", err)
	}
	clock = dec.OpensAt.Add(-time.Hour)
	if err := openVoting(ctx, svc, dec, &clock); err != nil {
		return fmt.Errorf("demo election: %w", err)
	}
	factions := [][]int{r.Perm(len(committee)), r.Perm(len(committee)), r.Perm(len(committee))}
	if dec.Status != decisions.StatusVoting {
		voters = nil // counted and published by a killed run
	}
	for i, v := range voters {
		order := slices.Clone(factions[i%len(factions)])
		for s := r.IntN(4); s > 0; s-- {
			j := r.IntN(len(order) - 1)
			order[j], order[j+1] = order[j+1], order[j]
		}
		ranking := make([]int, 1+r.IntN(6))
		for k := range ranking {
			ranking[k] = order[k] + 1
		}
		clock = dec.OpensAt.Add(time.Duration(i) * 4 * time.Minute % (6 * 24 * time.Hour))
		tok, err := svc.BallotToken(v, dec.ID)
		if err == nil {
			_, err = svc.Vote(v, dec.ID, tok, decisions.Choice{Ranking: ranking})
		}
		if err != nil && !isRefusal(err) {
			return fmt.Errorf("demo election vote: %w", err)
		}
	}
	clock = dec.ClosesAt
	if dec.Status == decisions.StatusVoting {
		if _, err := svc.Close(ctx, dec.ID); err != nil {
			return fmt.Errorf("demo election close: %w", err)
		}
		dec.Status = decisions.StatusClosed
	}
	clock = dec.ClosesAt.Add(2 * time.Hour)
	if dec.Status == decisions.StatusClosed {
		if _, err := svc.Publish(ctx, dec.ID, "The five elected take their seats at the next National Committee meeting. "+
			"Thank you to every candidate and every member who voted.", decisions.PublicRecord); err != nil { // issue 13: in the open decision log
			return fmt.Errorf("demo election publish: %w", err)
		}
	}

	// Open proposals in three local groups with members who vote.
	rows, err := a.DB.Q().Query(ctx, `SELECT g.id FROM groups g WHERE g.kind = 'local' AND
		(SELECT COUNT(*) FROM group_members m JOIN people p ON p.id = m.person_id
		 WHERE m.group_id = g.id AND m.status = 'active' AND p.user_id IS NOT NULL) >= 3
		ORDER BY g.slug LIMIT ?`, len(proposals))
	if err != nil {
		return fmt.Errorf("demo proposals: %w", err)
	}
	var groupIDs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		groupIDs = append(groupIDs, id)
	}
	rows.Close()
	for i, g := range groupIDs {
		clock = now.Add(-2 * time.Hour)
		p, err := findOrCreate(ctx, a, svc, g, decisions.Input{GroupID: g, Title: proposals[i], Kind: decisions.KindProposal,
			Body:    "Proposed at the last branch meeting. Agree, abstain, disagree, or block with a reason.",
			OpensAt: now.Add(-time.Hour), ClosesAt: now.AddDate(0, 0, 5+i), QuorumPercent: 10})
		if err != nil {
			return fmt.Errorf("demo proposal: %w", err)
		}
		if err := openVoting(ctx, svc, p, &clock); err != nil {
			return fmt.Errorf("demo proposal: %w", err)
		}
		positions := []string{"agree", "agree", "agree", "abstain", "disagree"}
		inGroup, err := groupVoters(ctx, a, g)
		if err != nil {
			return err
		}
		for j, userID := range inGroup {
			v := byUser[userID]
			if v == nil {
				continue
			}
			if j == len(inGroup)-1 && j > 0 {
				break // someone has not voted yet
			}
			tok, err := svc.BallotToken(v, p.ID)
			if err == nil {
				_, err = svc.Vote(v, p.ID, tok, decisions.Choice{Position: tally.Position(positions[j%len(positions)])})
			}
			if err != nil && !isRefusal(err) {
				return fmt.Errorf("demo proposal vote: %w", err)
			}
		}
	}
	return nil
}

// findOrCreate returns the decision titled in.Title in group groupID (""
// for the network) that a killed run made, or creates it.
func findOrCreate(ctx context.Context, a *app.App, svc *decisions.Service, groupID string, in decisions.Input) (*decisions.Decision, error) {
	q, args := `SELECT id FROM decisions WHERE title = ? AND group_id IS NULL`, []any{in.Title}
	if groupID != "" {
		q, args = `SELECT id FROM decisions WHERE title = ? AND group_id = ?`, []any{in.Title, groupID}
	}
	var id string
	err := a.DB.QueryRow(ctx, q, args...).Scan(&id)
	switch {
	case err == nil:
		return svc.Get(ctx, id)
	case db.IsNotFound(err):
		return svc.Create(ctx, in)
	default:
		return nil, err
	}
}

// openVoting takes a draft or a decision under discussion to voting (at
// *clock, then at its opening time); a decision past that is left as it is.
func openVoting(ctx context.Context, svc *decisions.Service, d *decisions.Decision, clock *time.Time) error {
	if d.Status == decisions.StatusDraft {
		if _, err := svc.StartDiscussion(ctx, d.ID); err != nil {
			return err
		}
		d.Status = decisions.StatusDiscussion
	}
	if d.Status == decisions.StatusDiscussion {
		*clock = d.OpensAt
		if _, err := svc.OpenVoting(ctx, d.ID); err != nil {
			return err
		}
		d.Status = decisions.StatusVoting
	}
	return nil
}

// groupVoters lists the user ids of a group's active members with accounts.
func groupVoters(ctx context.Context, a *app.App, groupID string) ([]string, error) {
	rows, err := a.DB.Q().Query(ctx, `SELECT p.user_id FROM group_members m JOIN people p ON p.id = m.person_id
		WHERE m.group_id = ? AND m.status = 'active' AND p.user_id IS NOT NULL ORDER BY p.user_id`, groupID)
	if err != nil {
		return nil, fmt.Errorf("demo proposal voters: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// demoAccounts gives up to demoVoters network members passwordless accounts
// (they would log in with a link) and returns each signed in, in order and
// by user id.
func demoAccounts(ctx context.Context, a *app.App) ([]context.Context, map[string]context.Context, error) {
	// The first demoVoters members, less those who have an account already
	// (made by a run that was killed).
	rows, err := a.DB.Q().Query(ctx, `SELECT p.email, p.given_name || ' ' || p.family_name FROM people p
		WHERE p.id IN (SELECT id FROM people WHERE membership_status = 'member' AND email IS NOT NULL ORDER BY id LIMIT ?)
		AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = p.email) ORDER BY p.id`, demoVoters)
	if err != nil {
		return nil, nil, fmt.Errorf("demo voters: %w", err)
	}
	var accounts []auth.NewAccount
	for rows.Next() {
		var acc auth.NewAccount
		if err := rows.Scan(&acc.Email, &acc.Name); err != nil {
			rows.Close()
			return nil, nil, err
		}
		acc.Role = auth.RoleMember
		accounts = append(accounts, acc)
	}
	rows.Close()
	if len(accounts) > 0 {
		if _, err := a.Auth.CreateAccounts(ctx, accounts); err != nil {
			return nil, nil, fmt.Errorf("demo voters: %w", err)
		}
	}
	var out []context.Context
	byUser := map[string]context.Context{}
	rows, err = a.DB.Q().Query(ctx, `SELECT id, email FROM users WHERE role = 'member' ORDER BY id`)
	if err != nil {
		return nil, nil, fmt.Errorf("demo voters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, nil, err
		}
		v := auth.WithPrincipal(context.Background(), &auth.Principal{UserID: id, Role: auth.RoleMember, Verified: true, Label: email})
		out = append(out, v)
		byUser[id] = v
	}
	return out, byUser, rows.Err()
}
