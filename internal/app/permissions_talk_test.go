package app_test

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/talk"
)

// talkFixtures (issue 13) makes the discussion rows' records: {TA}, a
// group A thread the member started, with {CA}, the organiser's comment,
// {CX} a comment to hide, {CH} a hidden one and {CF} a flagged one; {TN},
// a members' thread of the network the admin started.
func talkFixtures(t *testing.T, a *app.App, vals map[string]string, groupA, organiserA, member, admin string) {
	t.Helper()
	as := func(userID string, role auth.Role) context.Context {
		return auth.WithPrincipal(context.Background(), &auth.Principal{UserID: userID, Role: role, Verified: true})
	}
	mem, org := as(member, auth.RoleMember), as(organiserA, auth.RoleMember)
	ta, err := a.Talk.StartThread(mem, talk.ThreadInput{GroupID: groupA, Title: "Matrix thread", Body: "Where do we meet?", Visibility: talk.Group})
	if err != nil {
		t.Fatalf("talk fixture thread: %v", err)
	}
	tn, err := a.Talk.StartThread(as(admin, auth.RoleAdmin), talk.ThreadInput{Title: "Matrix network thread", Body: "Hello all", Visibility: talk.Members})
	if err != nil {
		t.Fatalf("talk fixture network thread: %v", err)
	}
	comment := func(ctx context.Context, body string) string {
		c, err := a.Talk.Comment(ctx, ta.ID, talk.CommentInput{Body: body})
		if err != nil {
			t.Fatalf("talk fixture comment: %v", err)
		}
		return c.ID
	}
	ca, cx, ch, cf := comment(org, "The library?"), comment(mem, "Hide me"), comment(mem, "Hidden"), comment(mem, "Flagged")
	if err := a.Talk.Hide(org, ch, "Matrix"); err != nil {
		t.Fatal(err)
	}
	if err := a.Talk.Flag(org, cf, "Matrix"); err != nil {
		t.Fatal(err)
	}
	vals["{DECISION}"], vals["{EVENT}"] = talk.SubjectDecision, talk.SubjectEvent // /talk/on/{kind}/{id}
	vals["{TA}"], vals["{TN}"], vals["{CA}"], vals["{CX}"], vals["{CH}"], vals["{CF}"] = ta.ID, tn.ID, ca, cx, ch, cf
}
