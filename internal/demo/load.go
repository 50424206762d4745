package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

// Persona is a demo account with a password, printed so that a newcomer
// can look at the network through different eyes.
type Persona struct {
	Role, Email, Password, Note string
}

// Load writes the network into an empty database and reports whether it
// did; a database that already has accounts (another network, or a demo
// that is finished) is left alone (false, nil).
//
// People go in through the real importer (the network's contact lists as
// a campaign would leave them), then the regions, local and working groups
// and memberships, then the events, the decisions and the broadcasts. Each step is recorded
// in demo_steps when it is done. A demo that a previous run began and did
// not finish (killed half-way: Begun says so) is finished instead, with
// the seed, size and date that run recorded, whatever nw is: each step
// either had not begun or is run again over what it left (the importer
// resumes its run, groups and accounts are found by name and email, events
// are recorded one by one, votes already cast are refused and skipped).
func Load(ctx context.Context, a *app.App, nw Network) (bool, error) {
	ctx = auth.WithSystem(reqctx.WithActor(ctx, reqctx.Actor{Label: "demo"}))
	p := progress{a.DB}
	began := time.Now().UTC().Truncate(time.Second)
	u, err := Begun(ctx, a.DB)
	if err != nil {
		return false, err
	}
	if u != nil {
		if u.Seed != nw.Seed || u.People != len(nw.People) {
			nw = Generate(u.Seed, u.People)
		}
		began = u.Began
	} else {
		counts, err := a.Auth.CountUsers(ctx)
		if err != nil {
			return false, err
		}
		total := 0
		for _, n := range counts {
			total += n
		}
		if total > 0 {
			return false, nil
		}
		if err := p.mark(ctx, stepRun, fmt.Sprintf("%d %d", nw.Seed, len(nw.People)), began.Format(time.RFC3339)); err != nil {
			return false, err
		}
	}
	steps := []struct {
		step string
		run  func() error
	}{
		{stepAdmin, func() error {
			// CreateAdmin makes the account, or resets the one a killed run made.
			if _, err := a.Auth.CreateAdmin(ctx, nw.AdminEmail, nw.AdminPassword, "Demo Admin"); err != nil {
				return fmt.Errorf("demo admin: %w", err)
			}
			return nil
		}},
		{stepPeople, func() error { return loadPeople(ctx, a, nw, began) }},
		{stepGroups, func() error { return loadGroups(ctx, a, nw) }},
		{stepEvents, func() error { return loadEvents(ctx, a, nw, began, p) }},
		{stepDecisions, func() error { return loadDecisions(ctx, a, nw, began) }},
		{stepBroadcasts, func() error { return loadBroadcasts(ctx, a, nw, began) }},
		{stepTalk, func() error { return loadTalk(ctx, a) }},                  // issue 13: discussions
		{stepLibrary, func() error { return loadLibrary(ctx, a, nw) }},        // issue 13
		{stepActions, func() error { return loadActions(ctx, a, nw, began) }}, // issue 14
		{stepWebhooks, func() error { return loadWebhooks(ctx, a) }},          // issue 14
	}
	for _, s := range steps {
		done, err := p.has(ctx, s.step)
		if err != nil {
			return false, err
		}
		if done {
			continue
		}
		if err := s.run(); err != nil {
			return false, err
		}
		if err := p.mark(ctx, s.step, "", ""); err != nil {
			return false, err
		}
	}
	return true, p.mark(ctx, stepFinished, "", "")
}

// loadPeople imports the network's contacts. Run again after a kill, the
// importer finds its own unfinished run of the same file (the CSV is made
// for the date the demo began, so it is the same file) and carries on.
func loadPeople(ctx context.Context, a *app.App, nw Network, began time.Time) error {
	res, err := a.Importer.Import(ctx, bytes.NewReader(nw.CSV(began)), peopleio.Options{
		FileName:       "demo-contacts.csv",
		ConsentWording: "Keep me updated about the campaign by the channels I ticked.",
	})
	if err != nil {
		return fmt.Errorf("demo people: %w", err)
	}
	if res.Rejected > 0 {
		return fmt.Errorf("demo people: %d rows rejected, first: line %d: %s", res.Rejected, res.Errors[0].Line, res.Errors[0].Message)
	}
	return nil
}

