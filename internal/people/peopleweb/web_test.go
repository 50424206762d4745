package peopleweb

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/geo"
)

// TestPages walks the people pages as each role, in order: later scenarios
// see what earlier ones changed.
func TestPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		ctx := context.Background()
		for code, pt := range map[string]geo.Point{"E8": {Lat: 51.545, Lng: -0.056}, "N1": {Lat: 51.538, Lng: -0.097}} {
			if err := geo.SetDistrict(ctx, d.Q(), code, pt, "outcode file"); err != nil {
				t.Fatal(err)
			}
		}
		hackney, islington := s.group(t, "Hackney", "E8"), s.group(t, "Islington", "N1")
		orgA, orgB := s.user(t, "Olu Organiser", auth.RoleMember), s.user(t, "Bea Organiser", auth.RoleMember)
		s.organise(t, hackney, orgA)
		s.organise(t, islington, orgB)
		member, supporter := s.user(t, "Mo Member", auth.RoleMember), s.user(t, "Sam Supporter", auth.RoleSupporter)
		admin := s.admin
		amira := s.person(t, people.Input{GivenName: "Amira", FamilyName: "Consented", Email: "amira@example.org",
			Phone: "07700 900123", Address: people.Address{Postcode: "E8 1DY"}, GroupID: hackney.ID})
		s.consent(t, amira, people.ChannelEmail)
		ben := s.person(t, people.Input{GivenName: "Ben", FamilyName: "Private", Email: "ben@example.org",
			Address: people.Address{Postcode: "E8 2AA"}, GroupID: hackney.ID})
		cara := s.person(t, people.Input{GivenName: "Cara", FamilyName: "Across", Email: "cara@example.org",
			Address: people.Address{Postcode: "N1 1AA"}, GroupID: islington.ID})
		s.consent(t, cara, people.ChannelEmail)
		dan1 := s.person(t, people.Input{GivenName: "Dan", FamilyName: "Dupe", Email: "dan@example.org"})
		dan2 := s.person(t, people.Input{GivenName: "Daniel", FamilyName: "Dupe", Email: "dan+news@example.org"})
		// A mother and daughter of one name at one address: not duplicates.
		jo1 := s.person(t, people.Input{GivenName: "Jo", FamilyName: "Twice", Address: people.Address{Postcode: "E5 0AA"}})
		jo2 := s.person(t, people.Input{GivenName: "Jo", FamilyName: "Twice", Address: people.Address{Postcode: "E5 0AA"}})
		joA, joB := min(jo1.ID, jo2.ID), max(jo1.ID, jo2.ID)
		rec := func(p *people.Person) string { return "/people/" + p.ID }
		post := func(kv ...string) url.Values {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Add(kv[i], kv[i+1])
			}
			return v
		}
		csvName := `attachment; filename="people-` + time.Now().UTC().Format("2006-01-02") + `.csv"`

		for _, sc := range []scenario{
			// The list: who sees whom.
			{Name: "ListAdminSeesEveryone", As: &admin, URL: "/people", ExpectedStatus: 200,
				ExpectedContent: []string{"12 people match", "Amira Consented", "Ben Private", "Cara Across", "ben@example.org",
					`<label for="f-near">Near a postcode</label>`, `<option value="">Any group</option>`, `href="/people/export.csv?"`}},
			{Name: "ListOrganiserSeesOwnGroup", As: &orgA, URL: "/people", ExpectedStatus: 200,
				ExpectedContent:    []string{"<h1>People in Hackney</h1>", "3 people match", "Amira Consented", "amira@example.org", "Ben Private", `<option value="` + hackney.ID + `" selected>Hackney</option>`},
				NotExpectedContent: []string{"Cara Across", "ben@example.org", "447700900123", "Any group"}},
			{Name: "ListOrganiserPreselected", As: &orgA, URL: "/people?group=" + hackney.ID, ExpectedStatus: 200,
				ExpectedContent: []string{"3 people match"}, NotExpectedContent: []string{"Cara Across"}},
			{Name: "ListOrganiserOtherGroup", As: &orgA, URL: "/people?group=" + islington.ID, ExpectedStatus: 403},
			{Name: "ListMemberRefused", As: &member, URL: "/people", ExpectedStatus: 403,
				ExpectedContent: []string{"Only admins see the whole network"}, NotExpectedContent: []string{"Amira"}},
			{Name: "ListSupporterRefused", As: &supporter, URL: "/people", ExpectedStatus: 403},
			{Name: "ListAnonymousToLogin", URL: "/people", ExpectedStatus: 303, ExpectedLocation: "/login?next=%2Fpeople"},
			{Name: "FilterDistrict", As: &admin, URL: "/people?districts=N1", ExpectedStatus: 200,
				ExpectedContent: []string{"1 person matches", "Cara Across"}, NotExpectedContent: []string{"Amira"}},
			{Name: "FilterNearPostcode", As: &admin, URL: "/people?near=E8+1DY&within_km=1", ExpectedStatus: 200,
				ExpectedContent: []string{"2 people match", "Amira Consented", "Ben Private"}, NotExpectedContent: []string{"Cara"}},
			{Name: "FilterNearBadPostcode", As: &admin, URL: "/people?near=hello", ExpectedStatus: 422,
				ExpectedContent:    []string{"Enter a UK postcode like E8 1DY.", `aria-describedby="f-near-hint f-near-error"`, `value="hello"`},
				NotExpectedContent: []string{"Amira"}},
			{Name: "FilterBadDistrict", As: &admin, URL: "/people?districts=nowhere", ExpectedStatus: 422,
				ExpectedContent: []string{"Use postcode districts like E8", `value="nowhere"`}},
			{Name: "FilterConsent", As: &admin, URL: "/people?consent=email", ExpectedStatus: 200,
				ExpectedContent: []string{"Amira", "Cara"}, NotExpectedContent: []string{"Ben Private"}},
			{Name: "FilterText", As: &admin, URL: "/people?text=dupe", ExpectedStatus: 200,
				ExpectedContent: []string{"2 people match", "Dan Dupe", "Daniel Dupe"}, NotExpectedContent: []string{"Amira"}},

			// A record: who sees what.
			{Name: "RecordOrganiser", As: &orgA, URL: rec(amira), ExpectedStatus: 200,
				ExpectedContent:    []string{"<h1>Amira Consented</h1>", "amira@example.org", "Private notes", `id="consent"`, `action="` + rec(amira) + `/tags"`},
				NotExpectedContent: []string{"447700900123", "E8 1DY", "Donations", "Recorded by", "Keep me posted", "Change membership"}},
			{Name: "RecordOrganiserNoConsent", As: &orgA, URL: rec(ben), ExpectedStatus: 200,
				ExpectedContent: []string{"Ben Private"}, NotExpectedContent: []string{"ben@example.org"}},
			{Name: "RecordOtherGroupHidden", As: &orgA, URL: rec(cara), ExpectedStatus: 404, NotExpectedContent: []string{"Cara"}},
			{Name: "RecordOrganiserB", As: &orgB, URL: rec(cara), ExpectedStatus: 200,
				ExpectedContent: []string{"Cara Across", "cara@example.org"}, NotExpectedContent: []string{"N1 1AA"}},
			{Name: "RecordOrganiserBOtherGroup", As: &orgB, URL: rec(amira), ExpectedStatus: 404},
			{Name: "RecordMemberHidden", As: &member, URL: rec(amira), ExpectedStatus: 404},
			{Name: "RecordAnonymousToLogin", URL: rec(amira), ExpectedStatus: 303, ExpectedLocation: "/login?next=" + url.QueryEscape(rec(amira))},
			{Name: "RecordAdmin", As: &admin, URL: rec(amira), ExpectedStatus: 200,
				ExpectedContent: []string{"&#43;447700900123", "E8 1DY", "Donations", "Recorded by", "Keep me posted", "Change membership", `<option value="">Admins only</option>`}},

			// Creating people.
			{Name: "NewForm", As: &orgA, URL: "/people/new", ExpectedStatus: 200,
				ExpectedContent:    []string{`<label for="f-email">Email address</label>`, `<option value="` + hackney.ID + `">Hackney</option>`},
				NotExpectedContent: []string{"Islington", "No group"}},
			{Name: "CreateBadEmail", As: &admin, Method: "POST", URL: "/people", Form: post("given_name", "Zed", "email", "not-an-email"),
				ExpectedStatus:  422,
				ExpectedContent: []string{"Enter an email address like name@example.org", `aria-describedby="f-email-error"`, `value="not-an-email"`, `value="Zed"`}},
			{Name: "CreateTakenEmail", As: &admin, Method: "POST", URL: "/people", Form: post("given_name", "Other", "email", "amira@example.org"),
				ExpectedStatus: 422, ExpectedContent: []string{"Another person already has this email address.", `value="amira@example.org"`}},
			{Name: "CreateOrganiserInOtherGroup", As: &orgA, Method: "POST", URL: "/people",
				Form: post("given_name", "Nia", "group", islington.ID), ExpectedStatus: 403},
			{Name: "CreateMemberRefused", As: &member, Method: "POST", URL: "/people", Form: post("given_name", "Nia"), ExpectedStatus: 403},
			{Name: "CreateOrganiser", As: &orgA, Method: "POST", URL: "/people",
				Form:           post("given_name", "Nia", "family_name", "New", "email", "nia@example.org", "group", hackney.ID),
				ExpectedStatus: 303, ExpectedFlash: "Person added."},
			{Name: "CreatedInGroup", As: &orgA, URL: "/people?text=nia", ExpectedStatus: 200, ExpectedContent: []string{"1 person matches", "Nia New"}},

			// Consent.
			{Name: "ConsentNeedsWording", As: &admin, Method: "POST", URL: rec(ben) + "/consent",
				Form:           post("channel", "email", "status", "granted", "source", "phoned the office"),
				ExpectedStatus: 422, ExpectedContent: []string{"Give the wording the person agreed to.",
					`aria-describedby="f-wording-hint f-wording-error"`, `value="phoned the office"`}},
			{Name: "ConsentGranted", As: &admin, Method: "POST", URL: rec(ben) + "/consent",
				Form:           post("channel", "email", "status", "granted", "source", "phoned the office", "wording", "Yes, email me about campaigns"),
				ExpectedStatus: 303, ExpectedLocation: rec(ben) + "#consent", ExpectedFlash: "Consent recorded."},
			{Name: "ConsentInHistory", As: &admin, URL: rec(ben), ExpectedStatus: 200,
				ExpectedContent: []string{"<td>phoned the office</td>", "<td>Yes, email me about campaigns</td>", "<td>ada.admin@example.org</td>"}},
			{Name: "ConsentOpensEmailToOrganiser", As: &orgA, URL: "/people?text=ben", ExpectedStatus: 200, ExpectedContent: []string{"ben@example.org"}},
			{Name: "ConsentWithdrawnByOrganiser", As: &orgA, Method: "POST", URL: rec(ben) + "/consent",
				Form: post("channel", "email", "status", "withdrawn", "source", "asked at the door"), ExpectedStatus: 303},
			{Name: "ConsentWithdrawnHidesEmail", As: &orgA, URL: rec(ben), ExpectedStatus: 200, NotExpectedContent: []string{"ben@example.org"}},
			{Name: "ConsentOtherGroup", As: &orgA, Method: "POST", URL: rec(cara) + "/consent",
				Form: post("channel", "email", "status", "withdrawn", "source", "x"), ExpectedStatus: 404},

			// Tags.
			{Name: "TagEmpty", As: &orgA, Method: "POST", URL: rec(amira) + "/tags", Form: post("tag", " "), ExpectedStatus: 422,
				ExpectedContent: []string{"Use a tag of 1 to 100 characters", `aria-describedby="f-tag-error"`}},
			{Name: "TagAdd", As: &orgA, Method: "POST", URL: rec(amira) + "/tags", Form: post("tag", "Door knocker"),
				ExpectedStatus: 303, ExpectedFlash: "Tag added."},
			{Name: "TagShown", As: &orgA, URL: rec(amira), ExpectedStatus: 200,
				ExpectedContent: []string{`action="` + rec(amira) + `/tags/Door%20knocker/delete"`, "Remove<span class=\"visually-hidden\"> the tag Door knocker</span>"}},
			{Name: "TagFilter", As: &orgA, URL: "/people?tags=door+knocker", ExpectedStatus: 200,
				ExpectedContent: []string{"1 person matches", "Amira Consented"}, NotExpectedContent: []string{"Ben Private"}},
			{Name: "TagOtherGroup", As: &orgA, Method: "POST", URL: rec(cara) + "/tags", Form: post("tag", "x"), ExpectedStatus: 404},
			{Name: "TagMemberRefused", As: &member, Method: "POST", URL: rec(amira) + "/tags", Form: post("tag", "x"), ExpectedStatus: 404},
			{Name: "TagAnonymous", Method: "POST", URL: rec(amira) + "/tags", Form: post("tag", "x"), ExpectedStatus: 401},

			// Saved lists.
			{Name: "SaveListNeedsName", As: &orgA, Method: "POST", URL: "/people/lists",
				Form: post("group", hackney.ID, "tags", "door knocker"), ExpectedStatus: 422,
				ExpectedContent: []string{"Name the list", `aria-describedby="f-name-error"`, `name="tags" value="door knocker"`}},
			{Name: "SaveList", As: &orgA, Method: "POST", URL: "/people/lists",
				Form:           post("group", hackney.ID, "tags", "door knocker", "name", "Door knockers"),
				ExpectedStatus: 303, ExpectedLocation: "/people/lists?group=" + hackney.ID, ExpectedFlash: "The list is saved."},
			{Name: "Lists", As: &orgA, URL: "/people/lists", ExpectedStatus: 200,
				ExpectedContent: []string{`<a href="/people?group=` + hackney.ID + `&amp;tags=door&#43;knocker">Door knockers</a>`}},
			{Name: "ListsOtherOrganiser", As: &orgB, URL: "/people/lists", ExpectedStatus: 200, NotExpectedContent: []string{"Door knockers"}},
			{Name: "ListsMemberRefused", As: &member, URL: "/people/lists", ExpectedStatus: 403},
			{Name: "TagRemove", As: &orgA, Method: "POST", URL: rec(amira) + "/tags/Door%20knocker/delete", ExpectedStatus: 303, ExpectedFlash: "Tag removed."},
			{Name: "TagGone", As: &orgA, URL: rec(amira), ExpectedStatus: 200, NotExpectedContent: []string{"Door knocker"}},

			// Notes.
			{Name: "NoteEmpty", As: &orgA, Method: "POST", URL: rec(amira) + "/notes", Form: post("group", hackney.ID, "body", ""),
				ExpectedStatus: 422, ExpectedContent: []string{"Write a note of at most 10,000 characters."}},
			{Name: "NoteAdd", As: &orgA, Method: "POST", URL: rec(amira) + "/notes", Form: post("group", hackney.ID, "body", "Keen to canvass on Saturdays"),
				ExpectedStatus: 303, ExpectedFlash: "Note added."},
			{Name: "NoteShown", As: &orgA, URL: rec(amira), ExpectedStatus: 200,
				ExpectedContent: []string{"Keen to canvass on Saturdays", "for the organisers of Hackney"}},

			// Donations, membership and the ladder.
			{Name: "DonationRefusedToOrganisers", As: &orgA, Method: "POST", URL: rec(amira) + "/donations", Form: post("amount", "5"), ExpectedStatus: 403},
			{Name: "DonationBadAmount", As: &admin, Method: "POST", URL: rec(amira) + "/donations", Form: post("amount", "lots"),
				ExpectedStatus: 422, ExpectedContent: []string{"Give an amount in pounds above zero", `value="lots"`}},
			{Name: "DonationAdd", As: &admin, Method: "POST", URL: rec(amira) + "/donations", Form: post("amount", "12.50", "donation_source", "cheque"),
				ExpectedStatus: 303, ExpectedFlash: "Donation recorded."},
			{Name: "DonationShown", As: &admin, URL: rec(amira), ExpectedStatus: 200, ExpectedContent: []string{"<td>£12.50</td>", "<td>cheque</td>", "donation: £12.50"}},
			{Name: "DonationNoGroup", As: &admin, Method: "POST", URL: rec(dan1) + "/donations", Form: post("amount", "3", "donated_at", "2025-12-01"),
				ExpectedStatus: 303, ExpectedFlash: "<td>£3.00</td>"},
			{Name: "FilterLadder", As: &admin, URL: "/people?ladder=donor", ExpectedStatus: 200,
				ExpectedContent: []string{"2 people match", "Dan Dupe", "Amira Consented"}, NotExpectedContent: []string{"Daniel Dupe", "Ben Private"}},
			{Name: "MembershipRefusedToOrganisers", As: &orgA, Method: "POST", URL: rec(ben) + "/membership", Form: post("status", "member"), ExpectedStatus: 403},
			{Name: "MembershipBadStatus", As: &admin, Method: "POST", URL: rec(ben) + "/membership", Form: post("status", "king"),
				ExpectedStatus: 422, ExpectedContent: []string{"Choose supporter, member or lapsed.", `aria-describedby="f-membership-status-error"`}},
			{Name: "Membership", As: &admin, Method: "POST", URL: rec(ben) + "/membership", Form: post("status", "member"),
				ExpectedStatus: 303, ExpectedFlash: "A member since"},
			{Name: "FilterMembership", As: &orgA, URL: "/people?membership_status=member", ExpectedStatus: 200,
				ExpectedContent: []string{"1 person matches", "Ben Private"}},

			// Editing.
			{Name: "EditForm", As: &admin, URL: rec(amira) + "/edit", ExpectedStatus: 200,
				ExpectedContent: []string{`value="Amira"`, `value="E8 1DY"`, `value="&#43;447700900123"`}},
			{Name: "EditBadPhone", As: &admin, Method: "POST", URL: rec(amira) + "/edit", Form: post("given_name", "Amira", "phone", "12"),
				ExpectedStatus: 422, ExpectedContent: []string{"Enter a phone number like", `value="12"`}},
			{Name: "EditOrganiserKeepsHidden", As: &orgA, Method: "POST", URL: rec(amira) + "/edit",
				Form: post("given_name", "Amira", "family_name", "Consented-Jones", "email", "amira@example.org"), ExpectedStatus: 303, ExpectedFlash: "Saved."},
			{Name: "EditKeptPhone", As: &admin, URL: rec(amira), ExpectedStatus: 200, ExpectedContent: []string{"Amira Consented-Jones", "&#43;447700900123", "E8 1DY"}},
			{Name: "EditOtherGroup", As: &orgA, URL: rec(cara) + "/edit", ExpectedStatus: 404},

			// CSV export.
			{Name: "ExportAdmin", As: &admin, URL: "/people/export.csv?text=amira", ExpectedStatus: 200,
				ExpectedHeaders:    map[string]string{"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": csvName},
				ExpectedContent:    []string{"First name,Last name,Email,Phone", "Amira,Consented-Jones,amira@example.org,'+447700900123"},
				NotExpectedContent: []string{"Ben", "Cara"}},
			{Name: "ExportOrganiser", As: &orgA, URL: "/people/export.csv", ExpectedStatus: 200,
				ExpectedHeaders:    map[string]string{"Content-Disposition": csvName},
				ExpectedContent:    []string{"First name,Last name,Email", "amira@example.org", "Ben,Private,,", "Nia,New"},
				NotExpectedContent: []string{"ben@example.org", "nia@example.org", "+447700900123", "Cara"}},
			{Name: "ExportOrganiserFiltered", As: &orgA, URL: "/people/export.csv?membership_status=member", ExpectedStatus: 200,
				ExpectedContent: []string{"Ben,Private"}, NotExpectedContent: []string{"Amira"}},
			{Name: "ExportEmpty", As: &admin, URL: "/people/export.csv?text=nobody", ExpectedStatus: 200,
				ExpectedContent: []string{"First name,Last name"}, NotExpectedContent: []string{"Amira"}},
			{Name: "ExportOtherGroup", As: &orgA, URL: "/people/export.csv?group=" + islington.ID, ExpectedStatus: 403,
				NotExpectedContent: []string{"cara@example.org"}},
			{Name: "ExportMemberRefused", As: &member, URL: "/people/export.csv", ExpectedStatus: 403},
			{Name: "ExportAnonymous", URL: "/people/export.csv", ExpectedStatus: 303},

			// Duplicates and merging.
			{Name: "DuplicatesRefusedToOrganisers", As: &orgA, URL: "/people/duplicates", ExpectedStatus: 403},
			{Name: "Duplicates", As: &admin, URL: "/people/duplicates", ExpectedStatus: 200,
				ExpectedContent: []string{"Dan Dupe", "Daniel Dupe", "the same email address", `data-confirm="Merge the other record`,
					`name="keep" value="` + dan1.ID + `"`, `name="merge" value="` + dan2.ID + `"`}},
			{Name: "DuplicatesOfferDistinct", As: &admin, URL: "/people/duplicates", ExpectedStatus: 200,
				ExpectedContent: []string{"Jo Twice", "the same name at the same postcode", `action="/people/duplicates/distinct"`,
					`name="a" value="` + joA + `"`, `name="b" value="` + joB + `"`, "Not the same person"}},
			{Name: "DistinctRefusedToOrganisers", As: &orgA, Method: "POST", URL: "/people/duplicates/distinct", Form: post("a", joA, "b", joB), ExpectedStatus: 403},
			{Name: "Distinct", As: &admin, Method: "POST", URL: "/people/duplicates/distinct", Form: post("a", joA, "b", joB),
				ExpectedStatus: 303, ExpectedLocation: "/people/duplicates", ExpectedFlash: "two different people"},
			{Name: "DistinctNotListed", As: &admin, URL: "/people/duplicates", ExpectedStatus: 200,
				ExpectedContent: []string{"Dan Dupe"}, NotExpectedContent: []string{"Jo Twice"}},
			{Name: "MergeRefusedToOrganisers", As: &orgA, Method: "POST", URL: "/people/merge", Form: post("keep", dan1.ID, "merge", dan2.ID), ExpectedStatus: 403},
			{Name: "MergeSame", As: &admin, Method: "POST", URL: "/people/merge", Form: post("keep", dan1.ID, "merge", dan1.ID), ExpectedStatus: 400},
			{Name: "Merge", As: &admin, Method: "POST", URL: "/people/merge", Form: post("keep", dan1.ID, "merge", dan2.ID),
				ExpectedStatus: 303, ExpectedLocation: rec(dan1), ExpectedFlash: "merged into this one"},
			{Name: "MergedGone", As: &admin, URL: rec(dan2), ExpectedStatus: 404},
			{Name: "MergedKept", As: &admin, URL: rec(dan1), ExpectedStatus: 200, ExpectedContent: []string{"dan@example.org, dan&#43;news@example.org", "person.merged"}},
			{Name: "NoMoreDuplicates", As: &admin, URL: "/people/duplicates", ExpectedStatus: 200, ExpectedContent: []string{"No likely duplicates found."}},

			// Admin pages.
			{Name: "FieldsForm", As: &admin, URL: "/admin/fields", ExpectedStatus: 200, ExpectedContent: []string{`<label for="f-key">Key</label>`, "No custom fields yet."}},
			{Name: "FieldBadKey", As: &admin, Method: "POST", URL: "/admin/fields", Form: post("key", "Shirt Size", "label", "T-shirt", "kind", "text"),
				ExpectedStatus: 422, ExpectedContent: []string{"Use lower-case letters, digits and _ only", `value="Shirt Size"`}},
			{Name: "FieldRefusedToOrganisers", As: &orgA, Method: "POST", URL: "/admin/fields", Form: post("key", "x", "label", "X", "kind", "text"), ExpectedStatus: 403},
			{Name: "FieldDefine", As: &admin, Method: "POST", URL: "/admin/fields", Form: post("key", "shirt_size", "label", "T-shirt size", "kind", "choice", "choices", "S\nM\nL"),
				ExpectedStatus: 303, ExpectedFlash: "<td>S, M, L</td>"},
			{Name: "FieldOnNewForm", As: &admin, URL: "/people/new", ExpectedStatus: 200,
				ExpectedContent: []string{`<label for="f-custom.shirt_size">T-shirt size</label>`, `<option value="M">M</option>`, `<option value="">No group</option>`}},
			{Name: "FieldBadValue", As: &admin, Method: "POST", URL: rec(amira) + "/edit", Form: post("given_name", "Amira", "custom.shirt_size", "XXL"),
				ExpectedStatus: 422, ExpectedContent: []string{"Choose one of: S, M, L.", `aria-describedby="f-custom.shirt_size-error"`}},
			{Name: "Retention", As: &admin, URL: "/admin/retention", ExpectedStatus: 200, ExpectedContent: []string{`value="3"`, "Nobody to review."}},
			{Name: "RetentionBadYears", As: &admin, URL: "/admin/retention?years=0", ExpectedStatus: 422,
				ExpectedContent: []string{"Give a number of years from 1 to 100.", `value="0"`}},
			{Name: "RetentionRefusedToOrganisers", As: &orgA, URL: "/admin/retention", ExpectedStatus: 403},
			{Name: "UnknownPerson", As: &admin, URL: "/people/nobody", ExpectedStatus: 404},
		} {
			t.Run(sc.Name, func(t *testing.T) { s.run(t, sc) })
		}
	})
}
