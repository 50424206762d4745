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
// did; a database that already has accounts is left alone (false, nil).
//
// People go in through the real importer (the network's contact lists as
// a campaign would leave them), then the regions, local and working groups
// and memberships, then three accounts with passwords: the admin, an
// organiser of a local group and a member.
func Load(ctx context.Context, a *app.App, nw Network) (bool, error) {
	ctx = auth.WithSystem(reqctx.WithActor(ctx, reqctx.Actor{Label: "demo"}))
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
	if _, err := a.Auth.CreateAdmin(ctx, nw.AdminEmail, nw.AdminPassword, "Demo Admin"); err != nil {
		return false, fmt.Errorf("demo admin: %w", err)
	}
	res, err := a.Importer.Import(ctx, bytes.NewReader(nw.CSV(time.Now().UTC())), peopleio.Options{
		FileName:       "demo-contacts.csv",
		ConsentWording: "Keep me updated about the campaign by the channels I ticked.",
	})
	if err != nil {
		return false, fmt.Errorf("demo people: %w", err)
	}
	if res.Rejected > 0 {
		return false, fmt.Errorf("demo people: %d rows rejected, first: line %d: %s", res.Rejected, res.Errors[0].Line, res.Errors[0].Message)
	}
	if err := loadGroups(ctx, a, nw); err != nil {
		return false, err
	}
	if err := loadEvents(ctx, a, nw); err != nil {
		return false, err
	}
	if err := loadDecisions(ctx, a, nw); err != nil {
		return false, err
	}
	return true, nil
}

func loadGroups(ctx context.Context, a *app.App, nw Network) error {
	regionID := map[string]string{}
	for _, name := range nw.Regions {
		r, err := a.Groups.CreateRegion(ctx, name)
		if err != nil {
			return fmt.Errorf("demo region %s: %w", name, err)
		}
		regionID[name] = r.ID
	}
	groupID := make([]string, len(nw.Groups))
	for i, g := range nw.Groups {
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
	return out, nil
}

// persona picks the first person with the given group role ("organiser"),
// or for "member" the first member in no group role.
func (nw Network) persona(role string) int {
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
	for _, m := range nw.People[i].Groups {
		if m.Role == "organiser" {
			return nw.Groups[m.Group].Name
		}
	}
	return ""
}