// loadGroups adds the regions, groups and memberships. Regions and groups
// a killed run made are found by name and not made again; memberships are
// written over (ImportMembers updates a membership that exists).
func loadGroups(ctx context.Context, a *app.App, nw Network) error {
	regionID, err := idsByName(ctx, a, `SELECT id, name FROM regions`)
	if err != nil {
		return err
	}
	groupByName, err := idsByName(ctx, a, `SELECT id, name FROM groups`)
	if err != nil {
		return err
	}
	for _, name := range nw.Regions {
		if regionID[name] != "" {
			continue
		}
		r, err := a.Groups.CreateRegion(ctx, name)
		if err != nil {
			return fmt.Errorf("demo region %s: %w", name, err)
		}
		regionID[name] = r.ID
	}
	groupID := make([]string, len(nw.Groups))
	for i, g := range nw.Groups {
		if id := groupByName[g.Name]; id != "" {
			groupID[i] = id
			continue
		}
		in := groups.Input{Name: g.Name, Kind: g.Kind, Description: g.Description, JoinPolicy: g.JoinPolicy,
			RegionID: regionID[g.Region], Districts: g.Districts}
		if g.Kind == groups.KindLocal {
			in.Centre = &geo.Point{Lat: g.Lat, Lng: g.Lng}
			in.RadiusKm = 5
		}
		created, err := a.Groups.Create(ctx, in)
		if err != nil {
			return fmt.Errorf("demo group %s: %w", g.Name, err)
		}
		groupID[i] = created.ID
	}
	var ms []groups.NewMember
	for _, p := range nw.People {
		if len(p.Groups) == 0 {
			continue
		}
		id, err := a.People.Match(ctx, p.Email, "")
		if err != nil {
			return fmt.Errorf("demo member %s: %w", p.Email, err)
		}
		for _, m := range p.Groups {
			ms = append(ms, groups.NewMember{GroupID: groupID[m.Group], PersonID: id, Role: m.Role})
		}
	}
	if _, err := a.Groups.ImportMembers(ctx, ms); err != nil {
		return fmt.Errorf("demo memberships: %w", err)
	}
	return nil
}

// idsByName reads (id, name) rows into a map by name.
func idsByName(ctx context.Context, a *app.App, query string) (map[string]string, error) {
	rows, err := a.DB.Q().Query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[name] = id
	}
	return out, rows.Err()
}

// Personas returns the demo's accounts with passwords, creating the
// organiser's and the member's on first use (the admin exists after Load).
func Personas(ctx context.Context, a *app.App, nw Network) ([]Persona, error) {
	ctx = auth.WithSystem(reqctx.WithActor(ctx, reqctx.Actor{Label: "demo"}))
	out := []Persona{{Role: "admin", Email: nw.AdminEmail, Password: nw.AdminPassword, Note: "sees and runs the whole network"}}
	org, member := nw.persona("organiser"), nw.persona("member")
	for _, p := range []struct {
		idx  int
		role string
		note string
	}{{org, "organiser", "organises " + nw.groupOf(org)}, {member, "member", "a member in " + nw.People[max(member, 0)].Town}} {
		if p.idx < 0 {
			continue
		}
		person := nw.People[p.idx]
		pw := nw.AdminPassword + "-" + p.role
		u, err := a.Auth.CreateAdmin(ctx, person.Email, pw, person.Name())
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", p.role, err)
		}
		if err := a.Auth.SetRole(ctx, u.ID, auth.RoleMember); err != nil {
			return nil, fmt.Errorf("demo %s: %w", p.role, err)
		}
		out = append(out, Persona{Role: p.role, Email: person.Email, Password: pw, Note: p.note})
	}
	if err := loadPersonaWork(ctx, a, nw, out); err != nil { // issue 16: something to do for each
		return nil, err
	}
	return out, nil
}

// persona picks the first person with the given group role ("organiser"),
// or for "member" the first member in no group role. The organiser is
// preferably one of a local group that takes requests to join, so that
// they have one to approve (issue 16).
func (nw Network) persona(role string) int {
	if role == "organiser" {
		for i, p := range nw.People {
			for _, m := range p.Groups {
				if g := nw.Groups[m.Group]; m.Role == "organiser" && g.Kind == "local" && g.JoinPolicy == "request" {
					return i
				}
			}
		}
	}
	for i, p := range nw.People {
		switch role {
		case "organiser":
			for _, m := range p.Groups {
				if m.Role == "organiser" && nw.Groups[m.Group].Kind == "local" {
					return i
				}
			}
		case "member":
			if p.Member && len(p.Groups) > 0 && p.Groups[0].Role == "member" {
				return i
			}
		}
	}
	return -1
}

func (nw Network) groupOf(i int) string {
	if i < 0 {
		return ""
	}
	for _, m := range nw.People[i].Groups { // issue 16: the group that takes requests, as persona chose
		if g := nw.Groups[m.Group]; m.Role == "organiser" && g.Kind == "local" && g.JoinPolicy == "request" {
			return g.Name
		}
	}
	for _, m := range nw.People[i].Groups {
		if m.Role == "organiser" {
			return nw.Groups[m.Group].Name
		}
	}
	return ""
}
